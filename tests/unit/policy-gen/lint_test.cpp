// lint_policy: what ima_parse_rule() and ima_validate_rule() refuse, with
// line and column, per kernel release; and the warnings.
#include "ima/policy/lint.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "ima/error.hpp"

using namespace ima::policy;

namespace {

// "E 3:9 bad-value" / "W 1:1 shadowed", in lint's order.
std::vector<std::string> lint(const std::string& text, std::optional<KernelVersion> k = std::nullopt) {
    std::vector<std::string> out;
    for (const auto& d : lint_policy(parse_policy(text), LintOptions{k}))
        out.push_back(std::string(d.severity == Diagnostic::error ? "E " : "W ") + std::to_string(d.line) + ":" +
                      std::to_string(d.column) + " " + d.code);
    return out;
}
std::vector<std::string> errors(const std::string& text, std::optional<KernelVersion> k = std::nullopt) {
    auto all = lint(text, k);
    std::vector<std::string> out;
    for (auto& s : all)
        if (s[0] == 'E') out.push_back(s);
    return out;
}
using V = std::vector<std::string>;
const KernelVersion k510{5, 10, 0}, k61{6, 1, 0}, k66{6, 6, 0}, k612{6, 12, 0};

}  // namespace

TEST(PolicyLint, CleanPolicyHasNoDiagnostics) {
    EXPECT_EQ(lint("measure func=BPRM_CHECK mask=MAY_EXEC\n", k61), V{});
}

TEST(PolicyLint, EmptyPolicyIsRefused) {
    EXPECT_EQ(lint(""), V{"E 1:1 empty-policy"});
    EXPECT_EQ(lint("# only comments\n\n"), V{"E 1:1 empty-policy"});
}

TEST(PolicyLint, ActionsMissingRepeatedUnknown) {
    EXPECT_EQ(errors("func=BPRM_CHECK\n"), V{"E 1:1 no-action"});
    EXPECT_EQ(errors("mesure func=BPRM_CHECK\n"), V{"E 1:1 unknown-keyword"});
    EXPECT_EQ(errors("measure dont_measure func=BPRM_CHECK\n"), V{"E 1:9 second-action"});
    EXPECT_EQ(errors("measure func=BPRM_CHECK colour=blue\n"), V{"E 1:25 unknown-keyword"});
    EXPECT_EQ(errors("measure FUNC=BPRM_CHECK\n"), V{"E 1:9 unknown-keyword"});
}

TEST(PolicyLint, UnknownKeywordSuggestsTheNearestOne) {
    auto ds = lint_policy(parse_policy("measure fowenr=0\n"));
    ASSERT_FALSE(ds.empty());
    EXPECT_NE(ds[0].message.find("did you mean 'fowner'"), std::string::npos) << ds[0].message;
}

