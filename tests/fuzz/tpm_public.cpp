// Fuzzes the TPM structures an AK file and a credential carry: any bytes
// are a TPM2B_PUBLIC (named, judged, its key made) or a FormatError; an
// AK.json or a FormatError; a credential file or a FormatError, and what
// parses is written back to the same bytes.
#include <cstdint>
#include <cstdlib>

#include "ima/credential/credential.hpp"
#include "ima/error.hpp"
#include "ima/tpm/ak_file.hpp"
#include "ima/tpm/public_area.hpp"

// tpm2-tss's own log would print a line per refused input.
static const int quiet_tss = setenv("TSS2_LOG", "all+NONE", 1);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    (void)quiet_tss;
    ima::ByteView in(data, size);
    try {
        ima::tpm::PublicArea p = ima::tpm::parse_public(in);
        if (ima::tpm::tpm2b_of(p) != ima::Bytes(in.begin(), in.end())) std::abort();
        (void)ima::tpm::ak_problems(p);
        (void)ima::tpm::ek_problems(p);
        if (ima::tpm::name_of(p).size() < 2 + 32) std::abort();
        if (!ima::tpm::public_key(p)) std::abort();
    } catch (const ima::FormatError&) {
    } catch (const ima::CryptoError&) {  // OpenSSL out of memory for a key it was given
    }
    try {
        ima::credential::Credential c = ima::credential::parse_credential_file(in);
        if (ima::credential::credential_file(c) != ima::Bytes(in.begin(), in.end())) std::abort();
    } catch (const ima::FormatError&) {
    }
    try {
        ima::tpm::AkFile ak = ima::tpm::parse_ak_json(in);
        if (ak.ak_public.empty() || ak.ek_public.empty()) std::abort();
        (void)ima::tpm::ak_json(ak);
    } catch (const ima::FormatError&) {
    }
    return 0;
}
