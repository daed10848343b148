// A TPM object's public area (TPM2B_PUBLIC, read by tss2-mu): the fields a
// verifier judges, its name (nameAlg || H(TPMT_PUBLIC)) computed here, never
// taken from whoever sent it, and its key as OpenSSL's. The TCG default EK
// and the AK templates `ak create` uses.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ima/bytes.hpp"
#include "ima/key.hpp"
#include "ima/ossl.hpp"

namespace ima::tpm {

struct PublicArea {
    uint16_t type = 0;      // TPM2_ALG_RSA, TPM2_ALG_ECC
    uint16_t name_alg = 0;  // TPM2_ALG_SHA256, ...
    uint32_t attributes = 0;
    Bytes auth_policy;
    uint16_t symmetric = 0, symmetric_bits = 0, symmetric_mode = 0;  // a storage key's (the EK's) cipher
    uint16_t scheme = 0, scheme_hash = 0;                            // a signing key's scheme
    uint16_t rsa_bits = 0;
    uint32_t rsa_exponent = 0;  // 0: 65537
    Bytes rsa_modulus;
    uint16_t curve = 0;  // TPM2_ECC_NIST_P256, ...
    Bytes ecc_x, ecc_y;
    Bytes tpmt;  // the marshalled TPMT_PUBLIC the name is a hash of
};

// Reads exactly one TPM2B_PUBLIC of an RSA or ECC key. Throws FormatError
// naming what is wrong.
PublicArea parse_public(ByteView tpm2b_public);
// The TPM2B_PUBLIC bytes of a public area (its size and TPMT_PUBLIC).
Bytes tpm2b_of(const PublicArea& pub);

// nameAlg (two bytes) || nameAlg's hash of the TPMT_PUBLIC. Throws
// FormatError for a name algorithm this tool does not know.
Bytes name_of(const PublicArea& pub);

// The key as OpenSSL's (RSA, or ECC on NIST P-256/P-384/P-521). Throws
// FormatError for another type or curve.
PKeyPtr public_key(const PublicArea& pub);

// Whether `cert`'s public key is the key of `pub` (an EK certificate's must
// be the EK's). Throws FormatError as public_key().
bool certificate_holds(const Certificate& cert, const PublicArea& pub);

// What keeps `pub` from being an AK a verifier may trust: not a restricted
// signing key that cannot leave its TPM (fixedTPM, fixedParent,
// sensitiveDataOrigin) or can decrypt; a scheme other than RSASSA or ECDSA
// with SHA-256/384/512. Empty when it is one.
std::vector<std::string> ak_problems(const PublicArea& pub);

// What keeps `pub` from being an endorsement key a credential can be made
// to: not a restricted decryption key with AES-128-CFB and a SHA-256,
// SHA-384 or SHA-512 name algorithm. Empty when it is one.
std::vector<std::string> ek_problems(const PublicArea& pub);

// A TPM algorithm id for messages: the hash's name ("sha256"), else 0xNNNN.
std::string tpm_alg_name(uint16_t alg);

enum class KeyAlg { rsa, ecc };
std::string key_alg_name(KeyAlg alg);

// The TCG EK Credential Profile's default EK templates (L-1 RSA-2048, L-2
// ECC NIST P-256): a TPM2B_PUBLIC to pass to TPM2_CreatePrimary.
Bytes ek_template(KeyAlg alg);
// A restricted signing AK: RSA-2048 RSASSA-SHA256 or ECC P-256
// ECDSA-SHA256, fixedTPM, fixedParent, sensitiveDataOrigin, userWithAuth.
Bytes ak_template(KeyAlg alg);

}  // namespace ima::tpm
