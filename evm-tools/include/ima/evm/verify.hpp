// Checking a security.evm value against EvmInputs, as the kernel's
// evm_verify_hmac does, and loading the raw EVM HMAC key.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ima/evm/inputs.hpp"
#include "ima/evm/value.hpp"
#include "ima/passphrase.hpp"
#include "ima/signature.hpp"

namespace ima::evm {

struct EvmCheck {
    EvmKind kind = EvmKind::hmac;
    HashAlgo algo = HashAlgo::sha1;  // sha1 for an HMAC, else the signature header's
    std::optional<KeyId> keyid;      // signatures only
    std::string key_source;          // the certificate that verified it
};

// Checks `value` (a whole security.evm value) against `in`, gathered for the
// value's kind. A signature needs the key with its key id among `keys`; an
// HMAC needs `hmac_key`. Throws FormatError (malformed value, or inputs the
// kernel would refuse), VerifyError ("bad signature", "HMAC mismatch", "no
// certificate for key id 1a2b3c4d", "an HMAC value needs --hmac-key").
EvmCheck verify_evm_value(ByteView value, const EvmInputs& in, const std::vector<VerifyKey>& keys,
                          std::optional<ByteView> hmac_key);

// Reads a raw EVM HMAC key: the bytes the kernel's "evm-key" decrypts to,
// 1 to 128 of them (evmctl's /etc/keys/evm-key-plain). The bytes are wiped
// when the result is destroyed (read by core's read_key_file). Throws IoError,
// or Error(env) (not a regular file, empty, longer than 128 bytes).
SecretString load_hmac_key(const std::string& path);

}  // namespace ima::evm
