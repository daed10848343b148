// What `show` says about every type of security.ima / security.evm value.
#include "ima/evm/describe.hpp"

#include <gtest/gtest.h>

#include "ima/error.hpp"

using namespace ima;
using namespace ima::evmtool;

namespace {
std::string text(const std::string& hex) {
    return facts_text(describe_value(from_hex(hex)));
}
}  // namespace

TEST(Describe, EveryTypeInOneLine) {
    EXPECT_EQ(text("01" + std::string(40, 'a')), "digest, sha1 " + std::string(40, 'a'));
    EXPECT_EQ(text("02" + std::string(40, 'b')), "evm-hmac, hmac-sha1 " + std::string(40, 'b'));
    EXPECT_EQ(text("03020479d765db0003aabbcc"), "signature v2, sha256, key 79d765db, 3-byte signature");
    EXPECT_EQ(text("0404" + std::string(64, 'c')), "digest-ng, sha256 " + std::string(64, 'c'));
    EXPECT_EQ(text("05020479d765db0001aa"), "evm-portable-signature v2, sha256, key 79d765db, 1-byte signature");
    EXPECT_EQ(text("06030479d765db0001aa"), "verity-signature v3, sha256, key 79d765db, 1-byte signature");
    // v1: version, timestamp, pubkey algo, hash algo (sha1), keyid[8], nmpi, MPI
    EXPECT_EQ(text("030100000000000201020304050607080100080f"),
              "signature v1, sha1, key 0102030405060708, 3-byte signature (obsolete v1 format)");
}

TEST(Describe, TypeThreeInSecurityEvmIsTheImmutableEvmSignature) {
    EXPECT_EQ(facts_text(describe_value(from_hex("03020479d765db0001aa"), Attr::evm)),
              "evm-immutable-signature v2, sha256, key 79d765db, 1-byte signature");
}

TEST(Describe, JsonCarriesTheSameFactsAndTheRawValue) {
    Bytes v = from_hex("05020479d765db0001aa");
    nlohmann::json j = facts_json(describe_value(v), v);
    EXPECT_EQ(j["type"], 5);
    EXPECT_EQ(j["type_name"], "evm-portable-signature");
    EXPECT_EQ(j["version"], 2);
    EXPECT_EQ(j["hash_algo"], "sha256");
    EXPECT_EQ(j["keyid"], "79d765db");
    EXPECT_EQ(j["sig_size"], 1);
    EXPECT_EQ(j["value"], "05020479d765db0001aa");
    Bytes h = from_hex("02" + std::string(40, 'b'));
    EXPECT_EQ(facts_json(describe_value(h), h)["hmac"], std::string(40, 'b'));
}

TEST(Describe, MalformedValuesThrowFormatError) {
    for (const char* bad : {"", "07", "0302", "04ff11", "0301"})
        EXPECT_THROW(describe_value(from_hex(bad)), FormatError) << bad;
}
