// Fuzzes the security.ima / security.evm decoder: any input either decodes
// into a value that re-encodes to the same bytes, or throws FormatError.
#include <cstdint>
#include <cstdlib>

#include "ima/error.hpp"
#include "ima/xattr_format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ima::ByteView in(data, size);
    try {
        ima::XattrValue v = ima::decode_xattr(in);
        ima::Bytes again;
        if (auto* d = std::get_if<ima::DigestValue>(&v)) {
            again = ima::encode_digest(*d);
            // sha1 in a 0x04 value re-encodes as 0x01; both are valid
            if (size > 1 && data[0] == 0x04) return 0;
        } else if (auto* h = std::get_if<ima::HmacValue>(&v)) {
            again = ima::encode_hmac(*h);
        } else if (auto* s = std::get_if<ima::SignatureValue>(&v)) {
            again = ima::encode_signature(*s);
        } else {
            return 0;
        }
        if (again != ima::Bytes(data, data + size)) std::abort();
    } catch (const ima::FormatError&) {
    }
    return 0;
}
