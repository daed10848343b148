// The attested machine's keys in its TPM (tpm2-tss ESAPI): the TCG default
// EK made again from its template (it is the same key every time), a
// restricted signing AK created under it, and TPM2_ActivateCredential, which
// recovers a verifier's secret only where the EK and the AK both live. The
// EK is used through a policy session with PolicySecret(TPM_RH_ENDORSEMENT),
// as its template's policy requires; every handle is flushed on every path.
#pragma once

#include "ima/credential/credential.hpp"
#include "ima/quote/quote.hpp"
#include "ima/tpm/ak_file.hpp"
#include "ima/tpm/tpm.hpp"

namespace ima::tpm {

// TCG's NV indices of the EK certificates (EK Credential Profile).
inline constexpr uint32_t kEkCertNvRsa = 0x01c00002;
inline constexpr uint32_t kEkCertNvEcc = 0x01c0000a;

// Creates the EK and an AK of `alg`, loads the AK once to prove it loads
// and that the TPM computes the same name, and reads the EK certificate
// from NV when the index exists. Throws Error(env) naming the TPM command
// that failed.
AkFile create_ak(Tpm& tpm, KeyAlg alg);

// TPM2_ActivateCredential with the AK of `ak` (loaded under the EK made
// again) and the EK: the secret. Throws VerifyError when the TPM refuses the
// credential (made for another EK or another AK, or altered), Error(env)
// for any other TPM failure, FormatError when this TPM's EK is not ak's.
Bytes activate_credential(Tpm& tpm, const AkFile& ak, const credential::Credential& cred);

// A TPM2_Quote by the AK of `ak` (loaded under the EK made again) over
// `selection` with `nonce` as qualifying data, and the PCR values read after
// it, checked against the quoted digest (read and quoted again when a PCR
// moved in between, a few times). Throws UsageError for a nonce over 64
// bytes or a bank the TPM has not allocated, FormatError when this TPM's EK
// is not ak's, VerifyError when the AK does not load under it, Error(env)
// for a TPM failure.
struct TpmQuote {
    Bytes message;    // TPMS_ATTEST
    Bytes signature;  // TPMT_SIGNATURE, marshalled
    quote::QuotedPcrs pcrs;
};
TpmQuote make_quote(Tpm& tpm, const AkFile& ak, ByteView nonce, const std::vector<quote::PcrBankSelection>& selection);

}  // namespace ima::tpm
