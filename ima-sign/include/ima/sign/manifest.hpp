// The reference manifest of a signing run (`--manifest`): JSON
// {"version":1,"hash_algo":"sha256","root":"/abs/dir",
//  "files":[{"path","digest","security.ima"}]},
// paths relative to the signed root, sorted.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "ima/sign/write_values.hpp"

namespace ima::sign {

// The manifest of one run: `records` named by their `rel` paths (relative to
// the run's root, see ima/tree_walk.hpp walk_root), sorted, each path once
// (a tar stream that holds a name twice keeps the last, as extraction does).
// Throws FormatError for a name that is not a safe relative path, or not
// UTF-8 (a JSON string could not hold it faithfully). `root`, when not
// empty, is written as "root": the folder on this host the paths start from
// (WalkSummary::root); a tar stream's names start at the archive's root and
// have none. A root that is not UTF-8 is a FormatError too. `aliases` are
// the further names of hard links, (name, rel of the name that was signed):
// each is listed with that file's digest and value, since IMA measures a file
// under whichever name was opened; one whose file is not listed (it failed)
// is left out.
using HardLinkNames = std::vector<std::pair<std::string, std::string>>;
nlohmann::json manifest_json(std::vector<FileRecord> records, HashAlgo algo, const std::string& root = {},
                             const HardLinkNames& aliases = {});

// The records sorted by `rel`, each `rel` once (the last one given wins).
// Throws FormatError as manifest_json does.
std::vector<FileRecord> checked_records(std::vector<FileRecord> records);

}  // namespace ima::sign
