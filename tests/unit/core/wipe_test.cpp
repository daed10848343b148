// Key bytes and passphrases leave no copy in memory the program frees, on the
// paths that succeed and on those that fail. This test binary replaces the
// global operator new/delete: while a probe is armed, every block freed
// through operator delete is searched for the secret before it is released.
// (OpenSSL's own buffers come from malloc and are OpenSSL's to wipe.)
#include <fcntl.h>
#include <gtest/gtest.h>
#include <malloc.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>
#include <string>

#include "ima/error.hpp"
#include "ima/key.hpp"
#include "ima/passphrase.hpp"
#include "test_util.hpp"

namespace {

std::atomic<bool> armed{false};
const char* secret = nullptr;
size_t secret_len = 0;
std::atomic<int> freed_with_secret{0};

void inspect(void* p) noexcept {
    if (!p || !armed.load(std::memory_order_relaxed)) return;
    size_t n = malloc_usable_size(p);
    if (n >= secret_len && memmem(p, n, secret, secret_len)) freed_with_secret.fetch_add(1);
}

void* allocate(size_t n) {
    void* p = std::malloc(n ? n : 1);
    if (!p) throw std::bad_alloc();
    return p;
}

// Counts the freed blocks that still hold `s` while `fn` runs.
template <typename Fn>
int copies_freed_during(const std::string& s, Fn fn) {
    secret = s.data();
    secret_len = s.size();
    freed_with_secret = 0;
    armed = true;
    try {
        fn();
    } catch (...) {
        armed = false;
        throw;
    }
    armed = false;
    return freed_with_secret.load();
}

}  // namespace

void* operator new(size_t n) {
    return allocate(n);
}
void* operator new[](size_t n) {
    return allocate(n);
}
void operator delete(void* p) noexcept {
    inspect(p);
    std::free(p);
}
void operator delete[](void* p) noexcept {
    inspect(p);
    std::free(p);
}
void operator delete(void* p, size_t) noexcept {
    inspect(p);
    std::free(p);
}
void operator delete[](void* p, size_t) noexcept {
    inspect(p);
    std::free(p);
}

using namespace ima;

namespace {

// Long enough that no std::string keeps it inline (small-string buffer).
const std::string kPass = "correct-horse-battery-staple-0123456789-passphrase";

PassphraseSource from_file(const std::string& path) {
    PassphraseSource p;
    p.pass_file = path;
    p.env_var = "IMAEVM_TEST_UNSET_PASS";
    p.allow_prompt = false;
    return p;
}

// An RSA-2048 key in PKCS#8 PEM, encrypted with `pass` when it is given.
std::string make_key_pem(const char* pass) {
    EVP_PKEY* k = EVP_RSA_gen(2048);
    BIO* b = BIO_new(BIO_s_mem());
    const EVP_CIPHER* c = pass ? EVP_aes_256_cbc() : nullptr;
    int ok = PEM_write_bio_PKCS8PrivateKey(b, k, c, pass ? const_cast<char*>(pass) : nullptr,
                                           pass ? static_cast<int>(strlen(pass)) : 0, nullptr, nullptr);
    char* data = nullptr;
    long n = BIO_get_mem_data(b, &data);
    std::string pem = ok ? std::string(data, static_cast<size_t>(n)) : std::string();
    BIO_free(b);
    EVP_PKEY_free(k);
    return pem;
}

// A piece of the key's base64 body: what a copy of the file would hold.
std::string body_of(const std::string& pem) {
    size_t line2 = pem.find('\n') + 1;
    return pem.substr(line2, 48);
}

}  // namespace

TEST(Wipe, TheProbeSeesACopyThatIsNotWiped) {
    // The probe itself: a plain string holding the secret is found when freed.
    int n = copies_freed_during(kPass, [] {
        std::string copy = kPass;
        copy += " and more, so that the buffer is reallocated at least once over its first size";
    });
    EXPECT_GE(n, 1);
}

TEST(Wipe, KeyFileBytesAreWipedWhenTheKeyLoadsAndWhenItIsRefused) {
    test::TempDir d;
    const std::string pem = make_key_pem(nullptr);
    ASSERT_FALSE(pem.empty());
    const std::string body = body_of(pem);
    const std::string good = d.file("k.pem", pem);
    EXPECT_EQ(copies_freed_during(body, [&] { PrivateKey k = load_private_key(good, from_file("/dev/null")); }), 0);
    EXPECT_EQ(copies_freed_during(body, [&] { SecretBytes b = read_key_file(good, "key"); }), 0);

    // Refused as too large: the bytes read so far are wiped on the way out.
    const std::string big = d.file("big.pem", pem + std::string(1024 * 1024, '\n'));
    EXPECT_EQ(copies_freed_during(body, [&] { EXPECT_THROW(load_private_key(big, from_file("/dev/null")), Error); }),
              0);
    // Refused by the key rules (a key type the kernel does not verify).
    EVP_PKEY* ed = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    BIO* b = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(b, ed, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    long n = BIO_get_mem_data(b, &data);
    const std::string ed_pem(data, static_cast<size_t>(n));
    BIO_free(b);
    EVP_PKEY_free(ed);
    const std::string ed_path = d.file("ed.pem", ed_pem);
    const std::string ed_body = ed_pem.substr(ed_pem.find('\n') + 1, 40);
    EXPECT_EQ(
        copies_freed_during(ed_body, [&] { EXPECT_THROW(load_private_key(ed_path, from_file("/dev/null")), Error); }),
        0);
}

TEST(Wipe, APassFileLeavesNoCopyWhetherThePassphraseIsRightOrWrong) {
    test::TempDir d;
    const std::string enc = d.file("enc.pem", make_key_pem(kPass.c_str()));
    const std::string right = d.file("right", kPass + "\nsecond line that is not part of it\n");
    const std::string wrong = d.file("wrong", kPass + "-but-not-this-one\n");
    EXPECT_EQ(copies_freed_during(kPass, [&] { PrivateKey k = load_private_key(enc, from_file(right)); }), 0);
    EXPECT_EQ(copies_freed_during(kPass, [&] { EXPECT_THROW(load_private_key(enc, from_file(wrong)), Error); }), 0);
    EXPECT_EQ(
        copies_freed_during(kPass, [&] { std::optional<SecretString> s = obtain_passphrase(from_file(right), "k"); }),
        0);
    // Refused as longer than 64 KiB: what was read is wiped too.
    const std::string huge = d.file("huge", kPass + std::string(70 * 1024, 'x'));
    EXPECT_EQ(copies_freed_during(kPass, [&] { EXPECT_THROW(obtain_passphrase(from_file(huge), "k"), FormatError); }),
              0);
}

TEST(Wipe, ALiteralPassphraseAndItsMovesAreWiped) {
    EXPECT_EQ(copies_freed_during(kPass,
                                  [&] {
                                      PassphraseSource p;
                                      p.literal = std::make_shared<const SecretString>(std::string(kPass));
                                      std::optional<SecretString> s = obtain_passphrase(p, "k");
                                      SecretString moved = std::move(*s);
                                      SecretString assigned;
                                      assigned = std::move(moved);
                                  }),
              0);
}
