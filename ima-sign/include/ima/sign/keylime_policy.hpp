// A Keylime runtime policy (format version 1, as Keylime's own policy
// generator writes it and its verifier validates and acts on it): the
// reference digests of a signed image, keyed by the path the target's kernel
// logs for each file, the keys its signatures verify with, and what the run
// left out on purpose.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "ima/key.hpp"
#include "ima/sign/write_values.hpp"

namespace ima::sign {

// What Keylime's RUNTIME_POLICY_GENERATOR calls LegacyAllowList, the value its
// generator writes. Its push-mode verifier asks for the IMA list and PCR 10
// only when the generator is above 1 (0 is "unknown", 1 an empty policy).
inline constexpr int keylime_generator = 3;

struct KeylimePolicyOptions {
    // Where the signed root is mounted on the target ("/" when it is the
    // target's root filesystem): absolute and lexically normal.
    std::string target_root = "/";
    // Further names of hard links: (name, name that was recorded), both
    // relative to the run's root. IMA logs whichever name was opened.
    std::vector<std::pair<std::string, std::string>> aliases;
    // --exclude globs (as the walker matched them) and the relative paths of
    // the files --policy left out: both become `excludes` regexes.
    std::vector<std::string> exclude_globs;
    std::vector<std::string> left_out;
    // The signing certificate's key, for `verification-keys`; null: none.
    EVP_PKEY* verification_key = nullptr;
    KeyId keyid{};
};

// `records` are the files of one signing run. Throws UsageError for a hash
// Keylime cannot hold or a bad target root; FormatError as checked_records
// (also for an alias name); CryptoError encoding the key.
nlohmann::json keylime_policy_json(const std::vector<FileRecord>& records, HashAlgo algo,
                                   const KeylimePolicyOptions& opts = {});

// The path the target's kernel logs for `rel` under `target_root`, as its
// ascii measurement list shows it and Keylime compares it: spaces become '_'.
std::string keylime_path(const std::string& target_root, const std::string& rel);
// An `excludes` entry (a Python regular expression, matched at the start of
// the logged path) equivalent to the walker's --exclude GLOB: on the name
// when GLOB has no '/', else on the relative path; an excluded folder's
// whole subtree with it.
std::string keylime_exclude_regex(const std::string& target_root, const std::string& glob);
// `--target-root DIR` checked and normalised ("/mnt/", "/mnt" -> "/mnt").
// Throws UsageError for a relative path or one with "." or ".." components.
std::string checked_target_root(const std::string& dir);

}  // namespace ima::sign
