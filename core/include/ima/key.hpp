// Private keys, public keys and X.509 certificates, and the IMA key id.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ima/bytes.hpp"
#include "ima/ossl.hpp"
#include "ima/passphrase.hpp"
#include "ima/xattr_format.hpp"

namespace ima {

enum class KeyAlgo { rsa, ecdsa, other };

// A private key, held by one owner; OpenSSL wipes its key material on free.
struct PrivateKey {
    // Keys on a PKCS#11 token: the engine that holds the key and the lock
    // that serializes signing on it, shared by every key of the process (one
    // engine, one session at a time). Declared before `pkey` so that they
    // are destroyed after it: the key's methods live in the engine. Empty
    // for keys in memory, which sign on every thread at once.
    std::shared_ptr<void> token;
    std::shared_ptr<std::mutex> sign_lock;
    PKeyPtr pkey;
    std::string source;  // the path or URI it came from, for errors
    KeyAlgo algo() const;
};

// Which keys may sign. The kernel verifies RSA (PKCS#1 v1.5) and, where it is
// built with it, ECDSA on P-256 and P-384; SPEC.md lists those. Other curves
// (secp256k1, P-192, P-521...), other key types, and RSA below 2048 bits are
// refused by name; RSA from 1024 bits may be allowed explicitly.
struct KeyRules {
    bool allow_short_rsa = false;  // RSA keys of 1024 to 2047 bits
    // Every RSA size and EC curve OpenSSL signs with: evmctl's rule, for the
    // drop-in (which says with a warning what the default rules refuse).
    bool any_rsa_or_ecdsa = false;
};
// Throws Error(env) "key SOURCE: ..." naming what is refused and why.
void check_key_rules(EVP_PKEY* pkey, const std::string& source, const KeyRules& rules);

struct Certificate {
    X509Ptr x509;
    std::string source;
    EVP_PKEY* public_key() const;  // owned by the certificate
};

// Loads a PEM or DER private key (PKCS#8 or traditional, encrypted or not).
// The passphrase is asked for only when the key is encrypted. The file's
// bytes are wiped on every path.
// Throws: IoError (cannot read the key or the pass file), Error(env) "wrong
// passphrase", "encrypted and no passphrase given", "not a private key", a
// key the rules refuse (exit 3: the tool cannot use the key it was given);
// FormatError for a pass file over 64 KiB.
// A `pkcs11:` URI (RFC 7512) loads the key from a token instead (see
// load_pkcs11_key).
PrivateKey load_private_key(const std::string& path, const PassphraseSource& pass, const KeyRules& rules = {});
// A key on a PKCS#11 token, through the pkcs11 OpenSSL engine (libp11). The
// module is IMAEVM_PKCS11_MODULE, else the engine's default (p11-kit). The
// PIN comes from `pass` (file, IMAEVM_KEY_PASS or a prompt); a URI carrying
// pin-value is refused, since the URI is on the command line. Throws
// UsageError (pin-value), IoError/FormatError (the pass file), Error(env)
// (no engine, no such key, wrong PIN, refused by the rules).
PrivateKey load_pkcs11_key(const std::string& uri, const PassphraseSource& pass, const KeyRules& rules = {});
// The key in `data`; throws as load_private_key does for a file.
PrivateKey parse_private_key(ByteView data, const std::string& source, const PassphraseSource& pass,
                             const KeyRules& rules = {});

// Bytes that are wiped (OPENSSL_cleanse) when they go: key files.
class SecretBytes {
public:
    explicit SecretBytes(size_t n) : b_(n) {}
    SecretBytes(SecretBytes&&) = default;
    SecretBytes& operator=(SecretBytes&&) = delete;
    SecretBytes(const SecretBytes&) = delete;
    ~SecretBytes();
    Bytes& bytes() { return b_; }
    // Wipes and drops the bytes past n (the buffer is not reallocated).
    void shrink(size_t n);
    // A copy of exactly the bytes, for what is not secret; this owner is wiped.
    Bytes take();

private:
    Bytes b_;
};

// The whole of a key or certificate file (a regular file of at most 1 MiB,
// opened without blocking on FIFOs), read into a buffer that never grows and
// is wiped on every path. `what` starts the error message ("certificate").
// Throws IoError or Error(env).
SecretBytes read_key_file(const std::string& path, const char* what);
// The same for what is not secret (certificates).
Bytes read_small_file(const std::string& path, const char* what);

// Loads one PEM or DER X.509 certificate. Throws IoError, or Error(env)
// "not an X.509 certificate": like a key file, a certificate the tool is
// given and cannot use is the environment's fault (exit 3).
Certificate load_certificate(const std::string& path);
// The first certificate in `data`. Throws FormatError "certificate SOURCE: ...".
Certificate parse_certificate(ByteView data, const std::string& source);
// Every certificate of a PEM bundle (or the one DER certificate). Throws
// FormatError (empty, not X.509, bytes after the DER certificate, an
// unreadable public key).
std::vector<Certificate> parse_certificates(ByteView data, const std::string& source);

// Loads a certificate, or a PEM/DER public key (SubjectPublicKeyInfo), as a
// public key. Throws IoError, Error(env) (not a regular file, over 1 MiB,
// neither a certificate nor a public key).
PKeyPtr load_public_key(const std::string& path);

// The IMA key id of a public key, as evmctl and the kernel compute it: the last
// four bytes of SHA-1 over the DER public key (for RSA the PKCS#1 RSAPublicKey,
// for EC the point), which is what `openssl` puts in subjectKeyIdentifier.
KeyId keyid_of_public_key(EVP_PKEY* pkey);  // Throws CryptoError.
// The key id the kernel uses for a certificate: the last four bytes of its
// subjectKeyIdentifier, or of the computed SHA-1 when the extension is absent.
KeyId keyid_of_certificate(const Certificate& cert);  // Throws CryptoError (only when computed).
// Parses 8 hex digits ("--keyid 1a2b3c4d"). Throws UsageError.
KeyId parse_keyid(const std::string& hex);

// Throws UsageError "certificate <cert> does not match the private key <key>" on mismatch.
void check_key_matches_certificate(const PrivateKey& key, const Certificate& cert);

}  // namespace ima
