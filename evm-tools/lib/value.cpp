#include "ima/evm/value.hpp"

#include "ima/error.hpp"

namespace ima::evm {

EvmValue decode_evm_value(ByteView in) {
    if (in.empty()) throw FormatError("type: empty value");
    const uint8_t type = in[0];
    EvmValue v;
    switch (type) {
        case 0x02: {
            v.kind = EvmKind::hmac;
            v.hmac = std::get<HmacValue>(decode_xattr(in)).hmac;
            return v;
        }
        case 0x03:
        case 0x05: {
            v.kind = static_cast<EvmKind>(type);
            // The old v1 header (RSA "digsig" keys) is not made for EVM by any
            // current tool and the _evm keyring holds X.509 keys: refuse it by name.
            if (in.size() >= 2 && in[1] != 2)
                throw FormatError("version: EVM signatures use signature version 2, not " + std::to_string(in[1]));
            v.signature = decode_signature(in);
            return v;
        }
        case 0x01:
        case 0x04:
        case 0x06:
            throw FormatError("type: 0x" + to_hex(in.first(1)) + " (" + xattr_type_name(static_cast<XattrType>(type)) +
                              ") is a security.ima type, not an EVM one");
        default: throw FormatError("type: unknown EVM type 0x" + to_hex(in.first(1)));
    }
}

Bytes encode_evm_value(const EvmValue& v) {
    if (v.kind == EvmKind::hmac) return encode_hmac(HmacValue{v.hmac});
    SignatureValue s = v.signature;
    s.type = static_cast<XattrType>(v.kind);
    return encode_signature(s);
}

}  // namespace ima::evm
