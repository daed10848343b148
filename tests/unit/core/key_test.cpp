#include "ima/key.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <cstdlib>

#include "ima/error.hpp"
#include "test_util.hpp"

using namespace ima;
using test::fixture;

namespace {
PassphraseSource no_prompt() {
    PassphraseSource p;
    p.allow_prompt = false;
    p.env_var = "IMAEVM_TEST_UNSET_PASS";
    return p;
}
PassphraseSource pass_file() {
    auto p = no_prompt();
    p.pass_file = fixture("keys/pass.txt");
    return p;
}
void expect_error(const std::function<void()>& fn, ErrorKind kind, const std::string& message) {
    try {
        fn();
        ADD_FAILURE() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), kind);
        EXPECT_EQ(std::string(e.what()), message);
    }
}
}  // namespace

TEST(Key, LoadsPemDerPkcs8AndTraditional) {
    for (const char* f : {"rsa.key", "rsa.key.der", "rsa.trad.key", "ec256.key", "ec384.key.der"}) {
        SCOPED_TRACE(f);
        PrivateKey k = load_private_key(fixture(std::string("keys/") + f), no_prompt());
        EXPECT_NE(k.algo(), KeyAlgo::other);
    }
}

TEST(Key, LoadsEncryptedKeysWithPassFile) {
    for (const char* f : {"rsa.enc.key", "rsa.trad.enc.key", "rsa.enc.key.der", "ec256.enc.key"}) {
        SCOPED_TRACE(f);
        EXPECT_NO_THROW(load_private_key(fixture(std::string("keys/") + f), pass_file()));
    }
}

TEST(Key, LoadsEncryptedKeyWithEnvironmentPassphrase) {
    auto p = no_prompt();
    p.env_var = "IMAEVM_TEST_PASS";
    setenv("IMAEVM_TEST_PASS", "test-pass", 1);
    EXPECT_NO_THROW(load_private_key(fixture("keys/rsa.enc.key"), p));
    unsetenv("IMAEVM_TEST_PASS");
}

TEST(Key, WrongPassphraseIsNamed) {
    test::TempDir d;
    auto p = no_prompt();
    p.pass_file = d.file("wrong", "not-it\n");
    std::string key = fixture("keys/rsa.enc.key");
    expect_error([&] { load_private_key(key, p); }, ErrorKind::env,
                 "key " + key + ": wrong passphrase or corrupted encrypted key");
}

TEST(Key, EncryptedKeyWithoutPassphraseSaysHowToGiveOne) {
    std::string key = fixture("keys/rsa.enc.key");
    expect_error([&] { load_private_key(key, no_prompt()); }, ErrorKind::env,
                 "key " + key + ": encrypted and no passphrase given (use --pass-file FILE or IMAEVM_KEY_PASS)");
}

TEST(Key, FileThatIsNoKeyIsRefused) {
    test::TempDir d;
    std::string p = d.file("garbage", "this is not a key\n");
    expect_error([&] { load_private_key(p, no_prompt()); }, ErrorKind::env,
                 "key " + p + ": not a private key (expected PEM or DER, PKCS#8 or traditional)");
    // A certificate is not a private key either.
    std::string cert = fixture("keys/rsa.pem");
    expect_error([&] { load_private_key(cert, no_prompt()); }, ErrorKind::env,
                 "key " + cert + ": not a private key (expected PEM or DER, PKCS#8 or traditional)");
}

TEST(Key, MissingKeyFileIsAnEnvironmentError) {
    expect_error([&] { load_private_key("/nonexistent/key.pem", no_prompt()); }, ErrorKind::env,
                 "key /nonexistent/key.pem: No such file or directory");
}

TEST(Key, DirectoryAsKeyIsRefused) {
    expect_error([&] { load_private_key("/tmp", no_prompt()); }, ErrorKind::env, "key /tmp: not a regular file");
}

TEST(Certificate, LoadsPemAndDer) {
    Certificate pem = load_certificate(fixture("keys/rsa.pem"));
    Certificate der = load_certificate(fixture("keys/rsa.der"));
    EXPECT_EQ(X509_cmp(pem.x509.get(), der.x509.get()), 0);
}

TEST(Certificate, BundleYieldsEveryCertificate) {
    test::TempDir d;
    std::ifstream in(fixture("keys/bundle.pem"));
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(parse_certificates(view(s), "bundle.pem").size(), 3u);
}

