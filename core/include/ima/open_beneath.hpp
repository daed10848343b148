// Opening a file by a relative path under a root without ever following a
// symbolic link (a hostile tree may hold links pointing outside the root).
#pragma once

#include <string>

#include "ima/fd.hpp"

namespace ima {

// Opens root/rel read-only, one component at a time with O_NOFOLLOW, never
// leaving root. The result is a regular file (checked with fstat), opened
// O_NONBLOCK so that a FIFO placed at the path cannot stall the caller.
// Throws IoError (missing, no permission), FormatError (a symbolic link or a
// special file on the way, an unsafe path).
Fd open_regular_beneath(int root_fd, const std::string& rel, const std::string& shown_path);

}  // namespace ima
