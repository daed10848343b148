// The kernel's tables: hooks, masks, keyword arrivals, templates, filesystems.
#include "ima/policy/grammar.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace ima::policy;

TEST(PolicyGrammar, FuncNamesAndTheOldAliases) {
    EXPECT_EQ(parse_func("BPRM_CHECK"), Func::bprm_check);
    EXPECT_EQ(parse_func("FILE_MMAP"), Func::mmap_check);
    EXPECT_EQ(parse_func("PATH_CHECK"), Func::file_check);
    EXPECT_EQ(parse_func("MMAP_CHECK_REQPROT"), Func::mmap_check_reqprot);
    EXPECT_FALSE(parse_func("bprm_check"));  // the kernel compares with strcmp
    EXPECT_FALSE(parse_func(""));
    EXPECT_STREQ(func_name(Func::kexec_initramfs_check), "KEXEC_INITRAMFS_CHECK");
    EXPECT_TRUE(is_kernel_read(Func::policy_check));
    EXPECT_FALSE(is_kernel_read(Func::bprm_check));
    EXPECT_TRUE(is_buffer_hook(Func::key_check));
}

TEST(PolicyGrammar, MaskBitsAreThoseOfLinuxFsH) {
    EXPECT_EQ(mask_bit("MAY_EXEC"), 1u);
    EXPECT_EQ(mask_bit("MAY_WRITE"), 2u);
    EXPECT_EQ(mask_bit("MAY_READ"), 4u);
    EXPECT_EQ(mask_bit("MAY_APPEND"), 8u);
    EXPECT_EQ(mask_bit("MAY_OPEN"), 0u);
}

TEST(PolicyGrammar, KeywordArrivalsCoverTheTargetReleases) {
    EXPECT_EQ(keyword_since("gid"), (KernelVersion{5, 16, 0}));
    EXPECT_EQ(keyword_since("func=MMAP_CHECK_REQPROT"), (KernelVersion{6, 4, 0}));
    EXPECT_EQ(keyword_since("digest_type"), (KernelVersion{5, 19, 0}));
    EXPECT_EQ(keyword_since("appraise_type=sigv3"), (KernelVersion{5, 19, 0}));
    EXPECT_EQ(keyword_since("label"), (KernelVersion{5, 12, 0}));
    EXPECT_EQ(keyword_since("keyrings"), (KernelVersion{5, 6, 0}));
    EXPECT_EQ(keyword_since("template"), (KernelVersion{5, 3, 0}));
    EXPECT_FALSE(keyword_since("colour"));
    std::set<std::string> seen;
    for (const auto& k : keyword_history()) EXPECT_TRUE(seen.insert(k.keyword).second) << k.keyword;
    // Every hook has an arrival.
    for (Func f : {Func::file_check, Func::mmap_check, Func::mmap_check_reqprot, Func::bprm_check, Func::creds_check,
                   Func::module_check, Func::firmware_check, Func::kexec_kernel_check, Func::kexec_initramfs_check,
                   Func::policy_check, Func::kexec_cmdline, Func::key_check, Func::critical_data, Func::setxattr_check})
        EXPECT_TRUE(keyword_since(std::string("func=") + func_name(f))) << func_name(f);
}

TEST(PolicyGrammar, TemplatesByNameOrFormat) {
    ASSERT_TRUE(find_template("ima-sig"));
    EXPECT_STREQ(find_template("d-ng|n-ng|sig")->name, "ima-sig");
    EXPECT_STREQ(find_template("ima-sigv2")->fmt, "d-ngv2|n-ng|sig");
    EXPECT_FALSE(find_template("ima-sigv3"));
    EXPECT_EQ(find_template("evm-sig")->since, (KernelVersion{5, 13, 0}));
}

TEST(PolicyGrammar, SkippedFilesystemsAsInTheKernelTables) {
    EXPECT_EQ(skipped_filesystems().size(), 14u);
    size_t measured = 0, appraised = 0;
    for (const auto& fs : skipped_filesystems()) measured += fs.dont_measure, appraised += fs.dont_appraise;
    EXPECT_EQ(measured, 13u);   // dont_measure_rules: all but ramfs
    EXPECT_EQ(appraised, 14u);  // default_appraise_rules
    EXPECT_STREQ(find_filesystem(0x01021994)->name, "tmpfs");
    EXPECT_STREQ(find_filesystem(0x858458f6)->name, "ramfs");
    EXPECT_FALSE(find_filesystem(ext4_magic));
    EXPECT_STREQ(skipped_filesystems_appraise_order()[10].name, "nsfs");
}

TEST(PolicyGrammar, HashNamesOfTheKernel) {
    EXPECT_TRUE(is_kernel_hash_name("sha256"));
    EXPECT_TRUE(is_kernel_hash_name("sm3"));
    EXPECT_TRUE(is_kernel_hash_name("sha3-256"));
    EXPECT_FALSE(is_kernel_hash_name("SHA256"));
    EXPECT_FALSE(is_kernel_hash_name(""));
}