TEST(PolicyLint, ValuesAsTheKernelReadsThem) {
    EXPECT_EQ(errors("measure func=BPRM_CHECKS\n"), V{"E 1:9 bad-value"});
    EXPECT_EQ(errors("measure func=\n"), V{"E 1:9 missing-value"});
    EXPECT_EQ(errors("measure func\n"), V{"E 1:9 missing-value"});
    EXPECT_EQ(errors("measure mask=MAY_OPEN\n"), V{"E 1:9 bad-value"});
    EXPECT_EQ(errors("measure mask=^\n"), V{"E 1:9 bad-value"});
    EXPECT_EQ(errors("measure fsmagic=0xef53 uid=0\n"), V{});
    EXPECT_EQ(errors("measure fsmagic=EF53\n"), V{});     // kstrtoul base 16: "0x" optional
    EXPECT_EQ(errors("measure fsmagic=+0xef53\n"), V{});  // and a '+'
    EXPECT_EQ(errors("measure fsmagic=0x\n"), V{"E 1:9 bad-value"});
    EXPECT_EQ(errors("measure fsmagic=0x10000000000000000\n"), V{"E 1:9 bad-value"});
    EXPECT_EQ(errors("measure fsuuid=8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6\n"), V{});
    EXPECT_EQ(errors("measure fsuuid=8bcbe3944f134144be8e5aa9ea2ce2f6\n"), V{"E 1:9 bad-value"});
    EXPECT_EQ(errors("measure uid=4294967294\n"), V{});
    EXPECT_EQ(errors("measure uid=4294967295\n"), V{"E 1:9 bad-value"});  // INVALID_UID
    EXPECT_EQ(errors("measure uid=0x10\n"), V{"E 1:9 bad-value"});
    EXPECT_EQ(errors("measure uid=-1\n"), V{"E 1:9 bad-value"});
    EXPECT_EQ(errors("measure fsmagic<5\n"), V{"E 1:9 bad-operator"});
    EXPECT_EQ(errors("measure pcr=63\n"), V{});
    EXPECT_EQ(errors("measure pcr=64\n"), V{"E 1:9 bad-value"});
    EXPECT_EQ(errors("measure permit_directio=1\n"), V{"E 1:9 bad-value"});
    EXPECT_EQ(errors("appraise func=SETXATTR_CHECK appraise_algos=sha256,SHA1\n"), V{"E 1:30 bad-value"});
    EXPECT_EQ(errors("appraise func=SETXATTR_CHECK appraise_algos=sha256,\n"), V{"E 1:30 bad-value"});
    EXPECT_EQ(errors("measure func=KEY_CHECK keyrings=.ima||.evm\n"), V{"E 1:24 bad-value"});
    EXPECT_EQ(errors("measure digest_type=fsverity\n"), V{"E 1:9 bad-value"});
    EXPECT_EQ(errors("appraise appraise_type=signed\n"), V{"E 1:10 bad-value"});
}

TEST(PolicyLint, PcrBeyondTheTpmIsAWarning) {
    EXPECT_EQ(lint("measure func=BPRM_CHECK pcr=30\n"), V{"W 1:25 pcr-range"});
}

TEST(PolicyLint, RepeatedConditions) {
    EXPECT_EQ(errors("appraise func=BPRM_CHECK func=MMAP_CHECK\n"), V{"E 1:26 repeated"});
    EXPECT_EQ(errors("measure mask=MAY_READ mask=^MAY_EXEC\n"), V{"E 1:23 repeated"});
    EXPECT_EQ(errors("measure fowner=0 fowner=1\n"), V{"E 1:18 repeated"});
    // uid= and euid= share the kernel's one field, as do gid= and egid=.
    EXPECT_EQ(errors("measure uid=0 euid=0\n"), V{"E 1:15 repeated"});
    EXPECT_EQ(errors("measure gid<5 egid=0\n"), V{"E 1:15 repeated"});
    EXPECT_EQ(errors("measure obj_type=a obj_type=b\n"), V{"E 1:20 repeated"});
    EXPECT_EQ(errors("measure obj_type=a subj_type=b\n"), V{});
    // fsname= and pcr= are taken again, the last one wins: a warning.
    EXPECT_EQ(lint("measure fsname=ext4 fsname=xfs\n"), V{"W 1:21 repeated"});
}

TEST(PolicyLint, OptionsOnlyWithTheirAction) {
    EXPECT_EQ(errors("measure func=BPRM_CHECK appraise_type=imasig\n"), V{"E 1:25 bad-combination"});
    EXPECT_EQ(errors("dont_appraise func=BPRM_CHECK appraise_type=imasig\n"), V{"E 1:31 bad-combination"});
    EXPECT_EQ(errors("appraise func=BPRM_CHECK pcr=11\n"), V{"E 1:26 bad-combination"});
    EXPECT_EQ(errors("audit func=BPRM_CHECK appraise_algos=sha256\n"), V{"E 1:23 bad-combination"});
    EXPECT_EQ(errors("appraise func=BPRM_CHECK template=ima-sig\n"), V{"E 1:26 bad-combination"});
}

