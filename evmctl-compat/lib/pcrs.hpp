// The TPM PCR banks evmctl 1.4 works with (sha1 and sha256, PCRs 0-23) and
// where it reads them: --pcrs [algo,]FILE (lines "PCR-NN: <hex>", the bytes
// optionally separated by single spaces as TPM 1.2's sysfs file has them), a
// TPM 1.2's sysfs "pcrs" file, or (here, instead of evmctl's tsspcrread) the
// TPM 2.0 itself through tpm2-tss (the TCTI of $IMAEVM_TCTI or
// $TPM2TOOLS_TCTI, else tpm2-tss's own search), or the kernel's per-bank files
// /sys/class/tpm/tpm0/pcr-<algo>/<n>.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "ima/bytes.hpp"
#include "ima/hash_algo.hpp"

namespace ima::evmctl {

inline constexpr size_t num_pcrs = 24;

struct Bank {
    HashAlgo algo;
    bool supported = false;           // read (TPM banks) or computable (replayed banks)
    std::array<Bytes, num_pcrs> pcr;  // each of the bank's digest size, zero at first
    explicit Bank(HashAlgo a);
    std::string name() const;
    size_t digest_size() const;
};

// sha1 then sha256, all PCRs zero, none supported yet.
std::vector<Bank> evmctl_banks();

// Reads one "PCR-NN: hex" bank file the way evmctl does
// (measurement::read_pcr_lines_lenient). Returns false when the text holds no
// line at all.
bool parse_pcr_lines(const std::string& text, Bank& bank);

// Fills `banks` from the --pcrs options ("[algo,]file", algo sha1 by
// default); only the banks named become supported. Throws Error (125)
// naming the problem (unknown algorithm, missing file, not a regular file,
// empty file).
void read_pcr_files(const std::vector<std::string>& specs, std::vector<Bank>& banks);

// Without --pcrs: TPM 1.2's sysfs pcrs file, else a TPM 2.0 through
// tpm2-tss, else its per-bank sysfs files (/sys/class/tpm/tpm0/pcr-<algo>/<n>).
// `hwtpm` (evmctl 1.6's --hwtpm) reads those sysfs files before the TPM, as
// evmctl 1.6 does. Returns false when none is there.
bool read_tpm_pcrs(std::vector<Bank>& banks, const std::string& sysfs_root = "/sys/class", bool hwtpm = false);

}  // namespace ima::evmctl
