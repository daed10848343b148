// `ima-attest check`: every check a verifier makes of one evidence document
// before it says a node is trusted, each named in the verdict. Only PCR
// values inside a verified quote are used: the IMA list and the event log
// are replayed against the quoted values, never against values merely
// carried beside them.
//   ak name         the evidence's AK is the enrolled one (AK.json)
//   ak attributes   a restricted signing key that cannot leave its TPM
//   ek certificate  (with --ek-ca) the EK certificate chains to a CA given
//                   and holds AK.json's EK
//   quote message, quote signature, pcr values: the parts read
//   signature, magic, type, nonce, pcr selection, pcr digest, clock: the
//                   quote (ima/quote/quote.hpp: check_quote)
//   state           (with a state) the same AK; resetCount and restartCount
//                   not behind, and within the same boot the clock ahead
//   ima list        the list (or the part after the state's entries) replays
//                   to the quoted PCRs (a prefix of it may: it grows after the
//                   quote), in every quoted bank holding PCR 10
//   boot_aggregate  the list's first entry is the digest of the quoted PCRs 0-9
//   event log       (when the evidence carries one) it replays to the quoted
//                   PCRs 0-9 and 14
//   signatures, manifest: (with certificates or a manifest) the entries the
//                   quote proved, as `verify` checks them
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ima/attest/evidence.hpp"
#include "ima/attest/verifier_state.hpp"
#include "ima/attest/verify_list.hpp"
#include "ima/key.hpp"
#include "ima/tpm/ak_file.hpp"

namespace ima::attest {

struct CheckInput {
    const Evidence* evidence = nullptr;
    const tpm::AkFile* ak = nullptr;
    Bytes nonce;
    const std::vector<Certificate>* ek_cas = nullptr;  // nullptr or empty: the AK is pinned by its name
    const VerifierState* state = nullptr;              // nullptr: a first check
    VerifyOptions verify;                              // keys and/or manifest; neither: not checked
};

struct CheckOutcome {
    std::string name;
    bool ok = false;
    std::string detail;
};

struct CheckReport {
    std::vector<CheckOutcome> checks;
    std::optional<VerifyReport> verify;  // the entries judged by signatures and manifest
    size_t list_entries = 0;             // entries in the evidence's list
    size_t proven_entries = 0;           // entries the quote covers
    size_t replayed_entries = 0;         // entries replayed by this check (after the state's)
    bool incremental = false;            // replay went on from the state
    VerifierState next;                  // what --state keeps when trusted
    bool trusted() const;
};

// Throws only for what is not the evidence's fault (CryptoError from OpenSSL);
// every problem of the evidence is a failed check.
CheckReport check_evidence(const CheckInput& in);

// Why the EK certificate (DER) is not one the verifier can trust for `ek`:
// it does not parse, its key is not the EK, or it does not chain to one of
// `cas`. Empty when it is trusted.
std::string ek_certificate_problem(ByteView der, const tpm::PublicArea& ek, const std::vector<Certificate>& cas);

}  // namespace ima::attest