TEST(Certificate, GarbageAndTrailingBytesAreRefused) {
    std::string junk = "\x30\x03\x02\x01\x01";
    EXPECT_THROW(parse_certificate(view(junk), "junk"), FormatError);
    std::ifstream in(fixture("keys/rsa.der"), std::ios::binary);
    std::string der((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    der += "extra";
    try {
        parse_certificate(view(der), "c.der");
        FAIL();
    } catch (const FormatError& e) {
        EXPECT_STREQ(e.what(), "certificate c.der: trailing bytes after the DER certificate");
    }
}

TEST(KeyId, CertificateSkidTailEqualsComputedKeyId) {
    // `openssl req -addext subjectKeyIdentifier=hash` puts SHA-1 of the public
    // key in the SKID; the kernel and evmctl use its last four bytes.
    for (const char* n : {"rsa", "ec256", "ec384"}) {
        SCOPED_TRACE(n);
        Certificate c = load_certificate(fixture(std::string("keys/") + n + ".pem"));
        PrivateKey k = load_private_key(fixture(std::string("keys/") + n + ".key"), no_prompt());
        EXPECT_EQ(keyid_of_certificate(c), keyid_of_public_key(k.pkey.get()));
    }
}

TEST(KeyId, ParsesEightHexDigits) {
    EXPECT_EQ(keyid_hex(parse_keyid("7C6F68E5")), "7c6f68e5");
    EXPECT_EQ(keyid_hex(parse_keyid("0x01020304")), "01020304");
    EXPECT_THROW(parse_keyid("123"), UsageError);
    EXPECT_THROW(parse_keyid("xyzxyzxy"), UsageError);
}

TEST(Certificate, MismatchWithKeyIsAUsageError) {
    PrivateKey k = load_private_key(fixture("keys/rsa.key"), no_prompt());
    Certificate c = load_certificate(fixture("keys/other.pem"));
    EXPECT_THROW(check_key_matches_certificate(k, c), UsageError);
    EXPECT_NO_THROW(check_key_matches_certificate(k, load_certificate(fixture("keys/rsa.pem"))));
}

namespace {
PKeyPtr generated(const char* type, const char* param) {
    EVP_PKEY* k = std::string(type) == "RSA" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(std::stoul(param)))
                                             : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", param);
    return PKeyPtr(k);
}
}  // namespace

TEST(KeyRules, OnlyWhatTheKernelVerifiesSigns) {
    for (auto [type, param] : {std::pair{"EC", "P-256"}, {"EC", "P-384"}, {"RSA", "2048"}, {"RSA", "3072"}}) {
        SCOPED_TRACE(std::string(type) + " " + param);
        PKeyPtr k = generated(type, param);
        ASSERT_TRUE(k);
        EXPECT_NO_THROW(check_key_rules(k.get(), "k", {}));
    }
    expect_error([] { check_key_rules(generated("EC", "secp256k1").get(), "k", {}); }, ErrorKind::env,
                 "key k: ECDSA on curve secp256k1 is not one the kernel verifies IMA signatures with (P-256 or P-384)");
    for (const char* curve : {"P-192", "P-521", "secp256k1", "brainpoolP256r1"}) {
        SCOPED_TRACE(curve);
        EXPECT_THROW(check_key_rules(generated("EC", curve).get(), "k", {}), Error);
    }
    expect_error([] { check_key_rules(generated("RSA", "1024").get(), "k", {}); }, ErrorKind::env,
                 "key k: RSA key of 1024 bits is too short (2048 or more; --allow-short-rsa permits 1024 to 2047)");
    EXPECT_NO_THROW(check_key_rules(generated("RSA", "1024").get(), "k", KeyRules{true}));
    expect_error([] { check_key_rules(generated("RSA", "512").get(), "k", KeyRules{true}); }, ErrorKind::env,
                 "key k: RSA key of 512 bits is too short (2048 or more)");
    // evmctl's rule (the drop-in's): every RSA size and curve; other key types still not.
    const KeyRules evmctl{.any_rsa_or_ecdsa = true};
    for (auto [type, param] : {std::pair{"EC", "P-192"}, {"EC", "secp256k1"}, {"RSA", "512"}, {"RSA", "1024"}}) {
        SCOPED_TRACE(std::string(type) + " " + param);
        EXPECT_NO_THROW(check_key_rules(generated(type, param).get(), "k", evmctl));
    }
}

TEST(KeyRules, AKeyFileOfARefusedCurveIsNotLoaded) {
    test::TempDir d;
    std::string p = d.path() + "/k1.pem";
    ASSERT_EQ(
        std::system(
            ("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out " + p + " 2>/dev/null").c_str()),
        0);
    expect_error(
        [&] { load_private_key(p, no_prompt()); }, ErrorKind::env,
        "key " + p + ": ECDSA on curve secp256k1 is not one the kernel verifies IMA signatures with (P-256 or P-384)");
}

// A token key's methods live in its engine: `token` (and the lock) must be
// destroyed after `pkey`, that is declared before it. Members of one access
// level are laid out in declaration order, so their addresses tell it
// without a token (TheEngineOutlivesEveryKeyItBacks shows it on SoftHSM).
TEST(Key, TheTokenAndItsLockAreDeclaredBeforeTheKeySoTheyAreDestroyedAfterIt) {
    PrivateKey k;
    auto at = [](const void* p) { return reinterpret_cast<std::uintptr_t>(p); };
    EXPECT_LT(at(&k.token), at(&k.pkey));
    EXPECT_LT(at(&k.sign_lock), at(&k.pkey));
}
