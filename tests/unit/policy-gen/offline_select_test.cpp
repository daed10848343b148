// Offline selection for ima-sign --policy: which files of an image a policy
// would appraise on the target.
#include "ima/policy/offline_select.hpp"

#include <gtest/gtest.h>

#include "ima/policy/profiles.hpp"

using namespace ima::policy;

namespace {
const uint8_t elf[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
const uint8_t text[] = {'#', '!', '/', 'b', 'i', 'n'};

OfflineFile file(const std::string& rel, uint32_t mode, ima::ByteView head = {}, uint32_t uid = 0) {
    OfflineFile f;
    f.rel = rel;
    f.mode = mode;
    f.head = head;
    f.uid = uid;
    return f;
}
std::vector<Func> funcs(const OfflineFile& f) {
    std::vector<Func> out;
    for (const auto& h : offline_hooks(f)) out.push_back(h.func);
    return out;
}
}  // namespace

TEST(PolicyOffline, HooksFromModePathAndMagic) {
    using F = std::vector<Func>;
    EXPECT_EQ(funcs(file("usr/bin/ls", 0100755, elf)),
              (F{Func::bprm_check, Func::creds_check, Func::mmap_check, Func::mmap_check_reqprot, Func::file_check}));
    EXPECT_EQ(funcs(file("usr/lib/libc.so.6", 0100644, elf)),
              (F{Func::mmap_check, Func::mmap_check_reqprot, Func::file_check}));
    EXPECT_EQ(funcs(file("./lib/modules/6.1.0/kernel/fs/ext4.ko.xz", 0100644)),
              (F{Func::module_check, Func::file_check}));
    EXPECT_EQ(funcs(file("usr/lib/modules/6.1.0/extra/x.ko.zst", 0100644)), (F{Func::module_check, Func::file_check}));
    EXPECT_EQ(funcs(file("lib/modules/6.1.0/modules.dep", 0100644)), (F{Func::file_check}));
    EXPECT_EQ(funcs(file("lib/firmware/iwlwifi.ucode", 0100644)), (F{Func::firmware_check, Func::file_check}));
    EXPECT_EQ(funcs(file("boot/vmlinuz-6.1.0-13-amd64", 0100644)), (F{Func::kexec_kernel_check, Func::file_check}));
    EXPECT_EQ(funcs(file("boot/initrd.img-6.1.0", 0100644)), (F{Func::kexec_initramfs_check, Func::file_check}));
    EXPECT_EQ(funcs(file("etc/ima/ima-policy", 0100644)), (F{Func::policy_check, Func::file_check}));
    EXPECT_EQ(funcs(file("etc/passwd", 0100644, text)), (F{Func::file_check}));
    EXPECT_EQ(funcs(file("usr/bin/script", 0100755, text)),
              (F{Func::bprm_check, Func::creds_check, Func::mmap_check, Func::mmap_check_reqprot, Func::file_check}));
    EXPECT_TRUE(funcs(file("dev/null", 0020666)).empty());
    EXPECT_TRUE(funcs(file("usr/bin", 0040755)).empty());
}

TEST(PolicyOffline, AppraiseExecSignsCodeNotData) {
    Policy p = parse_policy(generate_profile("appraise-exec", {}));
    EXPECT_TRUE(would_appraise(p, file("usr/bin/ls", 0100755, elf)));
    EXPECT_TRUE(would_appraise(p, file("usr/lib/libc.so.6", 0100644, elf)));
    EXPECT_TRUE(would_appraise(p, file("lib/modules/6.1/kernel/m.ko", 0100644)));
    EXPECT_TRUE(would_appraise(p, file("lib/firmware/fw.bin", 0100644)));
    EXPECT_TRUE(would_appraise(p, file("boot/vmlinuz-6.1", 0100644)));
    EXPECT_TRUE(would_appraise(p, file("etc/ima/ima-policy", 0100644)));
    EXPECT_FALSE(would_appraise(p, file("etc/passwd", 0100644, text)));
    EXPECT_FALSE(would_appraise(p, file("boot/initrd.img-6.1", 0100644)));
    auto d = decide_offline(p, file("usr/lib/libc.so.6", 0100644, elf));
    EXPECT_EQ(d.hook, Func::mmap_check);
    ASSERT_TRUE(d.rule);
    EXPECT_EQ(d.rule->text(), "appraise func=MMAP_CHECK mask=MAY_EXEC appraise_type=imasig");
}

TEST(PolicyOffline, AppraiseTcbSignsWhatRootOwns) {
    Policy p = parse_policy(generate_profile("appraise-tcb", {}));
    EXPECT_TRUE(would_appraise(p, file("etc/passwd", 0100644, text, 0)));
    EXPECT_FALSE(would_appraise(p, file("home/user/notes", 0100644, text, 1000)));
}

TEST(PolicyOffline, SecureBootSignsWhatTheKernelReads) {
    Policy p = parse_policy(generate_profile("secure-boot", {}));
    EXPECT_TRUE(would_appraise(p, file("lib/modules/6.1/kernel/m.ko", 0100644)));
    EXPECT_FALSE(would_appraise(p, file("usr/bin/ls", 0100755, elf)));
}

TEST(PolicyOffline, UnknownsAreDecidedForSigning) {
    // The image's filesystem and the process that will run the file are unknown.
    Policy p = parse_policy(
        "dont_appraise fsmagic=0xef53\n"
        "appraise func=BPRM_CHECK uid=1000 fsuuid=8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6\n");
    EXPECT_TRUE(would_appraise(p, file("usr/bin/ls", 0100755, elf)));
    // Known filesystem: the dont_appraise rule holds.
    OfflineFile f = file("usr/bin/ls", 0100755, elf);
    f.fsmagic = 0xef53;
    EXPECT_FALSE(would_appraise(p, f));
    f.fsmagic = 0x58465342;  // xfs
    f.fsuuid = "00000000-0000-0000-0000-000000000000";
    EXPECT_FALSE(would_appraise(p, f));
}

TEST(PolicyOffline, FsuuidProfileSignsTheImage) {
    ProfileOptions o;
    o.fsuuid = "8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6";
    Policy p = parse_policy(generate_profile("appraise-exec", o));
    OfflineFile f = file("usr/bin/ls", 0100755, elf);
    EXPECT_TRUE(would_appraise(p, f));
    f.fsuuid = "8BCBE394-4F13-4144-BE8E-5AA9EA2CE2F6";
    EXPECT_TRUE(would_appraise(p, f));
    f.fsuuid = "11111111-4f13-4144-be8e-5aa9ea2ce2f6";
    EXPECT_FALSE(would_appraise(p, f));
}
