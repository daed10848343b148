// The security.evm wire format: what decodes, and each malformed input
// refused with the field named.
#include "ima/evm/value.hpp"

#include <gtest/gtest.h>

#include "ima/error.hpp"

using namespace ima;
using namespace ima::evm;

namespace {
std::string decode_error(const std::string& hex) {
    try {
        decode_evm_value(from_hex(hex));
    } catch (const FormatError& e) {
        return e.what();
    }
    return "decoded";
}
}  // namespace

TEST(EvmValue, HmacDecodesAndReencodes) {
    Bytes in = from_hex("02eccbd4e538989bbc084932877d7449b0fabe19c6");
    EvmValue v = decode_evm_value(in);
    EXPECT_EQ(v.kind, EvmKind::hmac);
    EXPECT_EQ(to_hex(v.hmac), "eccbd4e538989bbc084932877d7449b0fabe19c6");
    EXPECT_EQ(encode_evm_value(v), in);
}

TEST(EvmValue, PortableAndImmutableSignaturesDecode) {
    for (const char* type : {"03", "05"}) {
        Bytes in = from_hex(std::string(type) + "020479d765db0003aabbcc");
        EvmValue v = decode_evm_value(in);
        EXPECT_EQ(static_cast<int>(v.kind), in[0]);
        EXPECT_EQ(v.signature.algo, HashAlgo::sha256);
        EXPECT_EQ(keyid_hex(v.signature.keyid), "79d765db");
        EXPECT_EQ(to_hex(v.signature.sig), "aabbcc");
        EXPECT_EQ(encode_evm_value(v), in);
    }
}

TEST(EvmValue, MalformedValuesNameTheField) {
    EXPECT_EQ(decode_error(""), "type: empty value");
    EXPECT_EQ(decode_error("02aabb"), "hmac: 2 bytes, expected 20");
    EXPECT_EQ(decode_error("04041122"), "type: 0x04 (digest-ng) is a security.ima type, not an EVM one");
    EXPECT_EQ(decode_error("01aa"), "type: 0x01 (digest) is a security.ima type, not an EVM one");
    EXPECT_EQ(decode_error("06030400000000000100"),
              "type: 0x06 (verity-signature) is a security.ima type, not an EVM one");
    EXPECT_EQ(decode_error("07"), "type: unknown EVM type 0x07");
    EXPECT_EQ(decode_error("0501"), "version: EVM signatures use signature version 2, not 1");
    EXPECT_EQ(decode_error("0303040000000000"), "version: EVM signatures use signature version 2, not 3");
    EXPECT_EQ(decode_error("0502"), "signature header: truncated at byte 2 (need 1, have 0)");
    EXPECT_EQ(decode_error("05020400000000"), "signature header: truncated at byte 7 (need 2, have 0)");
    EXPECT_EQ(decode_error("0502040000000000ff00"), "sig_size: 255 but 1 bytes follow");
    EXPECT_EQ(decode_error("05022000000000000100"), "hash_algo: unknown hash algorithm number 32");
    EXPECT_EQ(decode_error("050204000000000000"), "sig_size: empty signature");
}
