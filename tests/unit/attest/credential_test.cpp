// TPM public areas and credentials: public areas a real TPM (swtpm, through
// tpm2_createek and tpm2_createak) made, named as the TPM names them; the
// EK and AK judged; KDFa against values computed from the specification's
// formula by an independent implementation; credential files read strictly;
// AK files that lie refused field by field.
#include "ima/credential/credential.hpp"

#include <gtest/gtest.h>

#include "attest_util.hpp"
#include "ima/error.hpp"
#include "ima/tpm/ak_file.hpp"
#include "ima/tpm/public_area.hpp"

namespace {

using namespace ima;
using namespace ima::tpm;

Bytes fixture(const std::string& name) {
    return test::read_bytes(test::fixture("tpm/" + name));
}

TEST(PublicArea, TheNameIsTheOneTheTpmComputed) {
    for (std::string kind : {"rsa", "ecc"}) {
        PublicArea ak = parse_public(fixture("ak-" + kind + ".pub"));
        EXPECT_EQ(name_of(ak), fixture("ak-" + kind + ".name")) << kind;
        EXPECT_TRUE(ak_problems(ak).empty()) << kind;
        EXPECT_FALSE(ek_problems(ak).empty()) << kind;
        EXPECT_EQ(tpm2b_of(ak), fixture("ak-" + kind + ".pub"));
        EXPECT_TRUE(public_key(ak)) << kind;
        PublicArea ek = parse_public(fixture("ek-" + kind + ".pub"));
        EXPECT_TRUE(ek_problems(ek).empty()) << kind;
        EXPECT_FALSE(ak_problems(ek).empty()) << kind;
        EXPECT_EQ(ek.auth_policy, from_hex("837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa"));
    }
}

TEST(PublicArea, TheEkTemplateIsTheTcgDefault) {
    // The template's unique field is zeros; the rest is what the TPM made.
    PublicArea t = parse_public(ek_template(KeyAlg::rsa));
    PublicArea ek = parse_public(fixture("ek-rsa.pub"));
    EXPECT_EQ(t.attributes, ek.attributes);
    EXPECT_EQ(t.auth_policy, ek.auth_policy);
    EXPECT_EQ(t.symmetric_bits, 128);
    EXPECT_TRUE(ek_problems(t).empty());
    PublicArea te = parse_public(ek_template(KeyAlg::ecc));
    EXPECT_EQ(te.attributes, parse_public(fixture("ek-ecc.pub")).attributes);
    EXPECT_EQ(te.curve, parse_public(fixture("ek-ecc.pub")).curve);
}

TEST(PublicArea, WhatIsNotExactlyOnePublicAreaIsRefused) {
    Bytes pub = fixture("ak-rsa.pub");
    Bytes longer = pub;
    longer.push_back(0);
    EXPECT_THROW(parse_public(longer), FormatError);
    EXPECT_THROW(parse_public(ByteView(pub).first(100)), FormatError);
    EXPECT_THROW(parse_public(Bytes{}), FormatError);
    Bytes small = pub;  // the size field says less than is there
    small[1] = static_cast<uint8_t>(small[1] - 1);
    EXPECT_THROW(parse_public(small), FormatError);
    Bytes point = fixture("ak-ecc.pub");  // a point off the curve
    point[point.size() - 1] ^= 1;
    EXPECT_THROW(public_key(parse_public(point)), FormatError);
}

TEST(PublicArea, AnAkThatCouldSignMadeUpQuotesIsNamed) {
    PublicArea ak = parse_public(fixture("ak-rsa.pub"));
    ak.attributes &= ~uint32_t{0x00010000};  // restricted
    ak.attributes &= ~uint32_t{0x00000002};  // fixedTPM
    std::vector<std::string> p = ak_problems(ak);
    ASSERT_EQ(p.size(), 2u);
    EXPECT_EQ(p[0], "not restricted (it could sign made-up quotes)");
    EXPECT_EQ(p[1], "not fixedTPM (it could leave its TPM)");
}

TEST(Credential, KdfaIsTheSpecificationsFormula) {
    Bytes key(32);
    for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i);
    EXPECT_EQ(to_hex(credential::kdfa(0x000b, key, "STORAGE", from_hex("000b0102"), {}, 128)),
              "a889755b2f86d140a821afc0272ab93b");
    EXPECT_EQ(to_hex(credential::kdfa(0x000b, key, "INTEGRITY", {}, {}, 256)),
              "bacf689f634ece301e1f1b15b072d9c87db6a69585db42b1a0cb8f73ebe2692e");
    EXPECT_EQ(to_hex(credential::kdfa(0x000b, key, "X", from_hex("ab"), from_hex("cd"), 264)),
              "56b2c55d5e7cd244e35e8c7f41142d8c61fc32c8186713bc58a213490eadddda70");  // two HMAC blocks
}

