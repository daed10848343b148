// AK.json: what `ak create` leaves for the machine that quotes and for the
// verifier. Version 1:
//   {"version": 1, "type": "ima-attest ak", "alg": "rsa"|"ecc",
//    "ak": {"public": B64 TPM2B_PUBLIC, "private": B64 TPM2B_PRIVATE, "name": HEX},
//    "ek": {"public": B64 TPM2B_PUBLIC, "certificate": B64 DER (when the TPM had one)}}
// Reading it recomputes every name and judges both keys; nothing in the file
// is taken on its word.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ima/bytes.hpp"
#include "ima/tpm/public_area.hpp"

namespace ima::tpm {

struct AkFile {
    KeyAlg alg = KeyAlg::rsa;
    Bytes ak_public;                      // TPM2B_PUBLIC
    Bytes ak_private;                     // TPM2B_PRIVATE, loadable under the EK
    Bytes ek_public;                      // TPM2B_PUBLIC
    std::optional<Bytes> ek_certificate;  // DER
};

// The JSON text (with a final newline); "name" is computed from ak_public.
std::string ak_json(const AkFile& ak);

// Throws FormatError naming the field that is wrong: not JSON, another
// version or type, base64 or hex that does not decode, a public area that
// does not parse, a name that is not the AK's, an AK that is not a
// restricted signing key, an EK that is not an endorsement key.
AkFile parse_ak_json(ByteView text);

// RFC 4648 base64 (no line breaks). from_base64 throws FormatError naming `what`.
std::string to_base64(ByteView in);
Bytes from_base64(std::string_view text, const std::string& what);

}  // namespace ima::tpm
