#include "keys.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "keyid.hpp"
#include "status.hpp"

using namespace ima;
using namespace ima::evmctl;

TEST(Keys, PinValueIsTakenOutOfTheUri) {
    auto [uri, pin] = split_pin_value("pkcs11:token=t;object=rsa;pin-value=1234;type=private");
    EXPECT_EQ(uri, "pkcs11:token=t;object=rsa;type=private");
    EXPECT_EQ(pin, "1234");
    auto [first, pin2] = split_pin_value("pkcs11:pin-value=99;object=k?module-path=/x.so");
    EXPECT_EQ(first, "pkcs11:object=k?module-path=/x.so");
    EXPECT_EQ(pin2, "99");
    // RFC 7512: pin-value is a query attribute (upstream's sign_verify.test writes it so)
    auto [query, pin3] = split_pin_value("pkcs11:token=t;object=k;type=public?pin-value=1234");
    EXPECT_EQ(query, "pkcs11:token=t;object=k;type=public");
    EXPECT_EQ(pin3, "1234");
    auto [mixed, pin4] = split_pin_value("pkcs11:object=k?module-path=/x.so&pin-value=77&module-name=m");
    EXPECT_EQ(mixed, "pkcs11:object=k?module-path=/x.so&module-name=m");
    EXPECT_EQ(pin4, "77");
    auto [encoded, pin5] = split_pin_value("pkcs11:object=k?pin-value=12%2634%zz");
    EXPECT_EQ(encoded, "pkcs11:object=k");
    EXPECT_EQ(pin5, "12&34%zz");  // percent-decoded as RFC 7512 values are; a stray '%' stays
    auto [plain, none] = split_pin_value("pkcs11:object=k;type=private");
    EXPECT_EQ(plain, "pkcs11:object=k;type=private");
    EXPECT_FALSE(none);
}

TEST(Keys, KeyListSplitsAtCommasSpacesAndTabs) {
    EXPECT_EQ(split_key_list("a.der,b.der"), (std::vector<std::string>{"a.der", "b.der"}));
    EXPECT_EQ(split_key_list("a.der, b.der\tc.der,,"), (std::vector<std::string>{"a.der", "b.der", "c.der"}));
    EXPECT_TRUE(split_key_list("").empty());
}

namespace {
Options with_key(const std::string& key) {
    Options o;
    o.key = key;
    return o;
}
}  // namespace

TEST(Keys, SigningKeyIdIsComputedOrOverridden) {
    std::ostringstream out, err;
    Console con(out, err, "evmctl");
    Options o = with_key(FIXTURES_DIR "/keys/rsa.key");
    SigningKey computed(o, con);
    Bytes digest(32, 7);
    Bytes v = computed.sign(HashAlgo::sha256, digest);
    ASSERT_GT(v.size(), 9u);
    std::string why;
    auto skid = keyid_from_cert_skid(FIXTURES_DIR "/keys/rsa.pem", why);
    ASSERT_TRUE(skid) << why;
    EXPECT_EQ(to_hex(ByteView(v).subspan(3, 4)), to_hex(keyid_from_number(*skid)));
    o.keyid = 0x0badcafe;
    SigningKey overridden(o, con);
    EXPECT_EQ(to_hex(ByteView(overridden.sign(HashAlgo::sha256, digest)).subspan(3, 4)), "0badcafe");
}

TEST(Keys, AKeyThatDoesNotLoadFailsEachUseWith125) {
    std::ostringstream out, err;
    Console con(out, err, "evmctl");
    SigningKey missing(with_key("/nonexistent/key.pem"), con);
    Bytes digest(32, 7);
    try {
        missing.sign(HashAlgo::sha256, digest);
        FAIL() << "signed with a missing key";
    } catch (const ima::Error& f) {
        EXPECT_EQ(evmctl_status(f), 125);
    }
    SigningKey token(with_key("pkcs11:object=x"), con);  // evmctl wants --keyid with a URI
    EXPECT_THROW(token.sign(HashAlgo::sha256, digest), ima::Error);
}

TEST(Keys, VerifyKeysAnnounceThemselvesAndTheUnknownOnce) {
    std::ostringstream out, err;
    Console con(out, err, "evmctl");
    Options o = with_key(FIXTURES_DIR "/keys/rsa.der," FIXTURES_DIR "/keys/ec256.der");
    VerifyKeys keys(o, con);
    EXPECT_NE(err.str().find("key 1: "), std::string::npos);
    EXPECT_NE(err.str().find("key 2: "), std::string::npos);
    KeyId nobody{1, 2, 3, 4};
    EXPECT_EQ(keys.find(nobody, con), nullptr);
    EXPECT_EQ(keys.find(nobody, con), nullptr);
    EXPECT_NE(err.str().find("key 3: 01020304 (unknown keyid)"), std::string::npos);
    EXPECT_EQ(err.str().find("key 4:"), std::string::npos);
    EXPECT_EQ(out.str(), "");
}
