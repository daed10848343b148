// evmctl ima_measurement: replays a binary measurement list (the SHA-1 one,
// binary_runtime_measurements, in host byte order) into the sha1 and sha256
// banks, checks each entry's template digest, and compares the banks with the
// TPM's PCRs (--pcrs files, or the TPM's sysfs files) after every entry.
// The exit status follows evmctl 1.4's rules to the letter, including its
// quirks: without --ignore-violations a violation is extended as zeros (so a
// list with violations does not match a real TPM); without any PCRs to
// compare with, only the template digests decide; a malformed entry ends the
// run with the status reached so far (1 for a PCR number or template name
// out of range). Signatures of ima-sig entries are checked (--verify-sig:
// against the digest in the list; otherwise against the file on this
// machine) and reported on stderr without changing the status, as evmctl does.
#pragma once

#include "console.hpp"
#include "options.hpp"

namespace ima::evmctl {

int cmd_ima_measurement(const Options& opts, Console& con, const std::string& sysfs_root = "/sys/class");

}  // namespace ima::evmctl
