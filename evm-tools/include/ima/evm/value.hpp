// The security.evm value: decoded from bytes, never trusting a length.
#pragma once

#include "ima/bytes.hpp"
#include "ima/evm/inputs.hpp"
#include "ima/xattr_format.hpp"

namespace ima::evm {

struct EvmValue {
    EvmKind kind = EvmKind::hmac;
    Bytes hmac;                // kind hmac: the 20-byte HMAC-SHA1
    SignatureValue signature;  // kind immutable or portable: the signature_v2_hdr and signature
};

// Decodes a security.evm value: 0x02 + 20 bytes, or 0x03/0x05 + a version 2
// signature header whose sig_size covers the rest. Throws FormatError naming
// the field ("type: 0x04 (digest-ng) is a security.ima type, not an EVM one",
// "sig_size: 256 but 255 bytes follow", ...).
EvmValue decode_evm_value(ByteView in);

// The xattr value for an HMAC or a signature (inverse of decode_evm_value).
Bytes encode_evm_value(const EvmValue& v);

}  // namespace ima::evm
