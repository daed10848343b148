// Replaying a measurement list into PCR values, per bank, the way the kernel
// extended them (ima_queue.c: ima_add_template_entry, ima_pcr_extend):
//  - kernels 5.11 and later extend each bank with the template digest computed
//    with that bank's algorithm (ima_calc_field_array_hash per bank);
//  - older kernels extend every bank with the SHA-1 template digest,
//    zero-padded to the bank's size;
//  - a violation is recorded with an all-zero digest and extended as all-ones
//    (older kernels: 20 bytes of 0xff, zero-padded);
//  - a current kernel without the bank's hash algorithm when IMA started
//    (say sha384 built as a module) extends that bank with the zero-padded
//    SHA-1 template digest, but violations as all-ones of the bank's size
//    (ima_crypto.c: ima_init_crypto, ima_calc_field_array_hash).
// Each entry's recorded template digest is also checked against its data.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ima/bytes.hpp"
#include "ima/hash_algo.hpp"
#include "ima/measurement/list.hpp"
#include "ima/measurement/pcr_values.hpp"

namespace ima::measurement {

// The template digest the kernel computes for an entry with `algo`: over the
// template data as exported, except for template "ima", whose hash covers the
// 20-byte digest and the event name zero-padded to 256 bytes.
Bytes template_digest(const Entry& e, HashAlgo algo);

// The PCR the kernel measures into by default (CONFIG_IMA_MEASURE_PCR_IDX).
inline constexpr unsigned kImaPcr = 10;

enum class ExtendRule {
    per_bank,       // template digest computed per bank (kernel 5.11 and later)
    recorded,       // the recorded digest, zero-padded to the bank (older kernels)
    sha1_fallback,  // zero-padded SHA-1, violations all-ones (a bank whose hash the kernel lacked)
};
// "per-bank template digests", "zero-padded SHA-1 template digests", "zero-padded
// SHA-1 template digests, violations all-ones (the kernel lacked the bank's hash)"
const char* extend_rule_name(ExtendRule r);
const char* extend_rule_id(ExtendRule r);  // "per-bank", "sha1-padded", "sha1-fallback"

struct BankReplay {
    HashAlgo bank = HashAlgo::sha1;
    // Set when expected values were given.
    bool compared = false;
    bool matched = false;                    // some rule reproduces every PCR the log uses after at least
                                             // one entry (never over zero entries: reset PCRs prove nothing)
    ExtendRule rule = ExtendRule::per_bank;  // the rule that matched (per_bank when none did)
    size_t matched_entries = 0;              // entries covered by the match: all, or a prefix when the
                                             // list holds measurements added after the PCRs were read
    PcrMap replayed;                         // final values under `rule`
    std::vector<unsigned> mismatched_pcrs;   // PCRs whose final value differs under `rule` (when !matched)
    bool recorded_matches = false;           // the recorded digests reproduce the PCRs although the data does not
};

struct ReplayOptions {
    std::vector<HashAlgo> banks;          // banks to replay
    const PcrValues* expected = nullptr;  // compare with these; nullptr only computes
    // Where the PCRs stood before the list's first entry: a re-check going on
    // from a trusted check's state (PCRs it lacks start from zero), after
    // `initial_entries` entries. The values were proven, so a match counts
    // before the first entry too (no new entries since the last check).
    const PcrValues* initial = nullptr;
    size_t initial_entries = 0;
};

struct ReplayResult {
    size_t entries = 0;
    std::vector<size_t> violations;           // entry indexes
    std::vector<size_t> bad_template_digest;  // entries whose recorded digest does not match their data
    std::vector<unsigned> pcrs;               // PCRs the list extends (always includes 10)
    std::vector<BankReplay> banks;
};

// Replays `list` into every bank of `opts`. With expected values, each bank is
// matched after every entry, so a list read after the PCRs (holding a few
// more entries) still matches on the prefix the PCRs cover; a match needs at
// least one entry. Throws Error(env) when the expected values lack a bank or
// a PCR the list uses, FormatError for an entry whose PCR is 24 or more,
// UsageError or CryptoError as Hasher (a bank's or the list's algorithm).
ReplayResult replay(const MeasurementList& list, const ReplayOptions& opts);

}  // namespace ima::measurement
