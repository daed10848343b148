#include "evm_message.hpp"

#include <gtest/gtest.h>

#include "ima/evm/inputs.hpp"
#include "status.hpp"

using namespace ima;
using namespace ima::evmctl;

TEST(EvmMessage, NativeLayoutIsTheCoreHMisc) {
    EvmMeta m{0x1122334455667788ull, 0xaabbccdd, 1000, 1001, 0100644};
    Bytes b = evm_misc_bytes(m, evm::MiscLayout::lp64, false);
    ASSERT_EQ(b.size(), 24u);
    EXPECT_EQ(to_hex(b),
              "8877665544332211"
              "ddccbbaa"
              "e8030000"
              "e9030000"
              "a481"
              "0000");
    EXPECT_EQ(evm_misc_bytes(m, evm::MiscLayout::lp64, false), b);
}

TEST(EvmMessage, PortableZeroesInodeAndGeneration) {
    EvmMeta m{42, 7, 1, 2, 0100755};
    EXPECT_EQ(to_hex(evm_misc_bytes(m, evm::MiscLayout::lp64, true)),
              "0000000000000000"
              "00000000"
              "01000000"
              "02000000"
              "ed81"
              "0000");
}

TEST(EvmMessage, ThirtyTwoBitLayoutHasAFourByteInode) {
    EvmMeta m{0x1122334455667788ull, 5, 3, 4, 0100600};
    EXPECT_EQ(to_hex(evm_misc_bytes(m, evm::MiscLayout::ilp32, false)),
              "88776655"
              "05000000"
              "03000000"
              "04000000"
              "8081"
              "0000");
}

TEST(EvmMessage, ImmutableLayoutIsUidGidMode) {
    EvmMeta m{99, 98, 3, 4, 0100600};
    EXPECT_EQ(to_hex(evm_misc_bytes(m, evm::MiscLayout::no_inode, false)),
              "03000000"
              "04000000"
              "8081"
              "0000");
}

TEST(EvmMessage, DefaultListLeavesOutTheExtraSmackAttributes) {
    auto def = evm_xattr_names(false);
    EXPECT_EQ(def, (std::vector<std::string>{"security.selinux", "security.SMACK64", "security.apparmor",
                                             "security.ima", "security.capability"}));
    EXPECT_EQ(evm_xattr_names(true), evm::protected_xattrs());
}

TEST(EvmMessage, MessageIsValuesMiscUuid) {
    EvmMessageInput in;
    in.xattrs = {{"security.selinux", {1, 2}}, {"security.ima", {3}}};
    in.misc = {9, 9};
    EXPECT_EQ(to_hex(evm_message_bytes(in)), "0102030909");
    in.uuid = evm::Uuid{};
    in.uuid->fill(0xee);
    EXPECT_EQ(evm_message_bytes(in).size(), 5u + 16u);
}

TEST(EvmMessage, MatchesTheCoreForTheKernelsHmacInputs) {
    // With the default layout and every xattr present, evmctl's bytes are the kernel's.
    evm::EvmInputs in;
    in.xattrs = {{"security.ima", {4, 4, 1}}, {"security.selinux", {'u', 0}}};
    in.ino = 12;
    in.generation = 34;
    in.uid = 5;
    in.gid = 6;
    in.mode = 0100644;
    in.uuid = evm::Uuid{};
    in.uuid->fill(0x5a);
    EvmMessageInput ours;
    ours.xattrs = {{"security.selinux", {'u', 0}}, {"security.ima", {4, 4, 1}}};
    ours.misc = evm_misc_bytes(EvmMeta{12, 34, 5, 6, 0100644}, evm::MiscLayout::lp64, false);
    ours.uuid = in.uuid;
    EXPECT_EQ(evm_message_bytes(ours), evm::evm_message(in, evm::EvmKind::immutable));
}

TEST(EvmMessage, UuidTextIsStrict) {
    auto u = parse_uuid_text("01234567-89ab-cdef-0123-456789ABCDEF");
    EXPECT_EQ(to_hex(u), "0123456789abcdef0123456789abcdef");
    EXPECT_THROW(parse_uuid_text("0123456789abcdef0123456789abcdef"), ima::Error);
    EXPECT_THROW(parse_uuid_text("01234567-89ab-cdef-0123-456789abcde"), ima::Error);
    EXPECT_THROW(parse_uuid_text("0123456x-89ab-cdef-0123-456789abcdef"), ima::Error);
    EXPECT_THROW(parse_uuid_text(""), ima::Error);
}
