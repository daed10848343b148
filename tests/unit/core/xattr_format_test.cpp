#include "ima/xattr_format.hpp"

#include <gtest/gtest.h>

#include "ima/error.hpp"

using namespace ima;

TEST(XattrFormat, DigestValuesMatchEvmctlImaHash) {
    // `evmctl ima_hash -a sha1` / `-a sha256` of "hello\n".
    Bytes sha1 = from_hex("f572d396fae9206628714fb2ce00f72e94f2258f");
    EXPECT_EQ(to_hex(encode_digest({HashAlgo::sha1, sha1})), "01f572d396fae9206628714fb2ce00f72e94f2258f");
    Bytes sha256 = from_hex("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
    EXPECT_EQ(to_hex(encode_digest({HashAlgo::sha256, sha256})),
              "04045891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
}

TEST(XattrFormat, SignatureHeaderRoundTrips) {
    SignatureValue s{XattrType::digsig, 2, HashAlgo::sha256, {0x7c, 0x6f, 0x68, 0xe5}, Bytes(256, 0xaa)};
    Bytes enc = encode_signature(s);
    ASSERT_EQ(enc.size(), 9u + 256u);
    EXPECT_EQ(to_hex(ByteView(enc).first(9)),
              "030204"
              "7c6f68e5"
              "0100");
    auto d = decode_signature(enc);
    EXPECT_EQ(d.keyid, s.keyid);
    EXPECT_EQ(d.sig, s.sig);
    EXPECT_EQ(d.algo, HashAlgo::sha256);
}

TEST(XattrFormat, DecodesEveryType) {
    EXPECT_TRUE(std::holds_alternative<DigestValue>(decode_xattr(from_hex("01" + std::string(40, '0')))));
    EXPECT_TRUE(std::holds_alternative<HmacValue>(decode_xattr(from_hex("02" + std::string(40, '1')))));
    EXPECT_TRUE(std::holds_alternative<DigestValue>(decode_xattr(from_hex("0404" + std::string(64, '2')))));
    for (const char* t : {"03", "05", "06"}) {
        auto v = decode_xattr(from_hex(std::string(t) + "0204"
                                                        "01020304"
                                                        "0002"
                                                        "abcd"));
        ASSERT_TRUE(std::holds_alternative<SignatureValue>(v));
        EXPECT_EQ(static_cast<int>(std::get<SignatureValue>(v).type), std::stoi(t, nullptr, 16));
    }
}

struct Malformed {
    const char* hex;
    const char* message;
};

// Each malformed value is refused with a message naming the field.
TEST(XattrFormat, MalformedValuesAreRefusedByField) {
    const Malformed cases[] = {
        {"", "type: empty value"},
        {"07", "type: unknown xattr type 0x07"},
        {"01abcd", "digest: 2 bytes, expected 20"},
        {"0404abcd", "digest: 2 bytes, expected 32"},
        {"04", "xattr value: truncated at byte 1 (need 1, have 0)"},
        {"04ff"
         "00",
         "hash_algo: unknown hash algorithm number 255"},
        {"0202", "hmac: 1 bytes, expected 20"},
        {"0302", "signature header: truncated at byte 2 (need 1, have 0)"},
        {"030204010203", "signature header: truncated at byte 3 (need 4, have 3)"},
        {"03020401020304", "signature header: truncated at byte 7 (need 2, have 0)"},
        {"030204010203040100abcd", "sig_size: 256 but 2 bytes follow"},
        {"030204010203040001abcd", "sig_size: 1 but 2 bytes follow"},
        {"030204010203040000"
         "ff",
         "sig_size: 0 but 1 bytes follow"},
        {"030204010203040000", "sig_size: empty signature"},
        {"0309040102030400010a", "version: signature version 9 is not 2 or 3"},
        {"0302630102030400010a", "hash_algo: unknown hash algorithm number 99"},
        // a little-endian sig_size, as seen in real logs
        {"03020401020304"
         "0200"
         "abcd",
         "sig_size: 512 but 2 bytes follow"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.hex);
        try {
            decode_xattr(from_hex(c.hex));
            ADD_FAILURE() << "accepted";
        } catch (const FormatError& e) {
            EXPECT_STREQ(e.what(), c.message);
        }
    }
}

TEST(XattrFormat, SignatureTooLargeForHeaderIsRefused) {
    SignatureValue s{XattrType::digsig, 2, HashAlgo::sha256, {}, Bytes(70000, 1)};
    EXPECT_THROW(encode_signature(s), FormatError);
}
