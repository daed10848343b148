// Reading a policy file (hostile input: size-limited, regular files only) and
// writing one into securityfs the way the kernel wants it.
#pragma once

#include <string>

namespace ima::policy {

// The text of a policy file. Throws IoError or FormatError naming it.
std::string read_policy_file(const std::string& path);

// Loads a policy into <securityfs>/ima/policy. With `by_path` the absolute
// path of the file is written (the kernel then reads and appraises the file
// itself, as POLICY_CHECK appraisal requires); else its whole text in one
// write (without CONFIG_IMA_WRITE_POLICY the file goes away after the first
// successful load). Throws Error(env) for a missing or unwritable securityfs,
// Error(bad) when the kernel refuses the policy.
void load_policy(const std::string& securityfs, const std::string& path, const std::string& text, bool by_path);

}  // namespace ima::policy