TEST(Credential, MadeForTheEkAndTheAkName) {
    PublicArea ek = parse_public(fixture("ek-rsa.pub"));
    Bytes name = fixture("ak-rsa.name");
    Bytes secret(32, 0x5a);
    credential::Credential c = credential::make_credential(ek, name, secret);
    EXPECT_EQ(c.encrypted_secret.size(), 256u);       // RSA-OAEP to the 2048-bit EK
    EXPECT_EQ(c.id_object.size(), 2u + 32 + 2 + 32);  // HMAC, then the encrypted TPM2B secret
    credential::Credential e = credential::make_credential(parse_public(fixture("ek-ecc.pub")), name, secret);
    EXPECT_EQ(e.encrypted_secret.size(), 2u + 32 + 2 + 32);  // the ephemeral point
    EXPECT_THROW(credential::make_credential(ek, name, Bytes(33)), UsageError);
    EXPECT_THROW(credential::make_credential(ek, name, Bytes{}), UsageError);
    EXPECT_THROW(credential::make_credential(ek, Bytes{0x00, 0x0b, 1}, secret), FormatError);
    EXPECT_THROW(credential::make_credential(parse_public(fixture("ak-rsa.pub")), name, secret), FormatError);
}

TEST(Credential, TheFileIsReadStrictly) {
    Bytes file = fixture("credential-rsa.bin");
    credential::Credential c = credential::parse_credential_file(file);
    EXPECT_EQ(credential::credential_file(c), file);
    Bytes bad = file;
    bad[0] ^= 1;
    EXPECT_THROW(credential::parse_credential_file(bad), FormatError);
    bad = file;
    bad[7] = 2;  // version
    EXPECT_THROW(credential::parse_credential_file(bad), FormatError);
    EXPECT_THROW(credential::parse_credential_file(ByteView(file).first(file.size() - 1)), FormatError);
    bad = file;
    bad.push_back(0);
    EXPECT_THROW(credential::parse_credential_file(bad), FormatError);
    EXPECT_THROW(credential::parse_credential_file(ByteView(file).first(5)), FormatError);
}

TEST(AkFile, WrittenAndReadBack) {
    AkFile ak = parse_ak_json(fixture("ak-rsa.json"));
    EXPECT_EQ(ak.alg, KeyAlg::rsa);
    EXPECT_FALSE(ak.ek_certificate);
    AkFile again = parse_ak_json(view(ak_json(ak)));
    EXPECT_EQ(again.ak_public, ak.ak_public);
    EXPECT_EQ(again.ak_private, ak.ak_private);
    EXPECT_EQ(again.ek_public, ak.ek_public);
    ak.ek_certificate = Bytes{0x30, 0x00};
    EXPECT_EQ(parse_ak_json(view(ak_json(ak))).ek_certificate, ak.ek_certificate);
}

TEST(AkFile, AFileThatLiesIsRefused) {
    const std::string text(reinterpret_cast<const char*>(fixture("ak-rsa.json").data()), fixture("ak-rsa.json").size());
    auto refused = [](const std::string& t) {
        try {
            parse_ak_json(view(t));
        } catch (const FormatError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    auto swap = [&](const std::string& from, const std::string& to) {
        std::string t = text;
        auto at = t.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return t.replace(at, from.size(), to);
    };
    EXPECT_EQ(refused(swap("\"version\": 1", "\"version\": 2")), "AK file: version 2, this tool reads version 1");
    EXPECT_EQ(refused(swap("\"alg\": \"rsa\"", "\"alg\": \"ecc\"")), "AK file: a key that is not \"alg\"'s type");
    EXPECT_EQ(refused(swap("\"name\": \"000b", "\"name\": \"000c")), "ak.name is not the name of ak.public");
    EXPECT_EQ(refused(swap("\"type\": \"ima-attest ak\"", "\"type\": \"other\"")),
              "AK file: \"type\" is not \"ima-attest ak\"");
    EXPECT_EQ(refused("[]"), "not a JSON object");
    EXPECT_EQ(refused("{"), "not a JSON object");
    EXPECT_EQ(refused("{\"version\": 1}"), "AK file: no \"type\"");
}

TEST(Base64, StrictBothWays) {
    EXPECT_EQ(to_base64(view(std::string("hello"))), "aGVsbG8=");
    EXPECT_EQ(from_base64("aGVsbG8=", "x"), (Bytes{'h', 'e', 'l', 'l', 'o'}));
    EXPECT_EQ(from_base64("aGVsbA==", "x"), (Bytes{'h', 'e', 'l', 'l'}));
    EXPECT_EQ(from_base64("", "x"), Bytes{});
    EXPECT_THROW(from_base64("aGVsbG8", "x"), FormatError);
    EXPECT_THROW(from_base64("aG=sbG8=", "x"), FormatError);
    EXPECT_THROW(from_base64("aGVs bG8", "x"), FormatError);
}

}  // namespace
