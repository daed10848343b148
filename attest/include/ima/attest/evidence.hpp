// The evidence document `ima-attest quote` writes and `check` reads (one
// versioned JSON document, binary fields base64, digests hex):
//   {"version": 1, "type": "ima-attest evidence", "nonce": HEX, "ak_name": HEX,
//    "selection": SEL, "quote": {"message": B64, "signature": B64},
//    "pcrs": {BANK: {"N": HEX}},
//    "ima": {"staged": [B64...], "log": B64, "banks": {ALGO: B64}},
//    "eventlog": B64}
// "staged" holds the chunks a kernel from 7.2 staged and deleted from its
// live list, oldest first: the whole list is the chunks and then "log".
// Nothing in it is trusted by being read: the PCR values mean something
// only once the quote's signature and digest cover them.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "ima/bytes.hpp"
#include "ima/hash_algo.hpp"
#include "ima/measurement/pcr_values.hpp"

namespace ima::attest {

struct Evidence {
    Bytes nonce;
    Bytes ak_name;
    std::string selection;  // as written (for messages; the quote's own selection is what counts)
    Bytes message;          // TPMS_ATTEST
    Bytes signature;        // TPMT_SIGNATURE
    std::map<HashAlgo, measurement::PcrMap> pcrs;
    std::optional<Bytes> ima_log;         // binary_runtime_measurements: the staged chunks, then the live list
    std::map<HashAlgo, Bytes> ima_banks;  // binary_runtime_measurements_<algo>
    std::optional<Bytes> eventlog;        // binary_bios_measurements
};

// The largest evidence document read: a list of millions of entries, base64.
inline constexpr size_t kMaxEvidenceBytes = size_t{3} << 29;

// Throws FormatError naming the member that is missing or malformed (not
// JSON, another version or type, a bank or PCR number this tool does not
// know, a value of the wrong size, bad hex or base64).
Evidence parse_evidence(ByteView text);

}  // namespace ima::attest
