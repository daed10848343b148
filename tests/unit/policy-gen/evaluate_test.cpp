// evaluate(): ima_match_policy() on values.
#include "ima/policy/evaluate.hpp"

#include <gtest/gtest.h>

#include "ima/error.hpp"
#include "ima/policy/profiles.hpp"

using namespace ima::policy;

namespace {
Event exec_on(uint64_t magic) {
    Event e;
    e.func = Func::bprm_check;
    e.fsmagic = magic;
    e.uid = 0;
    e.fowner = 0;
    return e;
}
}  // namespace

TEST(PolicyEvaluate, FirstMatchOfEachKindDecides) {
    Policy p = parse_policy(
        "dont_measure fsmagic=0x9fa0\n"
        "measure func=BPRM_CHECK\n"
        "appraise func=BPRM_CHECK fsmagic=0xef53 appraise_type=imasig\n"
        "dont_appraise func=BPRM_CHECK\n"
        "audit func=BPRM_CHECK\n");
    Decision d = evaluate(p, exec_on(0xef53));
    ASSERT_TRUE(d.measure);
    EXPECT_EQ(d.measure->line, 2u);
    EXPECT_TRUE(d.measured());
    EXPECT_TRUE(d.appraised());
    EXPECT_EQ(d.appraise->line, 3u);
    EXPECT_EQ(d.appraise_type(), "imasig");
    EXPECT_TRUE(d.audited());
    EXPECT_FALSE(d.hash);

    Decision proc = evaluate(p, exec_on(0x9fa0));
    EXPECT_FALSE(proc.measured());
    EXPECT_EQ(proc.measure->line, 1u);
    EXPECT_FALSE(proc.appraised());
    EXPECT_EQ(proc.appraise->line, 4u);
}

TEST(PolicyEvaluate, MasksExactAndIncluded) {
    Policy p = parse_policy("measure func=FILE_CHECK mask=MAY_READ\nmeasure func=FILE_CHECK mask=^MAY_WRITE\n");
    Event e;
    e.func = Func::file_check;
    e.mask = 4;
    EXPECT_EQ(evaluate(p, e).measure->line, 1u);
    e.mask = 4 | 2;
    EXPECT_EQ(evaluate(p, e).measure->line, 2u);
    e.mask = 8;
    EXPECT_FALSE(evaluate(p, e).measure);
    // Without --mask, FILE_CHECK is a read.
    e.mask.reset();
    EXPECT_EQ(evaluate(p, e).measure->line, 1u);
    EXPECT_EQ(default_mask(Func::bprm_check), 1u);
    EXPECT_EQ(default_mask(Func::module_check), 4u);
}

TEST(PolicyEvaluate, IdsWithOperatorsAndEuidFallingBackToUid) {
    Policy p = parse_policy("measure euid=0\nmeasure uid<1000\nmeasure fowner>999 fgroup=5\n");
    Event e;
    e.uid = 0;
    EXPECT_EQ(evaluate(p, e).measure->line, 1u);  // euid taken from uid
    e.euid = 1000;
    e.uid = 999;
    EXPECT_EQ(evaluate(p, e).measure->line, 2u);
    e.uid = 1000;
    e.fowner = 1000;
    e.fgroup = 5;
    EXPECT_EQ(evaluate(p, e).measure->line, 3u);
    e.fgroup = 6;
    EXPECT_FALSE(evaluate(p, e).measure);
}

TEST(PolicyEvaluate, AliasesAndFilesystemConditions) {
    Policy p = parse_policy(
        "measure func=FILE_MMAP fsuuid=8BCBE394-4f13-4144-be8e-5aa9ea2ce2f6\nmeasure fsname=ext4 func=MMAP_CHECK\n");
    Event e;
    e.func = Func::mmap_check;
    e.fsuuid = "8bcbe394-4F13-4144-be8e-5aa9ea2ce2f6";
    EXPECT_EQ(evaluate(p, e).measure->line, 1u);
    e.fsuuid = "00000000-0000-0000-0000-000000000000";
    e.fsname = "ext4";
    EXPECT_EQ(evaluate(p, e).measure->line, 2u);
}

