// Reading a policy file: hostile input, size-limited, regular files only.
#pragma once

#include <string>

namespace ima::policy {

// The text of a policy file ("-" reads standard input), read by
// read_bounded. Throws IoError (missing, no permission), Error(env) (not a
// regular file), FormatError (larger than 4 MiB, a NUL byte) naming the file.
std::string read_policy_file(const std::string& path);

}  // namespace ima::policy
