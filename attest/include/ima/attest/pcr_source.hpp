// Where PCR values come from: --pcrs files, the kernel's sysfs files, the TPM
// through tpm2-tss, or a firmware event log replayed. Exactly one a command.
#pragma once

#include <string>
#include <vector>

#include "ima/hash_algo.hpp"
#include "ima/measurement/pcr_values.hpp"

namespace ima::attest {

struct PcrSource {
    std::vector<std::string> pcr_files;  // "FILE" or "ALGO,FILE", repeatable
    bool tpm = false;
    std::string tcti;  // empty: ima::tpm::default_tcti()
    bool sysfs = false;
    std::string sysfs_dir = "/sys/class/tpm/tpm0";
    std::string eventlog;  // a binary_bios_measurements file

    // Throws UsageError when more than one source is given. With none, sysfs.
    void check() const;
    // The values of `banks` (every bank the source has among
    // measurement::replay_banks() when empty), PCRs 0-23. Throws UsageError
    // as check() does or for an unknown --pcrs ALGO; Error(env) when the
    // source lacks a bank that was asked for by name, the TPM cannot be
    // opened or read, a file is not a regular file, or sysfs has no PCR
    // banks; IoError; FormatError (naming the file); and for an event log,
    // CryptoError when OpenSSL fails while replaying.
    measurement::PcrValues read(const std::vector<HashAlgo>& banks) const;
};

// "--bank": "all" gives an empty list; otherwise one of sha1, sha256,
// sha384, sha512. Throws UsageError.
std::vector<HashAlgo> parse_bank_option(const std::string& bank);

// The banks to work on: `wanted` if given (each must be in `have`, else
// Error(env) naming the source), else every replay bank in `have`.
std::vector<HashAlgo> select_banks(const std::vector<HashAlgo>& wanted, const measurement::PcrValues& have);

}  // namespace ima::attest
