// The one parallel tree walker every tool uses: regular files only, symbolic
// links never followed, one filesystem unless asked, hard links visited once.
// Each file is opened once (O_RDONLY|O_NOFOLLOW|O_NOATIME where allowed) and the
// callback gets that descriptor, so hashing and setting the xattr use one inode.
#pragma once

#include <sys/stat.h>

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "ima/error.hpp"

namespace ima {

struct WalkOptions {
    unsigned jobs = 0;                        // worker threads; 0 = one per CPU
    bool cross_fs = false;                    // descend into other filesystems
    std::vector<std::string> excludes;        // fnmatch globs: with '/' on the relative path, else on the name
    std::atomic<size_t>* progress = nullptr;  // incremented once per file done
};

struct WalkFile {
    const std::string& path;  // the path to show the user: operand + "/" + rel
    const std::string& rel;   // relative to the directory operand; the operand itself for a file
    int fd;                   // open read-only, verified to be a regular file
    const struct stat& st;    // fstat of fd
};

struct FileFailure {
    std::string path;
    std::string message;  // "<path>: <why>", ready for "tool: error: " + message
    ErrorKind kind;
};

struct WalkSummary {
    size_t files = 0;  // files handed to the callback, failed or not
    std::vector<FileFailure> failures;
    // 0 when nothing failed; 3 when any failure was environmental (I/O,
    // permission); 1 otherwise (malformed, failed verification, not a regular file).
    int exit_status() const;
};

// Called on a worker thread; report a per-file problem by throwing ima::Error.
using FileFn = std::function<void(const WalkFile&)>;
// Called (one at a time, on any thread) as each failure happens.
using FailureFn = std::function<void(const FileFailure&)>;

// Visits every regular file under the operands. A problem with one file is
// recorded and the walk goes on. An operand that is a symbolic link, a special
// file or missing is a failure of that operand.
WalkSummary walk_files(const std::vector<std::string>& operands, const WalkOptions& opts, const FileFn& fn,
                       const FailureFn& on_failure = {});

unsigned default_jobs();

}  // namespace ima
