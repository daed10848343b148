// Fuzzes the three files of a TPM quote (tpm2_quote -m, -s and -o): any
// bytes are each structure or a FormatError, and what parses holds only
// what its structure can (PCRs below 32, one value per selected PCR).
#include <cstdint>
#include <cstdlib>

#include "ima/error.hpp"
#include "ima/quote/quote.hpp"

// tpm2-tss's own log would print a line per refused input.
static const int quiet_tss = setenv("TSS2_LOG", "all+NONE", 1);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    (void)quiet_tss;
    ima::ByteView in(data, size);
    try {
        ima::quote::Attest a = ima::quote::parse_attest(in);
        for (const auto& b : a.selection)
            for (unsigned pcr : b.pcrs)
                if (pcr >= 32) std::abort();
        if (a.pcr_digest.size() > 64 || a.extra_data.size() > 64) std::abort();
    } catch (const ima::FormatError&) {
    }
    try {
        ima::quote::QuoteSignature s = ima::quote::parse_quote_signature(in);
        if (s.sig.size() > 1024) std::abort();
    } catch (const ima::Error&) {  // FormatError, or CryptoError for an ECDSA value OpenSSL cannot encode
    }
    try {
        ima::quote::QuotedPcrs p = ima::quote::parse_tpm2_pcrs(in);
        size_t selected = 0;
        for (const auto& b : p.selection) selected += b.pcrs.size();
        if (selected != p.values.size()) std::abort();
        (void)ima::quote::selection_text(p.selection);
    } catch (const ima::FormatError&) {
    }
    return 0;
}
