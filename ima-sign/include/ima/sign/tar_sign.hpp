// `ima-sign tar`: signs every regular file of a tar stream and writes the
// value as a PAX `SCHILY.xattr.security.ima` record, passing every other
// entry and header field through. Nothing is extracted: entries are read into
// memory (large ones into an unlinked temporary file), hashed and signed on
// worker threads, and written out in their original order by one writer, with
// at most `memory_budget` bytes of file data held in memory and
// `spool_budget` in temporary files at once (one entry at a time always
// fits). A sparse entry keeps its sparse map: only its stored regions are
// held, and its holes are hashed as the zeros they read as. A signed entry
// loses any security.evm it came with (it covered the old security.ima).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "ima/sign/sign_files.hpp"
#include "ima/sign/write_values.hpp"
#include "ima/signer_pool.hpp"

namespace ima::sign {

// What a tar header says about a file, for EVM signatures made from it.
struct TarFileFacts {
    std::string path;
    uint32_t uid = 0, gid = 0;
    uint16_t mode = 0;                                  // type and permission bits, as st_mode
    std::vector<std::pair<std::string, Bytes>> xattrs;  // those the entry carries, security.ima included
};
// Makes the security.evm value of one file (called on worker threads).
using TarEvmFn = std::function<Bytes(const TarFileFacts&)>;

struct TarRequest {
    HashAlgo algo = HashAlgo::sha256;
    SigVersion version = SigVersion::v2;   // v2 or v3
    unsigned jobs = 0;                     // 0: one per CPU
    size_t memory_budget = 24 << 20;       // file data held in memory at once
    size_t spool_threshold = 4 << 20;      // entries storing more than this go to a temporary file
    uint64_t spool_budget = 512ull << 20;  // file data held in temporary files at once
    std::string spool_dir = "/tmp";        // where the temporary files are made (O_TMPFILE: never named)
    TarEvmFn evm;                          // when set, security.evm is written too
    // For --skip-signed: an entry with one SCHILY.xattr.security.ima that
    // passes this check keeps it (security.evm is then treated as for a
    // signed entry: made again with `evm`, else dropped).
    KeepFn keep_valid;
    // Called on the reading thread for each hard-link entry: its member name
    // and its target's, both as records name them.
    std::function<void(const std::string& name, const std::string& target)> on_hardlink;
};

struct TarSummary {
    size_t entries = 0;
    size_t signed_files = 0;  // regular files given a new signature
    size_t kept = 0;          // regular files whose signature passed keep_valid
    // The most file data waiting at once, in memory and in temporary files:
    // within the budgets, or one entry when a single entry is larger.
    size_t peak_held = 0;
    uint64_t peak_spooled = 0;
};

// Reads a tar stream (ustar, pax or GNU; compressed input is accepted) from
// in_fd and writes a pax tar to out_fd. `in_name`/`out_name` name them in
// errors. Throws UsageError for SigVersion::verity; FormatError for a
// malformed, truncated or unreadable input (a member name with a ".."
// component among them) or an entry that could not be signed; Error(env)
// when the output cannot be written or an entry failed for the environment;
// IoError for a temporary file; UsageError or CryptoError as Hasher while
// hashing a spooled entry; what on_record throws passes through. Output
// written so far is then incomplete, so the caller must not keep it.
// Records carry member names as the archive's root sees them, and are
// marked kept for the entries keep_valid kept.
TarSummary sign_tar(int in_fd, const std::string& in_name, int out_fd, const std::string& out_name,
                    const PrivateKey& key, KeyId keyid, const TarRequest& req, const RecordFn& on_record);

}  // namespace ima::sign
