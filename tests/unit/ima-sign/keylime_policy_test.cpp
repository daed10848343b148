// The Keylime runtime policy writer: names as the kernel logs them, hard-link
// names, the target root, the verification key, and excludes.
#include "ima/sign/keylime_policy.hpp"

#include <gtest/gtest.h>

#include "ima/error.hpp"
#include "ima/key.hpp"
#include "test_util.hpp"

using namespace ima;
using namespace ima::sign;

namespace {

FileRecord record(const std::string& rel, uint8_t fill) {
    FileRecord r;
    r.path = "/build/root/" + rel;
    r.rel = rel;
    r.digest = Bytes(32, fill);
    return r;
}

}  // namespace

TEST(KeylimePolicy, NamesAreWhatTheKernelLogsUnderTheTargetRoot) {
    KeylimePolicyOptions o;
    o.target_root = "/mnt/";
    o.aliases = {{"usr/bin/link", "usr/bin/app"}, {"gone", "not/recorded"}};
    auto p = keylime_policy_json({record("usr/bin/app", 1), record("etc/a b", 2), record("etc/a_b", 3)},
                                 HashAlgo::sha256, o);
    EXPECT_EQ(p["meta"]["generator"], keylime_generator);
    EXPECT_GT(keylime_generator, 1);  // what Keylime's push-mode verifier acts on
    const auto& d = p["digests"];
    EXPECT_EQ(d.size(), 3u);
    EXPECT_EQ(d["/mnt/usr/bin/app"], d["/mnt/usr/bin/link"]);
    EXPECT_EQ(d["/mnt/etc/a_b"].size(), 2u);  // "a b" and "a_b" meet in one key
    EXPECT_FALSE(d.contains("/mnt/gone"));    // an alias of a file that was not recorded
    EXPECT_EQ(p["verification-keys"], "");
}

TEST(KeylimePolicy, TargetRootIsAbsoluteAndNormal) {
    EXPECT_EQ(checked_target_root("/"), "/");
    EXPECT_EQ(checked_target_root("//mnt//img/"), "/mnt/img");
    EXPECT_THROW(checked_target_root("mnt"), UsageError);
    EXPECT_THROW(checked_target_root(""), UsageError);
    EXPECT_THROW(checked_target_root("/mnt/../etc"), UsageError);
    EXPECT_THROW(checked_target_root("/mnt/."), UsageError);
    EXPECT_EQ(keylime_path("/", "usr/bin/a b"), "/usr/bin/a_b");
    EXPECT_EQ(keylime_path("/mnt", "x"), "/mnt/x");
}

TEST(KeylimePolicy, VerificationKeysAreOneKeyringOfTheCertificatesKey) {
    Certificate c = load_certificate(test::fixture("keys/ec256.pem"));
    KeylimePolicyOptions o;
    o.verification_key = c.public_key();
    o.keyid = KeyId{0x12, 0x34, 0x56, 0x78};
    auto p = keylime_policy_json({record("f", 1)}, HashAlgo::sha256, o);
    auto ring = nlohmann::json::parse(p["verification-keys"].get<std::string>());
    EXPECT_EQ(ring["keyids"], nlohmann::json::array({0x12345678}));
    ASSERT_EQ(ring["pubkeys"].size(), 1u);
    EXPECT_EQ(ring["pubkeys"][0].get<std::string>().rfind("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE", 0),
              0u);  // P-256 SPKI
}

TEST(KeylimePolicy, ExcludesFollowTheWalkersGlobsAndThePolicysLeftOvers) {
    EXPECT_EQ(keylime_exclude_regex("/", "*.pyc"), "^/(.*/)?[^/]*\\.pyc(/.*)?$");
    EXPECT_EQ(keylime_exclude_regex("/mnt", "var/cache"), "^/mnt/var/cache(/.*)?$");
    EXPECT_EQ(keylime_exclude_regex("/", "[!a]?"), "^/(.*/)?[^a][^/](/.*)?$");
    EXPECT_EQ(keylime_exclude_regex("/", "a[b"), "^/(.*/)?a\\[b(/.*)?$");
    KeylimePolicyOptions o;
    o.exclude_globs = {"*.pyc"};
    o.left_out = {"etc/a b", "etc/x.conf"};
    auto p = keylime_policy_json({record("f", 1)}, HashAlgo::sha256, o);
    EXPECT_EQ(p["excludes"], nlohmann::json::array({"^/(.*/)?[^/]*\\.pyc(/.*)?$", "^/etc/a_b$", "^/etc/x\\.conf$"}));
}
