// evmctl ima_boot_aggregate: the boot_aggregate IMA records as its first
// measurement, for each PCR bank it can read: the bank's hash over PCRs 0-7
// (sha1) or 0-9 (other banks), printed "sha1:<hex>" / "sha256:<hex>".
#pragma once

#include "console.hpp"
#include "ima/bytes.hpp"
#include "options.hpp"
#include "pcrs.hpp"

namespace ima::evmctl {

// The boot_aggregate of one bank.
Bytes boot_aggregate(const Bank& bank);

// Replays a TPM 1.2 BIOS event log (binary_bios_measurements: u32 pcr,
// u32 type, 20-byte SHA-1 digest, u32 data length, data; host byte order)
// into `sha1` (which must be all zero), read as evmctl reads it
// (measurement::EventLogDialect::evmctl): stops quietly after an event with
// no data or with truncated data.
// Throws FormatError (status 125) for a PCR number of 24 or more or an event
// over 200,000 bytes.
void replay_tpm12_event_log(ByteView log, Bank& sha1);

int cmd_ima_boot_aggregate(const Options& opts, Console& con, const std::string& sysfs_root = "/sys/class");

}  // namespace ima::evmctl
