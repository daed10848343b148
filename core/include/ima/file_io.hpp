// Whole files in and out, the one way every tool does it: bounded reads that
// refuse what is not a regular file, and atomic writes that leave either the
// old file or the whole new one, never half of one and never a stray
// temporary file, even when the process is killed.
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "ima/bytes.hpp"
#include "ima/fd.hpp"

namespace ima {

// Whether NUL bytes may appear in what is read (text formats refuse them).
enum class Nul { allow, refuse };

struct ReadOptions {
    size_t max_bytes;          // more than this is refused
    Nul nul = Nul::allow;      // Nul::refuse for text formats
    bool allow_stdin = false;  // "-" reads standard input (a pipe, a terminal, a file)
    bool follow_link = true;   // false: a symbolic link at the path is refused (ELOOP)
};

// Reads a regular file (opened O_NONBLOCK, so a FIFO put in its place cannot
// stall the caller) in chunks until EOF: securityfs files report size 0, so
// the size fstat gives is never trusted. `what` starts each message
// ("certificate" -> "certificate PATH: ..."; empty: "PATH: ...").
// Throws IoError (cannot open or read), Error(env) "not a regular file",
// FormatError "larger than N bytes" / "holds a NUL byte".
// `check`, when given, sees every byte read so far after each read, so that
// a parser can refuse a malformed stream at its first bad record instead of
// after reading it whole (it throws; its exception passes through as is).
using ChunkCheck = std::function<void(ByteView so_far)>;
Bytes read_bounded(const std::string& path, const ReadOptions& opts, const std::string& what = "",
                   const ChunkCheck& check = {});

// Clears O_NONBLOCK on a descriptor opened with it (so that opening a FIFO
// never blocks), before reading it. Throws IoError naming `shown`.
void make_blocking(int fd, const std::string& shown);

// The same on a descriptor the caller opened (`shown` names it in messages).
Bytes read_bounded_fd(int fd, const std::string& shown, const ReadOptions& opts, const ChunkCheck& check = {});

// A file that appears whole or not at all. The data goes to an unnamed
// temporary file (O_TMPFILE) in the target's folder, which gets a name only
// at commit(): fsync, linked in under the target's name (or under a random
// name that is then renamed over an existing target), then the folder is
// fsynced. A run that ends before commit() -- an error, a signal, SIGKILL --
// leaves nothing behind. On a filesystem without O_TMPFILE the file is made
// with O_EXCL under an unpredictable name and removed on every error path. The target is never followed if it is a
// symbolic link: rename replaces the link itself. New files get `mode` less the umask.
class AtomicFile {
public:
    // Opens the temporary file. Throws UsageError for an empty path, IoError
    // naming `path` (a missing folder, no permission) before anything else is done.
    explicit AtomicFile(std::string path, mode_t mode = 0666);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    int fd() const { return fd_.get(); }
    const std::string& path() const { return path_; }
    // Writes all of `data`. Throws IoError.
    void write(ByteView data);
    void write(const std::string& text) { write(view(text)); }
    // Makes the file appear under its name. Throws IoError (the target then
    // keeps its old contents, and nothing else is left).
    void commit();

private:
    std::string path_, dir_, base_;
    Fd dir_fd_, fd_;
    std::string fallback_name_;  // set when the filesystem has no O_TMPFILE
    mode_t mode_;
    bool committed_ = false;
};

// The name an AtomicFile gives its file for a moment before rename (".NAME.<16
// hex>.tmp"): what a writer killed in that moment leaves. Returns NAME for
// such a base name, nullopt for any other, so that walkers can tell it from
// the user's files.
std::optional<std::string_view> atomic_temp_target(std::string_view base);

// Writes `data` to `path` through an AtomicFile. Throws IoError, or
// UsageError for an empty path.
void write_atomic(const std::string& path, ByteView data, mode_t mode = 0666);
inline void write_atomic(const std::string& path, const std::string& text, mode_t mode = 0666) {
    write_atomic(path, view(text), mode);
}

// Writes all of `data` to `fd`, retrying short writes and EINTR. Throws
// IoError naming `shown`.
void write_all(int fd, ByteView data, const std::string& shown);

}  // namespace ima
