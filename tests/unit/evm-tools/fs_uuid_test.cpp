// Finding the filesystem UUID without libblkid: the UUID text forms, the
// mountinfo lookup (ima/evm/mountinfo.hpp) and the ext2/3/4 superblock, on bytes.
#include "ima/evm/fs_uuid.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <fstream>
#include <iterator>

#include "ima/error.hpp"
#include "ima/evm/mountinfo.hpp"

using namespace ima;
using namespace ima::evm;

TEST(FsUuid, ParsesDashedAndPlainHexInEitherCase) {
    Uuid want{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
    EXPECT_EQ(parse_uuid("01234567-89ab-cdef-0123-456789abcdef"), want);
    EXPECT_EQ(parse_uuid("01234567-89AB-CDEF-0123-456789ABCDEF"), want);
    EXPECT_EQ(parse_uuid("0123456789abcdef0123456789abcdef"), want);
    EXPECT_EQ(format_uuid(want), "01234567-89ab-cdef-0123-456789abcdef");
}

TEST(FsUuid, RefusesMalformedText) {
    for (const char* bad : {"", "0123", "01234567-89ab-cdef-0123-456789abcdeg", "01234567089ab-cdef-0123-456789abcdef",
                            "0123456789abcdef0123456789abcde", "01234567-89ab-cdef-0123-456789abcdef0",
                            "-1234567-89ab-cdef-0123-456789abcdef"}) {
        EXPECT_THROW(parse_uuid(bad), UsageError) << bad;
    }
    try {
        parse_uuid("xyz");
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "invalid UUID 'xyz'");
    }
}

TEST(FsUuid, DashedPrefixIgnoresWhatFollowsAsEvmctlDoes) {
    Uuid want = parse_uuid("01234567-89ab-cdef-0123-456789abcdef");
    EXPECT_EQ(parse_uuid("01234567-89ab-cdef-0123-456789abcdefXYZ", UuidText::dashed_prefix), want);
    EXPECT_EQ(parse_uuid("01234567-89AB-cdef-0123-456789abcdef", UuidText::dashed_prefix), want);
    EXPECT_THROW(parse_uuid("01234567-89ab-cdef-0123-456789abcdefXYZ"), UsageError);  // exact: nothing may follow
    EXPECT_THROW(parse_uuid("0123456789abcdef0123456789abcdef", UuidText::dashed_prefix), UsageError);
    EXPECT_THROW(parse_uuid("01234567-89ab-cdef-0123-456789abcde", UuidText::dashed_prefix), UsageError);
}

TEST(Mountinfo, LookupMatchesMajorMinorAndUndoesEscapes) {
    const std::string table =
        "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
        "27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard\n"
        "90 27 7:3 / /mnt/my\\040disk rw master:2 - ext4 /dev/loop\\0403 rw\n"
        "91 27 8:1 / /x rw - ext4\n";
    auto source = [&](std::string_view t, unsigned maj, unsigned min) -> std::optional<std::string> {
        auto m = find_mount(t, maj, min);
        if (!m) return std::nullopt;
        return m->source;
    };
    EXPECT_EQ(source(table, 254, 0), "/dev/vda");
    EXPECT_EQ(find_mount(table, 254, 0)->fstype, "ext4");
    EXPECT_EQ(source(table, 7, 3), "/dev/loop 3");
    EXPECT_EQ(source(table, 8, 1), "");  // no source field
    EXPECT_EQ(find_mount(table, 8, 1)->fstype, "ext4");
    EXPECT_EQ(source(table, 9, 9), std::nullopt);
    // a line without a source does not end the search for one
    const std::string two = "91 27 8:1 / /x rw - ext4\n92 27 8:1 / /y rw - ext4 /dev/sdb1 rw\n";
    EXPECT_EQ(find_mount(two, 8, 1, MountNeeds::source)->source, "/dev/sdb1");
    EXPECT_EQ(find_mount(two, 8, 1)->source, "");
    EXPECT_EQ(source("", 254, 0), std::nullopt);
    EXPECT_EQ(source("1 2 3:4 / / rw\n", 3, 4), std::nullopt);  // no " - FSTYPE"
    EXPECT_EQ(source("1 2 03x:4 / / rw - ext4 /dev/x rw\n", 3, 4), std::nullopt);
}

TEST(Mountinfo, ThisProcessHasOne) {
    // The mount of / is in this process's own table, with its type.
    struct stat st {};
    ASSERT_EQ(stat("/", &st), 0);
    auto m = find_mount(read_mountinfo(), major(st.st_dev), minor(st.st_dev));
    ASSERT_TRUE(m);
    EXPECT_FALSE(m->fstype.empty());
}

TEST(FsUuid, ReadsTheUuidOfARealExt4Superblock) {
    // The superblock of `mkfs.ext4 -U 01234567-89ab-cdef-0123-456789abcdef`.
    std::ifstream f(std::string(EVM_DATA_DIR) + "/ext4-superblock.bin", std::ios::binary);
    Bytes sb((std::istreambuf_iterator<char>(f)), {});
    ASSERT_EQ(sb.size(), 1024u);
    auto u = ext_superblock_uuid(sb);
    ASSERT_TRUE(u);
    EXPECT_EQ(format_uuid(*u), "01234567-89ab-cdef-0123-456789abcdef");
    sb[0x38] = 0;  // not the magic: not an ext superblock
    EXPECT_EQ(ext_superblock_uuid(sb), std::nullopt);
    EXPECT_EQ(ext_superblock_uuid(ByteView(sb).first(0x77)), std::nullopt);
}
