// Fuzzes the certificate parser (PEM bundles and DER) and the key id.
#include <cstdint>

#include "ima/error.hpp"
#include "ima/key.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        for (const auto& c : ima::parse_certificates(ima::ByteView(data, size), "fuzz"))
            (void)ima::keyid_of_certificate(c);
    } catch (const ima::Error&) {
    }
    return 0;
}
