// Ready-made policies: the kernel's built-in ones (tcb, appraise_tcb,
// secure_boot in ima_policy.c) and appraise-exec, each with the kernel's
// dont_measure/dont_appraise rules for pseudo filesystems.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ima/policy/policy.hpp"

namespace ima::policy {

struct ProfileOptions {
    std::optional<KernelVersion> kernel;  // leave out or replace what it lacks
    bool sigv3 = false;                   // fs-verity signatures (digest_type=verity appraise_type=sigv3)
    std::optional<std::string> fsuuid;    // restrict the rules to one filesystem
    bool measure = false;                 // also measure what is appraised
    std::optional<std::string> template_name;
};

struct ProfileInfo {
    const char* name;
    const char* summary;
};
const std::vector<ProfileInfo>& profiles();

// The policy text, starting with comments that say what it is and what was
// left out or replaced for the target kernel. Throws UsageError for an
// unknown profile or option value.
std::string generate_profile(const std::string& name, const ProfileOptions& o);

}  // namespace ima::policy
