// Opening the one path a non-recursive command names, checked the way evmctl
// checks it (lstat first: a symbolic link is never followed), and the .sig
// files of --sigfile.
#pragma once

#include <sys/stat.h>

#include <optional>
#include <string>

#include "ima/bytes.hpp"
#include "ima/fd.hpp"

namespace ima::evmctl {

// lstat of `path`. Throws Error (status 125) "<path>: <strerror>".
struct stat lstat_path(const std::string& path);

// "regular file", "directory", "symbolic link", ... for messages.
std::string file_type_name(mode_t mode);

// Opens `path`, which lstat_path() said is a regular file (`st`), read-only
// without following a symbolic link, and checks that the descriptor is that
// same regular file (no swap between the lstat and the open). Throws
// Error (status 125) "unsupported file type (...)" for anything else.
Fd open_regular(const std::string& path, const struct stat& st);

// Opens a regular file or a directory for EVM (which signs both); other
// types throw Error (status 125).
Fd open_for_evm(const std::string& path, const struct stat& st);

// Writes `value` to `path` (FILE.sig) through a temporary file and rename,
// so that a reader never sees half a signature. Throws Error (status 125).
void write_sigfile(const std::string& path, ByteView value);

// Reads a whole .sig file (at most 64 KiB). Throws Error (status 125).
Bytes read_sigfile(const std::string& path);

}  // namespace ima::evmctl
