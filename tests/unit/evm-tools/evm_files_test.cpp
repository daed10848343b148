// evm-tool's library on real trees (user.* xattrs): values written through
// the walker's descriptor, checked by verify_files, read back by read_values.
#include "ima/evm/evm_files.hpp"

#include <gtest/gtest.h>
#include <sys/xattr.h>

#include <mutex>

#include "ima/error.hpp"
#include "test_util.hpp"

using namespace ima;
using namespace ima::evmtool;
using test::fixture;

namespace {

PrivateKey rsa() {
    PassphraseSource p;
    p.allow_prompt = false;
    return load_private_key(fixture("keys/rsa.key"), p);
}

std::optional<Bytes> user_xattr(const std::string& path, const char* name) {
    uint8_t buf[1024];
    ssize_t n = getxattr(path.c_str(), name, buf, sizeof buf);
    if (n < 0) return std::nullopt;
    return Bytes(buf, buf + n);
}

struct Tree {
    test::TempDir d;
    std::vector<std::string> files;
    Tree() {
        for (const char* n : {"a", "sub/b", "sub/deeper/c"}) {
            files.push_back(d.file(n, n));
            Bytes ima(2 + 32, 0x11);  // a digest-ng value: sha256 + 32 bytes
            ima[0] = 0x04;
            ima[1] = 0x04;
            setxattr(files.back().c_str(), "user.ima", ima.data(), ima.size(), 0);
        }
    }
};

MakeRequest request(evm::EvmKind kind) {
    MakeRequest r;
    r.kind = kind;
    r.ns = XattrNamespace::user;
    r.overrides.uuid_source = evm::UuidSource::none;
    return r;
}

}  // namespace

TEST(EvmFiles, SignsEveryFileOnceAndVerifyAgrees) {
    Tree t;
    PrivateKey k = rsa();
    std::vector<ValueRecord> seen;
    WalkSummary s = sign_files({t.d.path()}, k, keyid_of_public_key(k.pkey.get()), request(evm::EvmKind::portable),
                               [&](const ValueRecord& r) { seen.push_back(r); }, {});
    EXPECT_EQ(s.exit_status(), 0);
    ASSERT_EQ(seen.size(), 3u);
    for (const auto& r : seen) EXPECT_EQ(user_xattr(r.path, "user.evm"), r.value) << r.path;

    CheckRequest c;
    c.keys = load_verify_keys({fixture("keys/rsa.pem")});
    c.ns = XattrNamespace::user;
    size_t ok = 0;
    EXPECT_EQ(
        verify_files({t.d.path()}, c, [&](const CheckRecord& r) { ok += r.check.kind == evm::EvmKind::portable; }, {})
            .exit_status(),
        0);
    EXPECT_EQ(ok, 3u);
}

TEST(EvmFiles, PrintOnlyWritesNothing) {
    Tree t;
    MakeRequest r = request(evm::EvmKind::hmac);
    r.write = Write::print_only;
    Bytes key{1, 2, 3};
    size_t n = 0;
    hmac_files({t.d.path()}, key, r, [&](const ValueRecord& v) { n += v.value.size() == 21; }, {});
    EXPECT_EQ(n, 3u);
    for (const auto& f : t.files) EXPECT_FALSE(user_xattr(f, "user.evm"));
}

TEST(EvmFiles, FailuresAreCountedPerFile) {
    Tree t;
    removexattr(t.files[1].c_str(), "user.ima");  // nothing protected left
    Bytes key{1};
    std::vector<FileFailure> failed;
    WalkSummary s = hmac_files({t.d.path()}, key, request(evm::EvmKind::hmac), {},
                               [&](const FileFailure& f) { failed.push_back(f); });
    EXPECT_EQ(s.exit_status(), 1);
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].path, t.files[1]);
    EXPECT_NE(failed[0].message.find("no protected xattr"), std::string::npos);

    CheckRequest c;
    c.ns = XattrNamespace::user;
    c.hmac_key = ByteView(key);
    c.overrides.uuid_source = evm::UuidSource::none;
    failed.clear();
    s = verify_files({t.d.path()}, c, {}, [&](const FileFailure& f) { failed.push_back(f); });
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].message, t.files[1] + ": no user.evm");
}

TEST(EvmFiles, ReadValuesReportsMalformedAfterRecording) {
    Tree t;
    uint8_t bad[] = {0x05, 0x02};
    setxattr(t.files[0].c_str(), "user.evm", bad, sizeof bad, 0);
    std::vector<ShowRecord> records;
    std::vector<FileFailure> failed;
    WalkSummary s = read_values(
        {t.d.path()}, XattrNamespace::user, {}, [&](const ShowRecord& r) { records.push_back(r); },
        [&](const FileFailure& f) { failed.push_back(f); });
    EXPECT_EQ(records.size(), 3u);
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(s.exit_status(), 1);
    EXPECT_EQ(failed[0].message.rfind(t.files[0] + ": malformed user.evm: ", 0), 0u);
    for (const auto& r : records) EXPECT_EQ(r.protected_present, std::vector<std::string>{"user.ima"});
}