TEST(PolicyEvaluate, UnknownConditionsAreReportedAndTreatedAsAsked) {
    Policy p = parse_policy(
        "dont_appraise fsmagic=0x1021994\n"
        "dont_appraise obj_type=tmp_t\n"
        "appraise func=BPRM_CHECK fsuuid=8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6 appraise_type=imasig\n"
        "appraise func=BPRM_CHECK uid=0\n");
    Event e;
    e.func = Func::bprm_check;
    Decision d = evaluate(p, e);
    EXPECT_FALSE(d.appraise);
    ASSERT_EQ(d.undecided.size(), 4u);
    EXPECT_EQ(d.undecided[0].second, "fsmagic");
    EXPECT_EQ(d.undecided[1].second, "LSM label obj_type=tmp_t");
    EXPECT_EQ(d.undecided[2].second, "fsuuid");
    EXPECT_EQ(d.undecided[3].second, "uid");
    // Conservative: appraise rules match, dont_ rules do not.
    Decision c = evaluate(p, e, Unknowns::conservative);
    ASSERT_TRUE(c.appraise);
    EXPECT_EQ(c.appraise->line, 3u);
}

TEST(PolicyEvaluate, KeyAndCriticalDataMatchOnlyTheirOwnRules) {
    Policy p = parse_policy(
        "measure\nmeasure func=KEY_CHECK keyrings=.ima|.evm\nmeasure func=KEY_CHECK uid=0\n"
        "measure func=CRITICAL_DATA label=selinux\n");
    Event e;
    e.func = Func::key_check;
    e.keyring = ".evm";
    EXPECT_EQ(evaluate(p, e).measure->line, 2u);
    e.keyring = ".builtin_trusted_keys";
    e.uid = 0;
    EXPECT_EQ(evaluate(p, e).measure->line, 3u);
    e.func = Func::critical_data;
    e.label = "selinux";
    EXPECT_EQ(evaluate(p, e).measure->line, 4u);
    e.label = "kernel_info";
    EXPECT_FALSE(evaluate(p, e).measure);
}

TEST(PolicyEvaluate, PcrAndTemplateOfTheMeasureRule) {
    Policy p = parse_policy("measure func=KEXEC_KERNEL_CHECK pcr=4 template=ima-ng\nmeasure func=BPRM_CHECK\n");
    Event e;
    e.func = Func::kexec_kernel_check;
    Decision d = evaluate(p, e);
    EXPECT_EQ(d.pcr(), 4u);
    EXPECT_EQ(d.template_name(), "ima-ng");
    e.func = Func::bprm_check;
    d = evaluate(p, e);
    EXPECT_EQ(d.pcr(), 10u);
    EXPECT_EQ(d.template_name(), "");
}

TEST(PolicyEvaluate, TheTcbProfileMeasuresWhatTheKernelWould) {
    Policy p = parse_policy(generate_profile("measure-tcb", {}));
    Event read;
    read.func = Func::file_check;
    read.mask = 4 | 2;  // opened read-write
    read.uid = 1000;
    read.euid = 0;  // setuid program
    read.fsmagic = 0xef53;
    EXPECT_TRUE(evaluate(p, read).measured());
    read.euid = 1000;
    EXPECT_FALSE(evaluate(p, read).measured());
    Event tmp = exec_on(0x01021994);  // executed from tmpfs: measured since 6.14's tcb
    EXPECT_TRUE(evaluate(p, tmp).measured());
    ProfileOptions o61;
    o61.kernel = KernelVersion{6, 1, 0};
    Policy old = parse_policy(generate_profile("measure-tcb", o61));
    EXPECT_FALSE(evaluate(old, tmp).measured());
}

TEST(PolicyEvaluate, ParseMaskWords) {
    EXPECT_EQ(parse_mask("MAY_EXEC"), 1u);
    EXPECT_EQ(parse_mask("MAY_READ|MAY_WRITE"), 6u);
    EXPECT_EQ(parse_mask("read,append"), 12u);
    EXPECT_EQ(parse_mask("4"), 4u);
    EXPECT_THROW(parse_mask("MAY_OPEN"), ima::UsageError);
    EXPECT_THROW(parse_mask(""), ima::UsageError);
}