TEST(PolicyLint, TemplateNeedsTheActionBeforeIt) {
    EXPECT_EQ(errors("template=ima-ng measure func=BPRM_CHECK\n"), V{"E 1:1 order"});
    EXPECT_EQ(errors("measure func=BPRM_CHECK template=ima-ng\n"), V{});
    EXPECT_EQ(errors("measure template=d-ng|n-ng|sig\n"), V{});  // a format names a template too
    EXPECT_EQ(errors("measure template=ima-sigv3\n"), V{"E 1:9 bad-value"});
    EXPECT_EQ(errors("measure template=ima-ng template=ima-sig\n"), V{"E 1:25 repeated"});
    EXPECT_EQ(errors("measure template=evm-sig\n", KernelVersion{5, 10, 0}), V{"E 1:9 too-new"});
}

TEST(PolicyLint, HooksAndTheOptionsTheyTake) {
    EXPECT_EQ(errors("measure func=KEXEC_CMDLINE mask=MAY_READ\n"), V{"E 1:28 bad-combination"});
    EXPECT_EQ(errors("appraise func=KEXEC_CMDLINE\n"), V{"E 1:10 bad-combination"});
    EXPECT_EQ(errors("measure func=KEY_CHECK euid=0\n"), V{"E 1:24 bad-combination"});
    EXPECT_EQ(errors("measure func=KEY_CHECK subj_type=x\n"), V{"E 1:9 bad-combination"});
    EXPECT_EQ(errors("measure func=CRITICAL_DATA label=selinux uid=0\n"), V{});
    EXPECT_EQ(errors("measure func=FILE_CHECK label=selinux\n"), V{"E 1:25 bad-combination"});
    EXPECT_EQ(errors("measure keyrings=.ima\n"), V{"E 1:9 bad-combination"});
    EXPECT_EQ(errors("appraise func=SETXATTR_CHECK\n"), V{"E 1:10 bad-combination"});
    EXPECT_EQ(errors("appraise func=SETXATTR_CHECK appraise_algos=sha256 fowner=0\n"), V{"E 1:52 bad-combination"});
    EXPECT_EQ(errors("measure func=SETXATTR_CHECK\n"), V{"E 1:9 bad-combination"});
}

TEST(PolicyLint, ModsigOnlyWhereAppendedSignaturesExist) {
    EXPECT_EQ(errors("appraise func=MODULE_CHECK appraise_type=imasig|modsig\n"), V{});
    EXPECT_EQ(errors("appraise func=KEXEC_INITRAMFS_CHECK appraise_type=imasig|modsig\n"), V{});
    EXPECT_EQ(errors("appraise func=BPRM_CHECK appraise_type=imasig|modsig\n"), V{"E 1:26 modsig-func"});
    EXPECT_EQ(errors("appraise appraise_type=imasig|modsig\n"), V{"E 1:10 modsig-func"});
    // Before 5.9 the kernel took such a rule, which then never held.
    auto old = lint("appraise func=BPRM_CHECK appraise_type=imasig|modsig\n", KernelVersion{5, 8, 0});
    EXPECT_NE(std::find(old.begin(), old.end(), "W 1:26 modsig-func"), old.end());
}

TEST(PolicyLint, VerityAndSignatureVersions) {
    EXPECT_EQ(errors("appraise func=BPRM_CHECK digest_type=verity appraise_type=sigv3\n", k61), V{});
    EXPECT_EQ(errors("appraise func=BPRM_CHECK appraise_type=sigv3 digest_type=verity\n", k61),
              V{"E 1:26 bad-combination"});  // the kernel stops at the first refusal
    EXPECT_EQ(errors("appraise func=BPRM_CHECK digest_type=verity appraise_type=imasig\n", k61),
              V{"E 1:45 bad-combination"});
    EXPECT_EQ(errors("appraise func=BPRM_CHECK digest_type=verity\n", k61), V{"E 1:26 bad-combination"});
    EXPECT_EQ(errors("appraise func=MODULE_CHECK digest_type=verity appraise_type=sigv3\n", k61),
              V{"E 1:28 bad-combination"});
    EXPECT_EQ(errors("appraise func=BPRM_CHECK appraise_type=sigv3\n", k612), V{"E 1:26 bad-combination"});
    EXPECT_EQ(errors("appraise func=BPRM_CHECK appraise_type=sigv3\n", KernelVersion{7, 1, 0}), V{});
    EXPECT_EQ(lint("measure func=FILE_CHECK digest_type=verity\n", k61), V{"W 1:1 verity-template"});
    EXPECT_EQ(lint("measure func=FILE_CHECK digest_type=verity template=ima-sig\n", k61), V{"W 1:44 verity-template"});
    EXPECT_EQ(lint("measure func=FILE_CHECK digest_type=verity template=ima-ngv2\n", k61), V{});
}

