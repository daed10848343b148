// Where evmctl takes the 4-byte key id of a signature from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ima/key.hpp"

namespace ima::evmctl {

// --keyid-from-cert FILE: the last four bytes of the certificate's
// subjectKeyIdentifier (PEM tried first, then DER), as a host-order number.
// nullopt when the file cannot be read, holds no certificate, or the
// certificate has no subjectKeyIdentifier (at least 4 bytes); `why` says which.
std::optional<uint32_t> keyid_from_cert_skid(const std::string& path, std::string& why);

// The key id evmctl signs with when no --keyid is given: the
// subjectKeyIdentifier of a PEM certificate stored in the key file beside the
// private key, else the id computed from the public key.
KeyId signing_keyid(const PrivateKey& key, const std::string& key_path);

KeyId keyid_from_number(uint32_t id);

}  // namespace ima::evmctl
