#include "ima/sign/apply.hpp"

#include <gtest/gtest.h>

#include <new>

#include "ima/digest.hpp"
#include "test_util.hpp"

using namespace ima;
using namespace ima::sign;

namespace {
Manifest manifest_of(const std::string& rel, const std::string& contents) {
    Manifest m;
    m.algo = HashAlgo::sha256;
    m.files.push_back({rel, digest_bytes(HashAlgo::sha256, view(contents)), Bytes{0x04, 0x04, 0x01}});
    return m;
}
}  // namespace

TEST(Apply, AnyExceptionStopsAtItsFileNotTheProcess) {
    // A worker thread that let std::bad_alloc escape would end the process.
    test::TempDir d;
    d.file("a", "alpha");
    ApplyRequest req;
    req.root = d.path();
    req.ns = XattrNamespace::user;
    req.write = Write::dry_run;
    req.jobs = 2;
    WalkSummary s =
        apply_manifest(manifest_of("a", "alpha"), req, [](const FileRecord&) { throw std::bad_alloc(); }, {});
    ASSERT_EQ(s.failures.size(), 1u);
    EXPECT_EQ(s.failures[0].kind, ErrorKind::env);
    EXPECT_NE(s.failures[0].message.find("out of memory"), std::string::npos) << s.failures[0].message;
    s = apply_manifest(manifest_of("a", "alpha"), req, [](const FileRecord&) { throw std::runtime_error("odd"); }, {});
    ASSERT_EQ(s.failures.size(), 1u);
    EXPECT_EQ(s.exit_status(), 3);
}

TEST(Apply, ADigestThatDiffersGetsNoValue) {
    test::TempDir d;
    d.file("a", "changed");
    ApplyRequest req;
    req.root = d.path();
    req.ns = XattrNamespace::user;
    WalkSummary s = apply_manifest(manifest_of("a", "alpha"), req, {}, {});
    ASSERT_EQ(s.failures.size(), 1u);
    EXPECT_EQ(s.exit_status(), 1);
}
