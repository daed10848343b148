// What the kernel would refuse in a policy (errors) and what it would accept
// but probably not mean (warnings), optionally for one kernel version.
#pragma once

#include <optional>

#include "ima/policy/policy.hpp"

namespace ima::policy {

struct KeywordInfo {
    const char* name;
    KernelVersion since;  // the first kernel release that accepts it
};
// Every condition, option and func value, with the release it arrived in.
const std::vector<KeywordInfo>& keyword_history();

// Errors first (sorted by line, column), then warnings. `kernel`: also flag
// what that version does not know yet.
std::vector<Diagnostic> lint_policy(const Policy& p, std::optional<KernelVersion> kernel = std::nullopt);

// The canonical func name (the kernel's aliases FILE_MMAP and PATH_CHECK
// mapped to MMAP_CHECK and FILE_CHECK); nullopt when unknown.
std::optional<std::string> canonical_func(const std::string& name);

}  // namespace ima::policy
