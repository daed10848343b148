// Checking a security.ima value against a file as evmctl 1.4's ima_verify
// does: a type 0x03 value with a version 2 header, the digest recomputed
// with the header's algorithm, the key found by its id. The signature is
// whatever follows the 9-byte header (evmctl does not check sig_size).
#pragma once

#include <sys/stat.h>

#include <string>

#include "console.hpp"
#include "ima/bytes.hpp"
#include "keys.hpp"
#include "options.hpp"

namespace ima::evmctl {

// Throws VerifyError (status 1) naming the problem; returns when the signature is good.
void verify_ima_value(const Options& opts, VerifyKeys& keys, Console& con, const std::string& path, ByteView value,
                      int fd, const struct stat& st);

// The same check against a digest given instead of the file's (ima_measurement
// --verify-sig: the digest the measurement list recorded). As evmctl 1.6
// does, a version 3 signature is checked too: over the hash of the
// ima_file_id of that digest (type 0x03, or 0x06 for an fs-verity digest).
// Throws VerifyError (status 1).
void verify_ima_value_digest(VerifyKeys& keys, Console& con, const std::string& path, ByteView value, ByteView digest);

// The signature of a value with a v2/v3 header (at least 9 bytes; sig_size
// ignored, as evmctl ignores it) checked over `signed_digest` with the key
// its id names. A problem with the value or the key throws an error of
// `problem_status` (ima_verify says 1, evm verify 125); a signature that does
// not verify is always VerifyError (status 1).
void verify_value_signature(VerifyKeys& keys, Console& con, const std::string& path, ByteView value, HashAlgo algo,
                            ByteView signed_digest, int problem_status);

// The hash algorithm a signature header names, as evmctl reads it (v1
// headers: sha1 or sha256; v2/v3: the kernel number, below streebog512's
// + 1). Throws VerifyError (status 1).
HashAlgo signature_algo(ByteView value, const std::string& path);

}  // namespace ima::evmctl
