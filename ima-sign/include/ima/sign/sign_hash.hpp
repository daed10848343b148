// `ima-sign sign-hash`: evmctl sign_hash's filter. Each input line is a
// sha256sum-style line ("<hex>  <path>") or an `fsverity digest` line
// ("sha256:<hex> <path>"); each output line is the input line, a space, and
// the hex xattr value.
#pragma once

#include <istream>
#include <ostream>

#include "ima/signature.hpp"

namespace ima::sign {

enum class SignHashMode { v2, v3, verity };

struct SignHashLine {
    HashAlgo algo;
    Bytes digest;
    bool verity_format;  // "algo:hex" as fsverity prints it
};
// Parses one line. Throws FormatError naming the problem, UsageError for an
// unknown or unsupported algorithm before a ':'.
SignHashLine parse_sign_hash_line(const std::string& line, HashAlgo default_algo);

// The xattr value for one parsed line.
Bytes sign_hash_value(Signer& signer, const SignHashLine& in, SignHashMode mode);

// The longest input line: a digest, two spaces and a path (PATH_MAX is 4096).
inline constexpr size_t kMaxSignHashLine = 16384;

// One input line of at most kMaxSignHashLine bytes (its newline dropped);
// false at the end of the input. A longer line is refused as it is read,
// never held whole: FormatError "stdin line N: longer than ...".
bool read_sign_hash_line(std::istream& in, std::string& line, size_t line_no);

// Filters `in` to `out`. Stops at the first bad line (a longer line among
// them, refused as it is read) with FormatError "stdin line N: ..."; lines
// before it are already written.
size_t sign_hash_stream(std::istream& in, std::ostream& out, Signer& signer, HashAlgo default_algo, SignHashMode mode);

}  // namespace ima::sign
