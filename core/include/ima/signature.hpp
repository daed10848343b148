// Signing and verifying digests (RSA PKCS#1 v1.5, ECDSA), and the IMA
// signature value built around them.
#pragma once

#include <memory>

#include "ima/bytes.hpp"
#include "ima/hash_algo.hpp"
#include "ima/key.hpp"
#include "ima/xattr_format.hpp"

namespace ima {

// Signs digests with one key. Holds its own EVP_PKEY_CTX, so use one Signer
// per thread; several Signers may share a PrivateKey.
class Signer {
public:
    Signer(const PrivateKey& key, KeyId keyid);  // Throws CryptoError.
    // The raw signature over `digest` (RSA: PKCS#1 v1.5 with the DigestInfo of
    // `algo`, deterministic; ECDSA: DER Ecdsa-Sig-Value). Throws CryptoError,
    // or UsageError when this OpenSSL lacks `algo`.
    Bytes sign_digest(HashAlgo algo, ByteView digest);
    // A complete xattr value: signature_v2_hdr + signature. Throws as
    // sign_digest, FormatError for a signature over 65535 bytes.
    Bytes sign_xattr(HashAlgo algo, ByteView digest, XattrType type = XattrType::digsig, uint8_t version = 2);
    const KeyId& keyid() const { return keyid_; }

private:
    const PrivateKey& key_;
    KeyId keyid_;
    PKeyCtxPtr ctx_;
};

// True when `sig` is a valid signature over `digest`; false on a mismatch.
// Throws CryptoError only when OpenSSL cannot run the check at all,
// UsageError when this OpenSSL lacks `algo`.
bool verify_digest(EVP_PKEY* pub, HashAlgo algo, ByteView digest, ByteView sig);

// A public key with its IMA key id, for verification.
struct VerifyKey {
    PKeyPtr pkey;
    KeyId keyid;
    std::string source;
};
// Loads each certificate or public key file; keyid from subjectKeyIdentifier
// when present. Throws IoError, Error(env) for a file that is neither,
// CryptoError when a key id must be computed and cannot be.
std::vector<VerifyKey> load_verify_keys(const std::vector<std::string>& paths);
// Signs one digest of `algo` with `key`, so that a key and algorithm OpenSSL
// cannot use together fail once, up front, not once per file. Throws
// UsageError naming both.
void probe_signing(const PrivateKey& key, HashAlgo algo);

// The key whose id matches, or nullptr.
const VerifyKey* find_verify_key(const std::vector<VerifyKey>& keys, const KeyId& id);

}  // namespace ima