TEST(PolicyLint, AppraiseFlagBeforeAndAfter66) {
    const std::string rule = "appraise func=MODULE_CHECK appraise_flag=check_blacklist appraise_type=imasig|modsig\n";
    EXPECT_EQ(errors(rule, k61), V{});
    EXPECT_EQ(errors("appraise func=MODULE_CHECK appraise_flag=check_blacklist appraise_type=imasig\n", k61),
              V{"E 1:28 bad-combination"});
    EXPECT_EQ(errors("appraise func=MODULE_CHECK appraise_flag=whitelist appraise_type=imasig|modsig\n", k61),
              V{"E 1:28 bad-value"});
    auto newer = lint("appraise func=MODULE_CHECK appraise_flag=anything appraise_type=imasig\n", k66);
    EXPECT_EQ(newer, V{"W 1:28 deprecated"});
    EXPECT_EQ(errors(rule, KernelVersion{5, 4, 0}), V{"E 1:28 too-new"});
}

TEST(PolicyLint, KernelVersionsFlagWhatIsTooNew) {
    EXPECT_EQ(errors("measure func=MMAP_CHECK_REQPROT\n", k61), V{"E 1:9 too-new"});
    EXPECT_EQ(errors("measure func=MMAP_CHECK_REQPROT\n", k66), V{});
    EXPECT_EQ(errors("measure func=CRITICAL_DATA\n", k510), V{"E 1:9 too-new"});
    EXPECT_EQ(errors("measure func=FILE_CHECK gid>5\n", k510), V{"E 1:25 too-new"});
    EXPECT_EQ(errors("measure func=FILE_CHECK mask=^MAY_READ\n", KernelVersion{4, 12, 0}), V{"E 1:25 too-new"});
    EXPECT_EQ(errors("hash func=FILE_CHECK\n", KernelVersion{4, 12, 0}), V{"E 1:1 too-new"});
    auto ds = lint_policy(parse_policy("measure func=FILE_CHECK gid>5\n"), LintOptions{k510});
    ASSERT_EQ(ds.size(), 1u);
    EXPECT_EQ(ds[0].message, "'gid>' needs kernel 5.16 or later (target 5.10)");
}

TEST(PolicyLint, TrailingCommentsArriveIn614) {
    const std::string text = "measure func=BPRM_CHECK # programs\n";
    EXPECT_EQ(lint(text, k612), V{"E 1:25 trailing-comment"});
    EXPECT_EQ(lint(text, KernelVersion{6, 14, 0}), V{});
    EXPECT_EQ(lint(text), V{"W 1:25 trailing-comment"});
}

TEST(PolicyLint, LineEndsAndLengths) {
    EXPECT_EQ(errors("measure func=BPRM_CHECK\r\n"), V{"E 1:9 carriage-return"});
    EXPECT_EQ(errors("measure func=BPRM_CHECK \\\n"), V{"E 1:25 line-continuation"});
    std::string longrule = "measure fsname=" + std::string(5000, 'x') + "\n";
    EXPECT_EQ(errors(longrule), V{"E 1:1 line-too-long"});
}

