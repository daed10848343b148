// Fuzzes the private-key loader with hostile bytes: it must load a key or
// throw ima::Error, and never prompt (no passphrase source is available).
#include <cstdint>
#include <cstdlib>

#include "ima/error.hpp"
#include "ima/key.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ima::PassphraseSource pass;
    pass.allow_prompt = false;
    pass.env_var = "IMAEVM_FUZZ_PASS";  // set it to exercise decryption
    try {
        ima::PrivateKey k = ima::parse_private_key(ima::ByteView(data, size), "fuzz", pass);
        (void)ima::keyid_of_public_key(k.pkey.get());
    } catch (const ima::Error&) {
    }
    return 0;
}
