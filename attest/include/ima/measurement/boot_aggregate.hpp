// IMA's boot_aggregate (ima_crypto.c: ima_calc_boot_aggregate): the digest,
// with the bank's algorithm, of PCRs 0-7 concatenated, and for banks other
// than SHA-1 also PCRs 8 and 9. It is the first entry of the measurement list
// and ties the list to the firmware's measurements.
#pragma once

#include <optional>

#include "ima/bytes.hpp"
#include "ima/hash_algo.hpp"
#include "ima/measurement/fields.hpp"
#include "ima/measurement/list.hpp"
#include "ima/measurement/pcr_values.hpp"

namespace ima::measurement {

// Throws FormatError when a PCR it needs is missing from `pcrs`,
// UsageError or CryptoError as Hasher.
Bytes boot_aggregate(HashAlgo bank, const PcrMap& pcrs);

// The list's boot_aggregate entry (the first entry named "boot_aggregate")
// and its digest; nullopt when there is none.
struct BootAggregateEntry {
    const Entry* entry;
    DigestField digest;
};
std::optional<BootAggregateEntry> find_boot_aggregate(const MeasurementList& list);

}  // namespace ima::measurement
