// The firmware's TCG event log (binary_bios_measurements), parsed from bytes
// (TCG PC Client Platform Firmware Profile, section 10):
//  - TPM 1.2 / SHA-1 format: every event is TCG_PCClientPCREvent
//      { u32 pcrIndex; u32 eventType; u8 digest[20]; u32 eventDataSize; u8 event[]; }
//  - crypto-agile format: the first event has that layout, type EV_NO_ACTION
//    and data "Spec ID Event03" (TCG_EfiSpecIdEvent, which lists every
//    algorithm and its digest size); each further event is TCG_PCR_EVENT2
//      { u32 pcrIndex; u32 eventType; u32 count; {u16 alg; u8 digest[size]}[count];
//        u32 eventSize; u8 event[]; }
// All integers little-endian. EV_NO_ACTION events are never extended; a
// "StartupLocality" one sets the locality PCR 0 starts from.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "ima/bytes.hpp"
#include "ima/hash_algo.hpp"
#include "ima/measurement/pcr_values.hpp"

namespace ima::measurement {

inline constexpr uint32_t ev_no_action = 0x00000003;

struct TcgDigest {
    uint16_t alg;  // TPM2_ALG_* (ima/hash_algo.hpp: tpm_alg)
    ByteView digest;
};

struct TcgEvent {
    size_t index = 0;   // 1-based
    size_t offset = 0;  // byte offset in the input
    uint32_t pcr = 0;
    uint32_t type = 0;
    std::vector<TcgDigest> digests;
    ByteView data;
};

struct EventLog {
    bool crypto_agile = false;
    bool extend_no_action = false;                          // EventLogDialect::evmctl: EV_NO_ACTION events extend too
    std::vector<std::pair<uint16_t, uint16_t>> algorithms;  // (TPM2_ALG_*, digest size) from the Spec ID event
    std::vector<TcgEvent> events;                           // the header event included
    uint8_t startup_locality = 0;
};

// How a log is read.
//  - tcg: the rules above.
//  - evmctl: as evmctl's ima_boot_aggregate reads a TPM 1.2 log: every event
//    in the SHA-1 format (no Spec ID detection, no StartupLocality), integers
//    in host byte order, every event extended (EV_NO_ACTION too), no
//    zero-filled tail. The log ends quietly before fewer than 32 bytes, and
//    after an event whose data is empty or cut short (that event is kept, with
//    the data present, and extended). Data over 200,000 bytes is an error.
enum class EventLogDialect { tcg, evmctl };

// Parses a whole event log; refers into `in`. Trailing zero bytes (firmware
// log areas are zero-filled) end a tcg log. Throws FormatError("event N at
// byte X: ...") for truncated events (tcg), a PCR above 23, a digest of an
// algorithm the Spec ID event does not list, a malformed Spec ID event, or
// (evmctl) event data over 200,000 bytes.
EventLog parse_event_log(ByteView in, EventLogDialect dialect = EventLogDialect::tcg);

// The largest event log read from a file (firmware logs are tens of KiB; a
// log with every Secure Boot certificate a few hundred).
inline constexpr size_t kMaxEventLogBytes = 16u << 20;

// How many events extend a PCR (every event but EV_NO_ACTION).
size_t measured_events(const EventLog& log);

// The PCR values the log leads to, for every bank it carries whose algorithm
// the kernel knows and OpenSSL computes: PCRs 0-23, starting from zero (PCR 0 from the startup
// locality). EV_NO_ACTION events are skipped unless log.extend_no_action.
std::map<HashAlgo, PcrMap> replay_event_log(const EventLog& log);

}  // namespace ima::measurement
