// What a verifier remembers about one node between checks (`check --state`):
// the AK it judged, the TPM's clock and boot counters of the last trusted
// quote (a quote whose clock or counters go back is an old one replayed),
// and how far the IMA list was replayed: the entry count and the quoted PCR
// values after those entries, per bank, so that the next check of the same
// boot replays only the entries after them. One small JSON document per node:
//   {"version": 1, "type": "ima-attest state", "ak_name": HEX, "clock": N,
//    "reset_count": N, "restart_count": N,
//    "ima": {"entries": N, "pcrs": {BANK: {"N": HEX}}}}
#pragma once

#include <cstdint>
#include <string>

#include "ima/bytes.hpp"
#include "ima/measurement/pcr_values.hpp"

namespace ima::attest {

struct VerifierState {
    Bytes ak_name;
    uint64_t clock = 0;
    uint32_t reset_count = 0, restart_count = 0;
    size_t ima_entries = 0;           // entries replayed and judged
    measurement::PcrValues ima_pcrs;  // the quoted values after them (the PCRs the list extends)
};

// Throws FormatError naming what is missing or malformed.
VerifierState parse_verifier_state(ByteView text);
std::string verifier_state_json(const VerifierState& state);

}  // namespace ima::attest
