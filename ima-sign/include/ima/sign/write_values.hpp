// The shared pipeline of `sign` and `hash`: for every selected regular file,
// digest it through its descriptor, make the value, and store it (xattr on the
// same descriptor, or FILE.sig), in parallel through the core walker.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ima/bytes.hpp"
#include "ima/hash_algo.hpp"
#include "ima/tree_walk.hpp"
#include "ima/xattr_io.hpp"

namespace ima::sign {

enum class Output { xattr, sigfile };
// What digest each file gets: its contents hashed (IMA), or its fs-verity
// digest (Merkle tree root in a descriptor) for fs-verity signatures.
enum class DigestKind { file, fsverity };
enum class Write { yes, dry_run };

// Decides, from the open file, whether to process it (for --policy).
using Selector = std::function<bool(const WalkFile&)>;
// For --skip-signed: true when a file's existing value (its security.ima, or
// FILE.sig) is already what would be stored for its current digest, so it is
// kept as it is. Called on worker threads.
using KeepFn = std::function<bool(ByteView existing, ByteView digest)>;

struct WriteRequest {
    HashAlgo algo = HashAlgo::sha256;
    XattrNamespace ns = XattrNamespace::security;
    DigestKind digest = DigestKind::file;
    Output output = Output::xattr;
    Write write = Write::yes;
    WalkOptions walk;
    Selector select;    // empty: every regular file
    KeepFn keep_valid;  // empty: every value is written
    // Called (on worker threads, one at a time) with the relative path of
    // each regular file `select` left out, for Keylime's excludes.
    std::function<void(const std::string& rel)> on_left_out;
};

struct FileRecord {
    std::string path;
    std::string rel;
    Bytes digest;           // the file digest with the request's algorithm
    Bytes value;            // the xattr value written (or that would be, with --dry-run), or the one kept
    bool kept = false;      // the existing value passed keep_valid and was left as it was
    size_t seq = SIZE_MAX;  // the walk's number for the file (WalkFile::seq), when it came from a walk
};
// Called once per file stored, one call at a time.
using RecordFn = std::function<void(const FileRecord&)>;
// Makes the value to store from the file digest; called on worker threads.
using MakeValue = std::function<Bytes(ByteView digest)>;

WalkSummary write_values(const std::vector<std::string>& paths, const WriteRequest& req, const MakeValue& make,
                         const RecordFn& on_record, const FailureFn& on_failure);

// Writes `value` to PATH.sig atomically (ima/file_io.hpp: nothing is left
// behind by a killed run), never following a symlink at PATH.sig. Throws IoError.
void write_sigfile(const std::string& path, ByteView value);
// True for what --sigfile writes beside the files, never itself signed or
// verified: FILE.sig, and the temporary name a run killed while replacing one
// leaves (".FILE.sig.<hex>.tmp").
bool is_sigfile_output(const std::string& path);
// Reads PATH.sig (at most 64 KiB). nullopt when it does not exist.
std::optional<Bytes> read_sigfile(const std::string& path);

}  // namespace ima::sign
