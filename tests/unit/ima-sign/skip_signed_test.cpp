// --skip-signed: a value that is already a valid signature of the requested
// kind, algorithm and key for the file's contents is kept byte for byte (an
// ECDSA signature made again would differ); anything else is signed again.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ima/digest.hpp"
#include "ima/fd.hpp"
#include "ima/key.hpp"
#include "ima/sign/sign_files.hpp"
#include "ima/sign/tar_sign.hpp"
#include "ima/signature.hpp"
#include "ima/xattr_format.hpp"
#include "test_util.hpp"

using namespace ima;
using namespace ima::sign;

namespace {

struct TestKey {
    PrivateKey key;
    Certificate cert;
    KeyId keyid;
    explicit TestKey(const std::string& name)
        : key(load_private_key(test::fixture("keys/" + name + ".key"), PassphraseSource{})),
          cert(load_certificate(test::fixture("keys/" + name + ".pem"))),
          keyid(keyid_of_certificate(cert)) {}
};

struct SignRun {
    std::map<std::string, Bytes> values;  // rel -> value stored (or kept)
    std::map<std::string, bool> kept;
    WalkSummary summary;
};

WriteRequest user_request(HashAlgo algo = HashAlgo::sha256) {
    WriteRequest req;
    req.algo = algo;
    req.ns = XattrNamespace::user;
    req.walk.jobs = 2;
    return req;
}

// Signs `dir` with `s`; with `skip_by`, keeps what verifies against its certificate.
SignRun sign_tree(const std::string& dir, const TestKey& s, SigVersion version, WriteRequest req,
                  const TestKey* skip_by = nullptr) {
    if (skip_by) req.keep_valid = keep_if_signed(skip_by->cert.public_key(), skip_by->keyid, version, req.algo);
    SignRun run;
    auto on_record = [&](const FileRecord& r) {
        run.values[r.rel] = r.value;
        run.kept[r.rel] = r.kept;
    };
    run.summary = sign_files({dir}, s.key, s.keyid, version, req, on_record, {});
    return run;
}

Bytes stored(const std::string& path) {
    Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    auto v = get_xattr(fd.get(), "user.ima", path);
    return v ? *v : Bytes{};
}

void put(const std::string& path, ByteView value) {
    Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    set_xattr(fd.get(), "user.ima", value, path);
}

}  // namespace

TEST(SkipSigned, AValidSignatureIsKeptByteForByteAndAChangedFileIsSignedAgain) {
    test::TempDir d;
    for (int i = 0; i < 20; ++i) d.file("t/f" + std::to_string(i), "contents " + std::to_string(i));
    TestKey ec("ec256");
    SignRun first = sign_tree(d.path() + "/t", ec, SigVersion::v2, user_request());
    ASSERT_EQ(first.values.size(), 20u);
    d.file("t/f3", "changed");
    SignRun second = sign_tree(d.path() + "/t", ec, SigVersion::v2, user_request(), &ec);
    ASSERT_EQ(second.values.size(), 20u);  // kept files are still recorded, for the manifest
    for (auto& [rel, value] : second.values) {
        std::string path = d.path() + "/t/" + rel;
        EXPECT_EQ(stored(path), value) << rel;
        if (rel == "f3") {
            EXPECT_FALSE(second.kept[rel]);
            EXPECT_NE(value, first.values[rel]);
        } else {
            EXPECT_TRUE(second.kept[rel]) << rel;
            EXPECT_EQ(value, first.values[rel]) << rel;  // ECDSA: a new signature would differ
        }
        Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
        std::vector<VerifyKey> keys;
        keys.push_back(VerifyKey{PKeyPtr(EVP_PKEY_dup(ec.cert.public_key())), ec.keyid, "ec"});
        EXPECT_EQ(verify_value(value, fd.get(), path, keys).kind, "signature");
    }
    // Without the check every file gets a new signature.
    SignRun third = sign_tree(d.path() + "/t", ec, SigVersion::v2, user_request());
    for (auto& [rel, value] : third.values) {
        EXPECT_FALSE(third.kept[rel]);
        EXPECT_NE(value, second.values[rel]) << rel;
    }
}

TEST(SkipSigned, AnotherKeyAlgorithmVersionOrADigestValueIsSignedAgain) {
    test::TempDir d;
    std::string f = d.file("t/f", "contents");
    TestKey ec("ec256"), other("other");
    // Signed with another key: its key id differs.
    sign_tree(d.path() + "/t", other, SigVersion::v2, user_request());
    SignRun r = sign_tree(d.path() + "/t", ec, SigVersion::v2, user_request(), &ec);
    EXPECT_FALSE(r.kept["f"]);
    // Another hash algorithm, then signature v3 where v2 is asked and back.
    sign_tree(d.path() + "/t", ec, SigVersion::v2, user_request(HashAlgo::sha512));
    EXPECT_FALSE(sign_tree(d.path() + "/t", ec, SigVersion::v2, user_request(), &ec).kept["f"]);
    EXPECT_FALSE(sign_tree(d.path() + "/t", ec, SigVersion::v3, user_request(), &ec).kept["f"]);
    EXPECT_TRUE(sign_tree(d.path() + "/t", ec, SigVersion::v3, user_request(), &ec).kept["f"]);
    EXPECT_FALSE(sign_tree(d.path() + "/t", ec, SigVersion::v2, user_request(), &ec).kept["f"]);
    EXPECT_TRUE(sign_tree(d.path() + "/t", ec, SigVersion::v2, user_request(), &ec).kept["f"]);
    // A digest value is never kept by signing.
    Bytes digest_value{0x04, 0x04};
    append(digest_value, digest_bytes(HashAlgo::sha256, view("contents")));
    put(f, digest_value);
    EXPECT_FALSE(sign_tree(d.path() + "/t", ec, SigVersion::v2, user_request(), &ec).kept["f"]);
}

