// EvmInputs gathered from a real file through its descriptor, with overrides.
#include "ima/evm/gather.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "ima/error.hpp"
#include "ima/evm/fs_uuid.hpp"
#include "ima/fd.hpp"
#include "test_util.hpp"

using namespace ima;
using namespace ima::evm;

namespace {
struct OpenFile {
    Fd fd;
    struct stat st {};
    explicit OpenFile(const std::string& p) : fd(open(p.c_str(), O_RDONLY)) {
        EXPECT_TRUE(fd);
        fstat(fd.get(), &st);
    }
};
void set(const std::string& p, const char* name, const Bytes& v) {
    ASSERT_EQ(setxattr(p.c_str(), name, v.data(), v.size(), 0), 0) << name;
}
}  // namespace

TEST(Gather, ReadsTheFilesMetadataAndUserXattrsAsSecurityNames) {
    test::TempDir d;
    std::string p = d.file("f", "data");
    chmod(p.c_str(), 0750);
    set(p, "user.ima", {0x04, 0x04, 0xaa});
    set(p, "user.capability", {0x01});
    set(p, "user.evm", {0x02});  // not protected: never hashed
    OpenFile f(p);
    EvmOverrides o;
    o.uuid_source = UuidSource::none;
    EvmInputs in = gather_evm_inputs(f.fd.get(), f.st, p, EvmKind::immutable, o, XattrNamespace::user);
    ASSERT_EQ(in.xattrs.size(), 2u);
    EXPECT_EQ(in.xattrs[0].first, "security.ima");
    EXPECT_EQ(in.xattrs[1].first, "security.capability");
    EXPECT_EQ(in.ino, f.st.st_ino);
    EXPECT_EQ(in.uid, f.st.st_uid);
    EXPECT_EQ(in.gid, f.st.st_gid);
    EXPECT_EQ(in.mode, 0100750);
    long gen = 0;
    ASSERT_EQ(ioctl(f.fd.get(), FS_IOC_GETVERSION, &gen), 0);
    EXPECT_EQ(in.generation, static_cast<uint32_t>(gen));
    EXPECT_FALSE(in.uuid);
}

TEST(Gather, OverridesReplaceWhatTheFileSays) {
    test::TempDir d;
    std::string p = d.file("f", "data");
    OpenFile f(p);
    EvmOverrides o;
    o.ino = 42;
    o.generation = 7;
    o.uid = 1000;
    o.gid = 100;
    o.mode = 0755;  // no type bits: keeps S_IFREG
    o.uuid_source = UuidSource::given;
    o.uuid = parse_uuid("01234567-89ab-cdef-0123-456789abcdef");
    EvmInputs in = gather_evm_inputs(f.fd.get(), f.st, p, EvmKind::hmac, o, XattrNamespace::user);
    EXPECT_EQ(in.ino, 42u);
    EXPECT_EQ(in.generation, 7u);
    EXPECT_EQ(in.uid, 1000u);
    EXPECT_EQ(in.gid, 100u);
    EXPECT_EQ(in.mode, 0100755);
    EXPECT_EQ(in.uuid, o.uuid);
    o.mode = 020644;  // a full mode with type bits is taken as it is
    EXPECT_EQ(gather_evm_inputs(f.fd.get(), f.st, p, EvmKind::hmac, o, XattrNamespace::user).mode, 020644);
}

TEST(Gather, PortableNeedsNoGenerationOrUuid) {
    test::TempDir d;
    std::string p = d.file("f", "data");
    OpenFile f(p);
    EvmInputs in = gather_evm_inputs(f.fd.get(), f.st, p, EvmKind::portable, {}, XattrNamespace::user);
    EXPECT_EQ(in.ino, 0u);
    EXPECT_EQ(in.generation, 0u);
    EXPECT_FALSE(in.uuid);
}

TEST(Gather, FilesystemUuidComesWithImmutableAndHmac) {
    test::TempDir d;
    std::string p = d.file("f", "data");
    OpenFile f(p);
    EvmInputs in = gather_evm_inputs(f.fd.get(), f.st, p, EvmKind::immutable, {}, XattrNamespace::user);
    ASSERT_TRUE(in.uuid);
    EXPECT_EQ(*in.uuid, filesystem_uuid(f.fd.get(), f.st, p));
}

TEST(Gather, GenerationOfAFileWithoutTheIoctlIsAnEnvironmentError) {
    // /proc files answer FS_IOC_GETVERSION with ENOTTY.
    Fd fd(open("/proc/self/status", O_RDONLY));
    struct stat st {};
    fstat(fd.get(), &st);
    try {
        inode_generation(fd.get(), "/proc/self/status");
        FAIL();
    } catch (const IoError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::env);
        EXPECT_NE(std::string(e.what()).find("FS_IOC_GETVERSION; give --generation"), std::string::npos);
    }
}
