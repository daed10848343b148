#include "measurement.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "ima/digest.hpp"
#include "ima/file_id.hpp"
#include "ima/key.hpp"
#include "ima/signature.hpp"
#include "pcrs.hpp"

using namespace ima;
using namespace ima::evmctl;

namespace {

void put32(Bytes& b, uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));  // host order: little-endian here
}

// An entry of `template_name` around its template data: pcr, SHA-1 template digest, name, data.
Bytes entry(const std::string& template_name, ByteView data, uint32_t pcr = 10) {
    Bytes e;
    put32(e, pcr);
    append(e, digest_bytes(HashAlgo::sha1, data));
    put32(e, static_cast<uint32_t>(template_name.size()));
    append(e, view(template_name));
    put32(e, static_cast<uint32_t>(data.size()));
    append(e, data);
    return e;
}

// One ima-ng entry: d-ng "sha256:" digest, n-ng name.
Bytes ng_entry(const std::string& name, uint32_t pcr = 10) {
    Bytes data;
    std::string algo = "sha256:";
    Bytes dfield(algo.begin(), algo.end());
    dfield.push_back(0);
    append(dfield, digest_bytes(HashAlgo::sha256, view(name)));
    put32(data, static_cast<uint32_t>(dfield.size()));
    append(data, dfield);
    put32(data, static_cast<uint32_t>(name.size() + 1));
    append(data, view(name));
    data.push_back(0);
    return entry("ima-ng", data, pcr);
}

struct Outcome {
    int status;
    std::string err;
};

// ima_measurement on `list` (written to a temporary file) with the options `o`.
Outcome run_with(ByteView list, Options o) {
    char tmpl[] = "/tmp/evmctl-ml.XXXXXX";
    int fd = mkstemp(tmpl);
    EXPECT_EQ(write(fd, list.data(), list.size()), static_cast<ssize_t>(list.size()));
    close(fd);
    o.args = {"ima_measurement", tmpl};
    std::ostringstream out, err;
    Console con(out, err, "evmctl", o.verbose);
    int s = cmd_ima_measurement(o, con, "/nonexistent");
    unlink(tmpl);
    EXPECT_EQ(out.str(), "");  // evmctl prints nothing on stdout here
    return {s, err.str()};
}

Outcome run(ByteView list, const std::vector<std::string>& extra = {}) {
    Options o;
    o.key = "/nonexistent.der";
    o.pcrs = extra;
    return run_with(list, o);
}

}  // namespace

TEST(Measurement, WithoutPcrsTheTemplateDigestsDecide) {
    Bytes list = ng_entry("boot_aggregate");
    append(list, ng_entry("/usr/bin/a"));
    EXPECT_EQ(run(list).status, 0);
    Bytes broken = list;
    broken[40] ^= 1;  // inside the first entry's template data
    EXPECT_EQ(run(broken).status, 1);
    EXPECT_EQ(run(Bytes{}).status, 125);
}

TEST(Measurement, PcrOutOfRangeIsOne) {
    Bytes list = ng_entry("boot_aggregate");
    append(list, ng_entry("/x", 24));
    EXPECT_EQ(run(list).status, 1);
}

TEST(Measurement, EveryTruncationEndsCleanly) {
    Bytes list = ng_entry("boot_aggregate");
    append(list, ng_entry("/usr/bin/a"));
    append(list, ng_entry("/usr/bin/b", 11));
    for (size_t cut = 0; cut <= list.size(); ++cut) {
        int s = run(ByteView(list).first(cut)).status;
        EXPECT_TRUE(s == 0 || s == 1 || s == 125) << cut << ": " << s;
    }
}

TEST(Measurement, MatchesPcrsReplayedPerBank) {
    Bytes list = ng_entry("boot_aggregate");
    append(list, ng_entry("/usr/bin/a"));
    // PCR 10 as the kernel extends it in the sha256 bank
    Bytes pcr(32, 0);
    Reader r(list);
    for (int i = 0; i < 2; ++i) {
        r.u32_host();
        r.bytes(20);
        r.skip(r.u32_host());
        ByteView data = r.bytes(r.u32_host());
        Hasher h(HashAlgo::sha256);
        h.update(pcr);
        h.update(digest_bytes(HashAlgo::sha256, data));
        pcr = h.finish();
    }
    char tmpl[] = "/tmp/evmctl-pcrs.XXXXXX";
    int fd = mkstemp(tmpl);
    close(fd);
    {
        std::ofstream f(tmpl);
        for (int i = 0; i < 24; ++i)
            f << "PCR-" << (i < 10 ? "0" : "") << i << ": " << (i == 10 ? to_hex(pcr) : std::string(64, '0')) << "\n";
    }
    EXPECT_EQ(run(list, {std::string("sha256,") + tmpl}).status, 0);
    {
        std::ofstream f(tmpl);
        f << "PCR-00: 00\n";
        for (int i = 1; i < 24; ++i) f << "PCR-" << (i < 10 ? "0" : "") << i << ": " << std::string(64, 'a') << "\n";
    }
    Outcome bad = run(list, {std::string("sha256,") + tmpl});
    EXPECT_EQ(bad.status, 1);
    EXPECT_NE(bad.err.find("Failed to match"), std::string::npos);
    unlink(tmpl);
}

namespace {

// One ima-sigv2 entry (evmctl 1.6): d-ngv2 "ima:sha256:" digest, n-ng name,
// sig = a version 3 signature over the ima_file_id of `signed_for`.
Bytes sigv2_entry(const std::string& name, ByteView digest, ByteView signed_for) {
    PrivateKey key = load_private_key(FIXTURES_DIR "/keys/rsa.key", PassphraseSource{});
    KeyId id = keyid_of_certificate(load_certificate(FIXTURES_DIR "/keys/rsa.pem"));
    Signer signer(key, id);
    Bytes sig = signer.sign_xattr(
        HashAlgo::sha256, sigv3_signed_digest(XattrType::digsig, HashAlgo::sha256, signed_for), XattrType::digsig, 3);
    std::string prefix = "ima:sha256:";
    Bytes dfield(prefix.begin(), prefix.end());
    dfield.push_back(0);
    append(dfield, digest);
    Bytes data;
    put32(data, static_cast<uint32_t>(dfield.size()));
    append(data, dfield);
    put32(data, static_cast<uint32_t>(name.size() + 1));
    append(data, view(name));
    data.push_back(0);
    put32(data, static_cast<uint32_t>(sig.size()));
    append(data, sig);
    return entry("ima-sigv2", data);
}

Outcome run_verify_sig(ByteView list) {
    Options o;
    o.key = FIXTURES_DIR "/keys/rsa.der";
    o.verify_sig = true;
    o.verbose = 1;  // -v: "verification is OK" lines
    return run_with(list, o);
}

}  // namespace

TEST(Measurement, VerifySigChecksSigv3InImaSigv2EntriesAsEvmctl16) {
    Bytes digest = digest_bytes(HashAlgo::sha256, view(std::string("contents")));
    Outcome good = run_verify_sig(sigv2_entry("/usr/bin/app", digest, digest));
    EXPECT_NE(good.err.find("/usr/bin/app: verification is OK"), std::string::npos) << good.err;
    EXPECT_EQ(good.err.find("verification failed"), std::string::npos) << good.err;
    // a signature over another digest than the one recorded
    Bytes other = digest_bytes(HashAlgo::sha256, view(std::string("other")));
    Outcome bad = run_verify_sig(sigv2_entry("/usr/bin/app", digest, other));
    EXPECT_NE(bad.err.find("/usr/bin/app: verification failed"), std::string::npos) << bad.err;
}