TEST(SkipSigned, ASignatureWithTheRightHeaderButWrongBytesIsSignedAgain) {
    test::TempDir d;
    std::string f = d.file("t/f", "contents");
    TestKey ec("ec256");
    sign_tree(d.path() + "/t", ec, SigVersion::v2, user_request());
    Bytes good = stored(f);
    // The key id and algorithm are right; the signature covers other contents.
    d.file("t/f", "other contents");
    EXPECT_FALSE(sign_tree(d.path() + "/t", ec, SigVersion::v2, user_request(), &ec).kept["f"]);
    d.file("t/f", "contents");
    for (Bytes bad : {Bytes(good.begin(), good.end() - 1), Bytes{0x03, 0x02}, Bytes{}}) {
        put(f, bad);
        SignRun r = sign_tree(d.path() + "/t", ec, SigVersion::v2, user_request(), &ec);
        EXPECT_FALSE(r.kept["f"]);
        EXPECT_EQ(r.summary.failures.size(), 0u);
    }
    // sig_size still right, one signature byte flipped.
    SignatureValue s = decode_signature(good);
    s.sig.back() ^= 1;
    put(f, encode_signature(s));
    EXPECT_FALSE(sign_tree(d.path() + "/t", ec, SigVersion::v2, user_request(), &ec).kept["f"]);
}

TEST(SkipSigned, ASigfileThatVerifiesIsKept) {
    test::TempDir d;
    d.file("t/f", "contents");
    TestKey ec("ec256");
    WriteRequest req = user_request();
    req.output = Output::sigfile;
    SignRun first = sign_tree(d.path() + "/t", ec, SigVersion::v2, req);
    SignRun second = sign_tree(d.path() + "/t", ec, SigVersion::v2, req, &ec);
    EXPECT_TRUE(second.kept["f"]);
    EXPECT_EQ(second.values["f"], first.values["f"]);
    EXPECT_EQ(*read_sigfile(d.path() + "/t/f"), first.values["f"]);
}

namespace {

// A pax archive of files (name, contents, security.ima values).
void write_tar(const std::string& path, const std::vector<std::pair<std::string, std::vector<Bytes>>>& files) {
    archive* a = archive_write_new();
    ASSERT_EQ(archive_write_set_format_pax(a), ARCHIVE_OK);
    ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK);
    for (auto& [name, imas] : files) {
        std::string data = "contents of " + name;
        archive_entry* e = archive_entry_new();
        archive_entry_set_pathname(e, name.c_str());
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
        for (auto& v : imas) archive_entry_xattr_add_entry(e, "security.ima", v.data(), v.size());
        ASSERT_EQ(archive_write_header(a, e), ARCHIVE_OK);
        ASSERT_EQ(archive_write_data(a, data.data(), data.size()), static_cast<la_ssize_t>(data.size()));
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
}

}  // namespace

TEST(SkipSigned, ATarEntryWithOneValidSignatureKeepsIt) {
    test::TempDir d;
    TestKey ec("ec256");
    Signer signer(ec.key, ec.keyid);
    auto sig_of = [&](const std::string& contents) {
        return signer.sign_xattr(HashAlgo::sha256, digest_bytes(HashAlgo::sha256, view(contents)));
    };
    Bytes a = sig_of("contents of a");
    Bytes stale = sig_of("old contents of b");
    write_tar(d.path() + "/in.tar", {{"a", {a}}, {"b", {stale}}, {"c", {}}, {"d", {sig_of("contents of d"), a}}});
    TarRequest req;
    req.keep_valid = keep_if_signed(ec.cert.public_key(), ec.keyid, SigVersion::v2, HashAlgo::sha256);
    std::map<std::string, FileRecord> records;
    Fd in(open((d.path() + "/in.tar").c_str(), O_RDONLY | O_CLOEXEC));
    Fd out(open((d.path() + "/out.tar").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    TarSummary s = sign_tar(in.get(), "in.tar", out.get(), "out.tar", ec.key, ec.keyid, req,
                            [&](const FileRecord& r) { records.emplace(r.path, r); });
    EXPECT_EQ(s.entries, 4u);
    EXPECT_EQ(s.kept, 1u);
    EXPECT_EQ(s.signed_files, 3u);
    ASSERT_EQ(records.size(), 4u);
    EXPECT_TRUE(records["a"].kept);
    EXPECT_EQ(records["a"].value, a);
    EXPECT_FALSE(records["b"].kept);  // signed over other contents
    EXPECT_FALSE(records["c"].kept);  // no value
    EXPECT_FALSE(records["d"].kept);  // two different values: which one an extractor keeps is not ours to guess
    // The output holds exactly one security.ima per entry: the kept one for a.
    archive* r = archive_read_new();
    archive_read_support_format_all(r);
    ASSERT_EQ(archive_read_open_filename(r, (d.path() + "/out.tar").c_str(), 10240), ARCHIVE_OK);
    archive_entry* e;
    while (archive_read_next_header(r, &e) == ARCHIVE_OK) {
        std::vector<Bytes> imas;
        archive_entry_xattr_reset(e);
        const char* name;
        const void* value;
        size_t size;
        while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK)
            if (std::string(name) == "security.ima")
                imas.emplace_back(static_cast<const uint8_t*>(value), static_cast<const uint8_t*>(value) + size);
        std::string path = archive_entry_pathname(e);
        ASSERT_EQ(imas.size(), 1u) << path;
        EXPECT_EQ(imas[0], records[path].value) << path;
    }
    archive_read_free(r);
}
