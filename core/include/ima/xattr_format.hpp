// The security.ima and security.evm wire formats (security/integrity/integrity.h):
// a type byte, then a digest, an HMAC or a signature header and signature.
// Decoders take bytes, never trust a length, and throw FormatError naming the field.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <variant>

#include "ima/bytes.hpp"
#include "ima/hash_algo.hpp"

namespace ima {

enum class XattrType : uint8_t {
    digest = 0x01,         // IMA_XATTR_DIGEST: SHA-1 digest, no algo byte
    evm_hmac = 0x02,       // EVM_XATTR_HMAC: HMAC-SHA1
    digsig = 0x03,         // EVM_IMA_XATTR_DIGSIG: signature (v1 or v2 header)
    digest_ng = 0x04,      // IMA_XATTR_DIGEST_NG: algo byte + digest
    evm_portable = 0x05,   // EVM_XATTR_PORTABLE_DIGSIG
    verity_digsig = 0x06,  // IMA_VERITY_DIGSIG: sigv3 over an fs-verity file id
};
const char* xattr_type_name(XattrType t);

using KeyId = std::array<uint8_t, 4>;

// type 0x01 or 0x04.
struct DigestValue {
    HashAlgo algo;
    Bytes digest;
};
// type 0x02.
struct HmacValue {
    Bytes hmac;  // 20 bytes of HMAC-SHA1
};
// types 0x03, 0x05, 0x06 with the signature_v2_hdr (version 2 or 3):
// type, version, hash_algo, keyid (big-endian u32), sig_size (big-endian u16), sig.
struct SignatureValue {
    XattrType type = XattrType::digsig;
    uint8_t version = 2;
    HashAlgo algo = HashAlgo::sha256;
    KeyId keyid{};
    Bytes sig;
};
// A type 0x03 value with the old v1 header (RSA only); decoded, never made.
struct SignatureV1Value {
    Bytes raw;
};

using XattrValue = std::variant<DigestValue, HmacValue, SignatureValue, SignatureV1Value>;

// The value `evmctl ima_hash` writes: 0x01+digest for sha1, else 0x04+algo+digest.
Bytes encode_digest(const DigestValue& d);
Bytes encode_hmac(const HmacValue& h);
// Throws FormatError "sig_size: ..." for a signature over 65535 bytes.
Bytes encode_signature(const SignatureValue& s);

// Decodes any security.ima / security.evm value. Throws FormatError
// "<field>: <problem>" (for example "sig_size: 256 but 255 bytes follow").
XattrValue decode_xattr(ByteView in);
// How decode_signature reads sig_size: `exact` as the kernel does (it must
// cover exactly the rest, and not be 0); `ignored` as evmctl does (the
// signature is whatever follows the header, possibly nothing).
enum class SigSize { exact, ignored };
SignatureValue decode_signature(ByteView in, SigSize sig_size = SigSize::exact);

std::string keyid_hex(const KeyId& id);

}  // namespace ima
