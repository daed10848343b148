// TPM2_MakeCredential done in software (TPM 2.0 Part 1, "Credential
// Protection"), the verifier's half of proving an AK lives in the TPM that
// holds an EK: a seed encrypted to the EK (RSA-OAEP with the label
// "IDENTITY", or ECDH on the EK's curve and KDFe), the secret encrypted with
// AES-CFB under KDFa(seed, "STORAGE", AK name) and bound by an HMAC under
// KDFa(seed, "INTEGRITY"). Only a TPM holding the EK's private key and an
// object of exactly that name can recover the secret (TPM2_ActivateCredential).
#pragma once

#include <cstdint>
#include <string>

#include "ima/bytes.hpp"
#include "ima/tpm/public_area.hpp"

namespace ima::credential {

struct Credential {
    Bytes id_object;         // TPM2B_ID_OBJECT's content: integrity HMAC (TPM2B) and encrypted secret
    Bytes encrypted_secret;  // TPM2B_ENCRYPTED_SECRET's content: the seed for the EK
};

// The secret a verifier sends: at most the EK name algorithm's digest size
// (32 bytes for SHA-256). Throws UsageError for a longer or empty secret,
// FormatError for an EK that is not one (tpm::ek_problems) or an AK name
// that does not use a known name algorithm.
Credential make_credential(const tpm::PublicArea& ek, ByteView ak_name, ByteView secret);

// KDFa of TPM 2.0 Part 1 (HMAC counter mode): `bits` of key material, a
// multiple of 8 (UsageError otherwise: the TPM never asks for others).
Bytes kdfa(uint16_t name_alg, ByteView key, const std::string& label, ByteView context_u, ByteView context_v,
           uint32_t bits);

// The file tpm2_makecredential writes and tpm2_activatecredential reads:
// 0xBADCC0DE, version 1 (both big-endian), TPM2B_ID_OBJECT, TPM2B_ENCRYPTED_SECRET.
Bytes credential_file(const Credential& c);
// Throws FormatError naming what is wrong (magic, version, a size, trailing bytes).
Credential parse_credential_file(ByteView file);

}  // namespace ima::credential
