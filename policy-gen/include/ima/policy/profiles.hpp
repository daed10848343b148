// Ready-made policies: the kernel's built-in ones (ima_policy=tcb,
// appraise_tcb, secure_boot in ima_policy.c) and appraise-exec, written for a
// target kernel release, each linting clean for it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ima/policy/policy.hpp"

namespace ima::policy {

struct ProfileOptions {
    std::optional<KernelVersion> kernel;       // what the release lacks is left out or replaced, with a note
    bool sigv3 = false;                        // fs-verity signatures for programs (appraise-exec)
    std::optional<std::string> fsuuid;         // restrict the rules on programs and files to one filesystem
    bool measure = false;                      // also measure what is appraised
    std::optional<std::string> template_name;  // template= on the measure rules
};

struct ProfileInfo {
    const char* name;
    const char* summary;
};
const std::vector<ProfileInfo>& profiles();

// The policy text: comments saying what it is and what was left out or
// replaced for the target kernel, then the rules. Throws UsageError for an
// unknown profile, an option that does not apply to it, a malformed --fsuuid
// or an unknown template; Error(bad) when the text made does not lint clean
// for the target kernel.
std::string generate_profile(const std::string& name, const ProfileOptions& o);

}  // namespace ima::policy
