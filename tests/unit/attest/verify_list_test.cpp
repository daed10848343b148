// The attest library's verify: findings by category on the synthetic list,
// manifest roots (explicit and found), and what is skipped.
#include "ima/attest/verify_list.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "attest_util.hpp"
#include "ima/digest.hpp"
#include "ima/error.hpp"

using namespace ima::attest;

namespace {

// A manifest with the given paths; each digest is what mklog.py gives the
// file at "/<prefix>/<path>" ("contents of <absolute path>").
ima::Manifest manifest(const std::string& mounted_at, std::initializer_list<const char*> paths) {
    ima::Manifest m;
    for (const char* p : paths) {
        std::string abs = mounted_at + "/" + p;
        m.files.push_back({p, ima::digest_bytes(ima::HashAlgo::sha256, ima::view("contents of " + abs)), {}});
    }
    return m;
}

size_t count(const VerifyReport& r, Finding f) {
    return static_cast<size_t>(
        std::count_if(r.findings.begin(), r.findings.end(), [&](const auto& x) { return x.what == f; }));
}

}  // namespace

TEST(VerifyList, FindsTheRootUnderWhichPathsAreInTheManifest) {
    auto l = ima::measurement::load_measurement_list(test::synthetic("all.log"));
    auto m = manifest("/usr", {"bin/ls", "bin/signed-rsa", "bin/signed-ec"});
    EXPECT_EQ(detect_root(l->list, m), "/usr");
    auto top = manifest("", {"usr/bin/ls"});
    EXPECT_EQ(detect_root(l->list, top), "/");
    EXPECT_EQ(detect_root(l->list, manifest("", {"nowhere"})), "/");
}

TEST(VerifyList, ManifestCategories) {
    auto l = ima::measurement::load_measurement_list(test::synthetic("all.log"));
    auto m = manifest("/usr", {"bin/ls", "bin/signed-rsa", "bin/with_space", "bin/sha1-file", "share/never-measured"});
    m.files[2].digest[0] ^= 1;
    VerifyOptions o;
    o.manifest = &m;
    VerifyReport r = verify_list(l->list, o);
    EXPECT_EQ(r.root, "/usr");
    EXPECT_EQ(r.manifest_matched, 3u);  // ls twice (PCR 10 and 11), signed-rsa
    EXPECT_EQ(count(r, Finding::digest_mismatch), 1u);
    EXPECT_EQ(count(r, Finding::algorithm_mismatch), 1u);  // the sha1 file
    EXPECT_EQ(r.outside_root, 3u);                         // /opt, /lib/modules, /etc
    EXPECT_EQ(r.not_measured, std::vector<std::string>{"share/never-measured"});
    EXPECT_EQ(r.violations, 2u);
    EXPECT_FALSE(r.ok());
}

TEST(VerifyList, SignaturesOnlyAndRequiredSignatures) {
    auto l = ima::measurement::load_measurement_list(test::synthetic("ng.log"));
    auto keys = ima::load_verify_keys({test::fixture("keys/rsa.pem")});
    VerifyOptions o;
    o.keys = &keys;
    // ima-ng carries no signatures: checking them over this list checks nothing.
    VerifyReport none = verify_list(l->list, o);
    EXPECT_FALSE(none.ok());
    ASSERT_EQ(none.findings.size(), 1u);
    EXPECT_EQ(none.findings[0].what, Finding::nothing_verified);
    o.require_signatures = true;
    VerifyReport r = verify_list(l->list, o);
    EXPECT_EQ(count(r, Finding::unsigned_file), 36u);  // 40 entries: boot_aggregate and 3 violations are not files
}

TEST(VerifyList, AnEmptyListIsNeverVerified) {
    ima::measurement::MeasurementList empty;
    auto keys = ima::load_verify_keys({test::fixture("keys/rsa.pem")});
    ima::Manifest m;
    VerifyOptions o;
    o.keys = &keys;
    o.manifest = &m;
    VerifyReport r = verify_list(empty, o);
    EXPECT_FALSE(r.ok());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].what, Finding::nothing_verified);
    EXPECT_EQ(r.findings[0].detail, "the list holds no entries");
}

TEST(VerifyList, RootMustBeAbsolute) {
    auto l = ima::measurement::load_measurement_list(test::synthetic("ng.log"));
    ima::Manifest m;
    VerifyOptions o;
    o.manifest = &m;
    o.root = "mnt";
    EXPECT_THROW(verify_list(l->list, o), ima::UsageError);
}
