// The profiles: golden files (UPDATE_GOLDEN=1 rewrites them), the kernel's
// built-in policies reproduced rule for rule, lint-clean for every target.
#include "ima/policy/profiles.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ima/error.hpp"
#include "ima/policy/lint.hpp"

using namespace ima::policy;
namespace fs = std::filesystem;

namespace {

struct Variant {
    const char* file;
    const char* profile;
    ProfileOptions options;
};

ProfileOptions opts(std::optional<KernelVersion> k, bool measure = false, const char* tmpl = nullptr,
                    bool sigv3 = false, const char* fsuuid = nullptr) {
    ProfileOptions o;
    o.kernel = k;
    o.measure = measure;
    if (tmpl) o.template_name = tmpl;
    o.sigv3 = sigv3;
    if (fsuuid) o.fsuuid = fsuuid;
    return o;
}

const KernelVersion k510{5, 10, 0}, k61{6, 1, 0}, k66{6, 6, 0}, k612{6, 12, 0};
const char* uuid = "8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6";

std::vector<Variant> variants() {
    return {
        {"appraise-exec.policy", "appraise-exec", opts({})},
        {"appraise-exec-6.1-measure-ima-sig.policy", "appraise-exec", opts(k61, true, "ima-sig")},
        {"appraise-exec-5.10-sigv3-measure.policy", "appraise-exec", opts(k510, true, nullptr, true)},
        {"appraise-exec-6.6-sigv3-fsuuid-measure.policy", "appraise-exec", opts(k66, true, nullptr, true, uuid)},
        {"appraise-tcb.policy", "appraise-tcb", opts({})},
        {"appraise-tcb-6.1-measure.policy", "appraise-tcb", opts(k61, true)},
        {"measure-tcb.policy", "measure-tcb", opts({})},
        {"measure-tcb-6.1.policy", "measure-tcb", opts(k61)},
        {"measure-tcb-5.10-ima-ngv2.policy", "measure-tcb", opts(k510, false, "ima-ngv2")},
        {"secure-boot.policy", "secure-boot", opts({})},
        {"secure-boot-6.12-measure.policy", "secure-boot", opts(k612, true, "ima-ng")},
    };
}

fs::path golden_dir() {
    return fs::path(FIXTURES_DIR) / "policy" / "golden";
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The rules only, as text: what the kernel sees.
std::vector<std::string> rules_of(const std::string& text) {
    std::vector<std::string> out;
    for (const auto& r : parse_policy(text).rules) out.push_back(r.text());
    return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST(PolicyProfiles, MatchTheGoldenFiles) {
    bool update = std::getenv("UPDATE_GOLDEN") && std::string(std::getenv("UPDATE_GOLDEN")) == "1";
    if (update) fs::create_directories(golden_dir());
    for (const auto& v : variants()) {
        SCOPED_TRACE(v.file);
        std::string text = generate_profile(v.profile, v.options);
        fs::path path = golden_dir() / v.file;
        if (update) {
            std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
            continue;
        }
        ASSERT_TRUE(fs::exists(path)) << "missing golden file; run with UPDATE_GOLDEN=1 and review the diff";
        EXPECT_EQ(text, slurp(path)) << "run with UPDATE_GOLDEN=1 and review the diff";
    }
}

TEST(PolicyProfiles, LintCleanForEveryTargetKernel) {
    for (const auto& p : profiles())
        for (auto k :
             {std::optional<KernelVersion>{}, std::optional<KernelVersion>{k510}, std::optional<KernelVersion>{k61},
              std::optional<KernelVersion>{k66}, std::optional<KernelVersion>{k612}})
            for (bool measure : {false, true}) {
                ProfileOptions o = opts(k, measure);
                if (measure) o.template_name = "ima-sig";
                std::string text = generate_profile(p.name, o);
                auto ds = lint_policy(parse_policy(text), LintOptions{k});
                EXPECT_TRUE(ds.empty()) << p.name << " " << (k ? k->text() : "newest") << ": " << ds[0].message;
            }
}

TEST(PolicyProfiles, MeasureTcbIsTheKernelsTcbPolicy) {
    // ima_policy.c: dont_measure_rules then default_measurement_rules (ima_policy=tcb).
    V dont = {"dont_measure fsmagic=0x9fa0",     "dont_measure fsmagic=0x62656572", "dont_measure fsmagic=0x64626720",
              "dont_measure fsmagic=0x1021994",  "dont_measure fsmagic=0x1cd1",     "dont_measure fsmagic=0x42494e4d",
              "dont_measure fsmagic=0x73636673", "dont_measure fsmagic=0xf97cff8c", "dont_measure fsmagic=0x43415d53",
              "dont_measure fsmagic=0x27e0eb",   "dont_measure fsmagic=0x63677270", "dont_measure fsmagic=0x6e736673",
              "dont_measure fsmagic=0xde5e81e4"};
    V measure = {"measure func=MMAP_CHECK mask=MAY_EXEC",
                 "measure func=BPRM_CHECK mask=MAY_EXEC",
                 "measure func=FILE_CHECK mask=^MAY_READ euid=0",
                 "measure func=FILE_CHECK mask=^MAY_READ uid=0",
                 "measure func=MODULE_CHECK",
                 "measure func=FIRMWARE_CHECK",
                 "measure func=POLICY_CHECK"};
    V want = dont;
    want.insert(want.end(), measure.begin(), measure.end());
    EXPECT_EQ(rules_of(generate_profile("measure-tcb", opts(k61))), want);
    // 6.14 limits the tmpfs rule to FILE_CHECK.
    want[3] = "dont_measure func=FILE_CHECK fsmagic=0x1021994";
    EXPECT_EQ(rules_of(generate_profile("measure-tcb", opts({}))), want);
}

TEST(PolicyProfiles, AppraiseTcbIsTheKernelsAppraiseTcbPolicy) {
    // default_appraise_rules, with the CONFIG_IMA_WRITE_POLICY rule for
    // POLICY_CHECK moved in front of the dont_appraise rules.
    V want = {"appraise func=POLICY_CHECK appraise_type=imasig",
              "dont_appraise fsmagic=0x9fa0",
              "dont_appraise fsmagic=0x62656572",
              "dont_appraise fsmagic=0x64626720",
              "dont_appraise fsmagic=0x1021994",
              "dont_appraise fsmagic=0x858458f6",
              "dont_appraise fsmagic=0x1cd1",
              "dont_appraise fsmagic=0x42494e4d",
              "dont_appraise fsmagic=0x73636673",
              "dont_appraise fsmagic=0xf97cff8c",
              "dont_appraise fsmagic=0x43415d53",
              "dont_appraise fsmagic=0x6e736673",
              "dont_appraise fsmagic=0xde5e81e4",
              "dont_appraise fsmagic=0x27e0eb",
              "dont_appraise fsmagic=0x63677270",
              "appraise fowner=0"};
    EXPECT_EQ(rules_of(generate_profile("appraise-tcb", opts(k61))), want);
}

TEST(PolicyProfiles, SecureBootIsTheKernelsSecureBootPolicy) {
    V want = {"appraise func=MODULE_CHECK appraise_type=imasig", "appraise func=FIRMWARE_CHECK appraise_type=imasig",
              "appraise func=KEXEC_KERNEL_CHECK appraise_type=imasig",
              "appraise func=POLICY_CHECK appraise_type=imasig"};
    EXPECT_EQ(rules_of(generate_profile("secure-boot", opts(k61))), want);
}

TEST(PolicyProfiles, OlderKernelsGetReplacementsWithANote) {
    std::string t = generate_profile("appraise-exec", opts(k510, false, nullptr, true));
    EXPECT_NE(t.find("# note: fs-verity signatures (sigv3) need kernel 5.19: replaced by appraise_type=imasig"),
              std::string::npos);
    EXPECT_EQ(t.find("sigv3 "), std::string::npos);
    std::string m = generate_profile("measure-tcb", opts(k510, false, "ima-ngv2"));
    EXPECT_NE(m.find("# note: template ima-ngv2 needs kernel 5.19: replaced by ima-ng"), std::string::npos);
    EXPECT_NE(m.find("measure func=BPRM_CHECK mask=MAY_EXEC template=ima-ng\n"), std::string::npos);
    std::string old = generate_profile("measure-tcb", opts(KernelVersion{5, 2, 0}, false, "ima-sig"));
    EXPECT_NE(old.find("# note: template= needs kernel 5.3: left out"), std::string::npos);
    EXPECT_EQ(old.find("template=ima"), std::string::npos);
}

TEST(PolicyProfiles, OptionsThatDoNotApplyAreRefused) {
    EXPECT_THROW(generate_profile("nonsense", {}), ima::UsageError);
    EXPECT_THROW(generate_profile("secure-boot", opts({}, false, nullptr, true)), ima::UsageError);
    EXPECT_THROW(generate_profile("secure-boot", opts({}, false, nullptr, false, uuid)), ima::UsageError);
    EXPECT_THROW(generate_profile("appraise-tcb", opts({}, false, "ima-ng")), ima::UsageError);
    EXPECT_THROW(generate_profile("appraise-exec", opts({}, false, nullptr, false, "not-a-uuid")), ima::UsageError);
    EXPECT_THROW(generate_profile("measure-tcb", opts({}, false, "ima-nope")), ima::UsageError);
}

TEST(PolicyProfiles, FsuuidRestrictsProgramsNotWhatTheKernelReads) {
    std::string t =
        generate_profile("appraise-exec", opts(k61, false, nullptr, false, "8BCBE394-4F13-4144-BE8E-5AA9EA2CE2F6"));
    EXPECT_NE(t.find("appraise func=BPRM_CHECK mask=MAY_EXEC fsuuid=8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6 "
                     "appraise_type=imasig\n"),
              std::string::npos);
    EXPECT_NE(t.find("appraise func=MODULE_CHECK appraise_type=imasig\n"), std::string::npos);
}