TEST(PolicyLint, ShadowedRules) {
    EXPECT_EQ(lint("measure func=BPRM_CHECK\nmeasure func=BPRM_CHECK mask=MAY_EXEC\n"), V{"W 2:1 shadowed"});
    // dont_measure and measure are one kind: the first match decides.
    EXPECT_EQ(lint("dont_measure fsmagic=0x9fa0\nmeasure fsmagic=0x9fa0 func=BPRM_CHECK\n"), V{"W 2:1 shadowed"});
    // Different kinds do not shadow each other.
    EXPECT_EQ(lint("measure func=BPRM_CHECK\naudit func=BPRM_CHECK\n"), V{});
    // Ranges: uid<1000 covers uid=5 and uid<500, not uid<2000.
    EXPECT_EQ(lint("measure uid<1000\nmeasure uid=5\nmeasure uid<500\nmeasure uid<2000\n"),
              (V{"W 2:1 shadowed", "W 3:1 shadowed"}));
    // mask=^MAY_READ covers mask=MAY_READ, not the other way round.
    EXPECT_EQ(lint("measure mask=^MAY_READ\nmeasure mask=MAY_READ\n"), V{"W 2:1 shadowed"});
    EXPECT_EQ(lint("measure mask=MAY_READ\nmeasure mask=^MAY_READ\n"), V{});
    // A rule without func= never matches KEY_CHECK events.
    EXPECT_EQ(lint("measure\nmeasure func=KEY_CHECK\n"), V{});
    // Aliases are the same hook.
    EXPECT_EQ(lint("measure func=FILE_MMAP\nmeasure func=MMAP_CHECK\n"), V{"W 2:1 shadowed"});
    // fsmagic compares as numbers.
    EXPECT_EQ(lint("dont_measure fsmagic=0x01021994\ndont_measure fsmagic=1021994\n"), V{"W 2:1 shadowed"});
}

TEST(PolicyLint, PseudoFilesystemsBeforeAppraisal) {
    EXPECT_EQ(lint("appraise fowner=0\n"), V{"W 1:1 pseudo-fs"});
    EXPECT_EQ(lint("appraise fowner=0 fsuuid=8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6\n"), V{});
    EXPECT_EQ(lint("appraise func=MODULE_CHECK\n"), V{});
    auto ds = lint_policy(parse_policy("dont_appraise fsmagic=0x9fa0\nappraise fowner=0\n"));
    ASSERT_EQ(ds.size(), 1u);
    EXPECT_EQ(ds[0].message.find("for proc"), std::string::npos);
    EXPECT_NE(ds[0].message.find("for sysfs, debugfs"), std::string::npos);
}

TEST(PolicyLint, UnsignedCodeWhereSignaturesWereAskedFor) {
    const std::string exec = "appraise func=BPRM_CHECK appraise_type=imasig fsmagic=0xef53\n";
    EXPECT_EQ(lint(exec), (V{"W 1:1 mmap-unsigned", "W 1:1 script-interpreters"}));
    EXPECT_EQ(lint("# ima-policy: ignore=mmap-unsigned,script-interpreters\n" + exec), V{});
    // Errors cannot be silenced.
    EXPECT_EQ(lint("# ima-policy: ignore=bad-value\nmeasure func=NOPE\n"), V{"E 2:9 bad-value"});
    // A hash-only rule first: root's programs need no signature.
    EXPECT_EQ(lint("appraise fowner=0 fsmagic=0xef53\n" + exec +
                   "appraise func=MMAP_CHECK appraise_type=imasig "
                   "fsmagic=0xef53\nappraise func=FILE_CHECK appraise_type=imasig fsmagic=0xef53\n"),
              V{"W 1:1 exec-hash-only"});
    // A dont_appraise rule before the module rule: modules on tmpfs load unsigned.
    EXPECT_EQ(lint("dont_appraise fsmagic=0x1021994\nappraise func=MODULE_CHECK appraise_type=imasig\n"),
              V{"W 1:1 signature-exempted"});
    // ...but the usual pseudo filesystem rules before the program rules are the kernel's own way.
    EXPECT_EQ(lint("dont_appraise fsmagic=0x1021994\n" + exec +
                   "appraise func=MMAP_CHECK appraise_type=imasig fsmagic=0xef53\n"
                   "# ima-policy: ignore=script-interpreters\n"),
              V{});
}

