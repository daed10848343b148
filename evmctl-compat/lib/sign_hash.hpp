// evmctl sign_hash: a filter from shaXsum-style lines to signed lines. Each
// line's digest is the hex text up to the first ',', space or tab; the
// output is the line, a space, and the hex security.ima value (type 0x03,
// signature v2 with -a's algorithm). With --veritysig (evmctl 1.5) each line
// is an `fsverity digest` line ("sha256:<hex> <path>", read by ima-sign's
// parser) and the value is type 0x06, signature v3 over the ima_file_id of
// that fs-verity digest, with the line's algorithm.
#pragma once

#include <istream>
#include <string>

#include "console.hpp"
#include "ima/bytes.hpp"
#include "options.hpp"

namespace ima::evmctl {

// The digest of one input line (newline already removed), as evmctl reads
// it: hex digits up to the first ',', ' ' or '\t', an odd last digit
// dropped. Throws Error (status 125) for a character that is not a hex digit
// (evmctl signs whatever its hex parser leaves behind).
Bytes sign_hash_digest(const std::string& line);

class SigningKey;
// The --veritysig value of one `fsverity digest` line. Throws FormatError
// for a line of another shape, Error from the key.
Bytes sign_verity_line(const std::string& line, SigningKey& key);

int cmd_sign_hash(const Options& opts, Console& con, std::istream& in);

}  // namespace ima::evmctl
