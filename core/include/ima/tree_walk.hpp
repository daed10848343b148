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
#include "ima/work_pool.hpp"  // default_jobs

namespace ima {

// The order files are numbered in (WalkFile::seq), and folders read in:
// `sorted` takes each folder's names in byte order, its files before its
// subfolders; `directory` is evmctl's walk: readdir order, depth first,
// descending into a subfolder as soon as its name comes up.
enum class WalkOrder { sorted, directory };

// A further name of a hard link whose first name is already queued: the
// file is visited once (under `first`), this name only numbered.
struct WalkAlias {
    size_t seq;    // this name's place in the walk
    size_t first;  // seq of the name that was visited
    const std::string& path;
    const std::string& rel;  // this name relative to the run's root
};

struct WalkOptions {
    unsigned jobs = 0;  // worker threads; 0 = one per CPU
    WalkOrder order = WalkOrder::sorted;
    bool cross_fs = false;                    // descend into other filesystems
    std::vector<std::string> excludes;        // fnmatch globs: with '/' on the relative path, else on the name
    std::atomic<size_t>* progress = nullptr;  // incremented once per file done
    std::string root;                         // what relative paths start from; empty: see walk_root()
    // An operand naming a symbolic link, also as "link/", "link/." or
    // "link/..", is refused; true lets "link/." (and "link/..") name the
    // folder, as evmctl's opendir follows its operand.
    bool follow_operand_links = false;
    // Called on the walking thread, in walk order, for each further name of
    // a hard link (see WalkAlias). Unset: such names are just skipped.
    std::function<void(const WalkAlias&)> on_alias;
    // Called on the worker after each queued file is done with: after the
    // callback returned or threw, or after the file could not be opened. With
    // WalkFile::seq, this is what a caller needs to put results back in walk
    // order (each seq is queued once, and ends here once).
    std::function<void(size_t seq)> after_each;
};

struct WalkFile {
    const std::string& path;  // the path to show the user: operand + "/" + name
    const std::string& rel;   // relative to the run's root (walk_root), never absolute, never ".."
    int fd;                   // open read-only, verified to be a regular file
    const struct stat& st;    // fstat of fd
    size_t seq;               // its place in the walk (WalkOrder), from 0 over all operands
    // The folder scan saw further names (st_nlink > 1 then): a WalkAlias may
    // name this seq, even when `st` (taken later) shows one link.
    bool linked = false;
};

// The folder a run's relative paths (manifests, policies, --exclude globs
// with a '/') start from, as one rule for every tool: `explicit_root` when
// given; else the operand itself when it is the only one and a directory;
// else the deepest folder that holds every operand (a lone file's folder).
// Paths are compared lexically, made absolute from the working directory.
// Throws UsageError when an operand lies outside an explicit root, or when
// an explicit root is a file operand itself; IoError as lexically_absolute.
std::string walk_root(const std::vector<std::string>& operands, const std::string& explicit_root);

// `path` made absolute from the working directory and lexically normal: no
// ".", "..", empty components or trailing "/". Throws IoError when a
// relative path meets a working directory getcwd cannot give (removed, or
// longer than PATH_MAX).
std::string lexically_absolute(const std::string& path);

struct FileFailure {
    std::string path;
    std::string message;  // "<path>: <why>", ready for "tool: error: " + message
    ErrorKind kind;
};

struct WalkSummary {
    size_t files = 0;  // files handed to the callback, failed or not
    std::string root;  // the root relative paths start from (lexically absolute)
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
// recorded and the walk goes on. An operand that is a symbolic link (also
// when given as "link/"), a special file or missing is a failure of that
// operand. The walk holds a descriptor for each folder with files still
// queued (at most a few thousand): callers raise RLIMIT_NOFILE at start-up
// (ima/cli.hpp does) rather than the library changing process limits.
// Throws as walk_root (UsageError, IoError); what `fn` throws is recorded
// as that file's failure, what on_failure, on_alias or after_each throw
// passes through.
WalkSummary walk_files(const std::vector<std::string>& operands, const WalkOptions& opts, const FileFn& fn,
                       const FailureFn& on_failure = {});

}  // namespace ima