namespace {
ima::policy::KernelConfig config_of(const std::string& text) {
    return ima::policy::parse_kernel_config(ima::view(text), "config-test");
}
std::vector<std::string> codes_for(const std::string& policy, const ima::policy::KernelConfig& c) {
    std::vector<std::string> out;
    LintOptions o;
    o.kernel = KernelVersion{6, 1, 0};
    o.config = &c;
    for (const auto& d : lint_policy(parse_policy(policy), o))
        out.push_back(std::string(d.severity == Diagnostic::error ? "E:" : "W:") + d.code);
    return out;
}
bool has(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}
}  // namespace

TEST(LintKernelConfig, WhatTheTargetWasBuiltWithout) {
    auto debian = config_of(
        "# comment\nCONFIG_IMA_APPRAISE=y\n# CONFIG_IMA_APPRAISE_MODSIG is not set\nCONFIG_CRYPTO_SHA512=m\n"
        "CONFIG_CRYPTO_SHA256=y\nCONFIG_EVM=y\nCONFIG_SECURITY_SELINUX=y\nCONFIG_MTD_NETtel=m\n");
    EXPECT_TRUE(has(codes_for("appraise func=MODULE_CHECK appraise_type=imasig|modsig\n", debian), "E:config"));
    EXPECT_TRUE(has(codes_for("measure func=KEY_CHECK keyrings=.ima\n", debian), "E:config"));
    auto algos = codes_for("appraise func=BPRM_CHECK appraise_type=imasig appraise_algos=sha256,sha512\n", debian);
    EXPECT_TRUE(has(algos, "W:hash-module"));
    EXPECT_FALSE(has(algos, "E:config"));
    EXPECT_TRUE(
        has(codes_for("appraise func=BPRM_CHECK appraise_type=imasig appraise_algos=wp512\n", debian), "E:config"));
    EXPECT_TRUE(
        has(codes_for("measure func=FILE_CHECK digest_type=verity template=ima-ngv2\n", debian), "W:verity-config"));
    auto bare = config_of("CONFIG_IMA_APPRAISE_MODSIG=y\nCONFIG_IMA_MEASURE_ASYMMETRIC_KEYS=y\n");
    auto modsig = codes_for("appraise func=MODULE_CHECK appraise_type=imasig|modsig\n", bare);
    EXPECT_FALSE(has(modsig, "E:config"));
    EXPECT_FALSE(has(modsig, "W:modsig-config")) << "the configuration says it is built in";
    EXPECT_TRUE(has(modsig, "W:appraise-config"));
    EXPECT_TRUE(has(codes_for("measure func=FILE_CHECK template=evm-sig\n", bare), "W:evm-config"));
    EXPECT_TRUE(has(codes_for("measure func=CRITICAL_DATA label=selinux\n", bare), "W:selinux-config"));
}

TEST(LintKernelConfig, ParserRefusesWhatIsNoConfiguration) {
    EXPECT_THROW(config_of("hello world\n"), ima::FormatError);
    EXPECT_THROW(config_of(""), ima::FormatError);
    EXPECT_THROW(config_of("CONFIG_A=y\nCONFIG_A=m\n"), ima::FormatError);
    EXPECT_THROW(config_of(std::string("CONFIG_A=y\n\0", 12)), ima::FormatError);
    auto c = config_of("CONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\nCONFIG_D=\"text\"\n");
    EXPECT_EQ(c.tristate("CONFIG_A"), 'y');
    EXPECT_EQ(c.tristate("CONFIG_B"), 'm');
    EXPECT_EQ(c.tristate("CONFIG_C"), 'n');
    EXPECT_EQ(c.tristate("CONFIG_D"), 'n');
    EXPECT_EQ(c.tristate("CONFIG_NONE"), 'n');
}
