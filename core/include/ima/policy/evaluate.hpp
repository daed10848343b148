// Evaluating a policy on one event the way ima_match_policy does: rules in
// order, the first matching measure/dont_measure rule decides measurement and
// the first matching appraise/dont_appraise rule decides appraisal.
#pragma once

#include <optional>
#include <string>

#include "ima/policy/policy.hpp"

namespace ima::policy {

struct Event {
    std::string func;   // "BPRM_CHECK" (aliases accepted)
    unsigned mask = 0;  // MAY_EXEC 1, MAY_WRITE 2, MAY_READ 4, MAY_APPEND 8
    std::optional<uint64_t> fsmagic;
    std::optional<std::string> fsuuid;  // lower case
    std::optional<uint32_t> uid, euid, gid, egid, fowner, fgroup;
};

struct Decision {
    const Rule* measure = nullptr;   // the deciding rule (measure or dont_measure), if any
    const Rule* appraise = nullptr;  // the deciding rule (appraise or dont_appraise), if any
    bool measured() const { return measure && measure->action == Action::measure; }
    bool appraised() const { return appraise && appraise->action == Action::appraise; }
};

// Conditions on LSM labels, keyrings or labels cannot be decided offline:
// such rules are taken as not matching.
Decision evaluate(const Policy& p, const Event& e);

// "MAY_EXEC|MAY_READ" or "exec,read" into the kernel's mask bits. Throws UsageError.
unsigned parse_mask(const std::string& s);

}  // namespace ima::policy
