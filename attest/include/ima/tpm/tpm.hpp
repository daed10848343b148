// A TPM 2.0 reached through tpm2-tss: the TCTI loader opens what a TCTI
// string names ("device:/dev/tpmrm0", "swtpm:port=2321", "mssim:..."), ESAPI
// reads and extends PCRs. One owner for the TCTI and ESYS contexts.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ima/bytes.hpp"
#include "ima/hash_algo.hpp"
#include "ima/measurement/pcr_values.hpp"

typedef struct TSS2_TCTI_OPAQUE_CONTEXT_BLOB TSS2_TCTI_CONTEXT;
typedef struct ESYS_CONTEXT ESYS_CONTEXT;

namespace ima::tpm {

// $IMAEVM_TCTI, else $TPM2TOOLS_TCTI, else "device:/dev/tpmrm0".
std::string default_tcti();
// $IMAEVM_TCTI, else $TPM2TOOLS_TCTI, else "": for Tpm, tpm2-tss's own
// search (tctildr's list: a libtss2-tcti-default.so, tabrmd, /dev/tpmrm0,
// /dev/tpm0, a simulator on localhost:2321), which is where evmctl 1.6
// looks when nothing is configured.
std::string tcti_from_environment();

// tpm2-tss's text for a response code ("TSS2 error N" when it has none).
std::string tss2_error_text(uint32_t rc);

class Tpm {
public:
    // Opens the TPM ("": tpm2-tss's default search). Throws Error(env)
    // "cannot open TPM '<tcti>': <tss2 reason>".
    // tpm2-tss prints its own log lines on stderr unless TSS2_LOG says not
    // to: the tools set it at start-up, the library leaves the process alone.
    explicit Tpm(const std::string& tcti);
    ~Tpm();
    Tpm(const Tpm&) = delete;
    Tpm& operator=(const Tpm&) = delete;

    // The hash algorithms of the PCR banks the TPM has allocated (with at
    // least one PCR selected), in the TPM's order; unknown algorithms are left out.
    std::vector<HashAlgo> pcr_banks();
    // Reads PCRs of one bank (eight a command, as the TPM allows; numbers
    // above 23 are left out). Throws UsageError for a bank with no TPM
    // algorithm id, Error(env) when the TPM refuses, the bank is not
    // allocated, or a PCR comes back with the wrong size.
    measurement::PcrMap read_pcrs(HashAlgo bank, const std::vector<unsigned>& pcrs);
    // Reads every allocated bank among `banks` (all allocated ones when empty).
    measurement::PcrValues read_banks(const std::vector<HashAlgo>& banks, const std::vector<unsigned>& pcrs);
    // Extends one PCR in several banks at once (TPM2_PCR_Extend, empty password).
    void extend(unsigned pcr, const std::vector<std::pair<HashAlgo, Bytes>>& digests);

    const std::string& tcti() const { return tcti_conf_; }
    // The ESAPI context, for the TPM commands of this library (keys.cpp).
    ESYS_CONTEXT* esys() { return esys_; }

private:
    std::string tcti_conf_;
    TSS2_TCTI_CONTEXT* tcti_ = nullptr;
    ESYS_CONTEXT* esys_ = nullptr;
};

}  // namespace ima::tpm
