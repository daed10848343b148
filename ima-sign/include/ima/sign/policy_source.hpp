// `ima-sign sign --policy FILE`: the policy that chooses which files to sign,
// and the per-file decision from what the walker opened.
#pragma once

#include <string>

#include "ima/policy/policy.hpp"
#include "ima/tree_walk.hpp"

namespace ima::sign {

// Reads, parses and lints the policy; refuses one with errors (FormatError
// naming the file, line and column of the first), since signing by a policy
// the kernel would reject would sign the wrong files.
policy::Policy load_selection_policy(const std::string& path);

// Whether the policy would appraise this file on the target (see
// ima/policy/offline_select.hpp): reads its first bytes through the walker's
// descriptor for the ELF check.
bool would_appraise_file(const policy::Policy& p, const WalkFile& f);

}  // namespace ima::sign
