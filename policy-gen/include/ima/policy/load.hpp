// Loading a policy into the kernel through <securityfs>/ima/policy.
//
// The kernel takes the policy in one open: it parses one rule per write()
// and returns the bytes it consumed, and on close it either activates the
// whole policy or, after any refused rule, drops it all ("policy update
// failed"). Without CONFIG_IMA_WRITE_POLICY the file disappears after the
// first successful load, so there is exactly one chance: lint first.
#pragma once

#include <string>

namespace ima::policy {

enum class LoadMethod {
    text,  // the rules themselves
    path,  // the file's absolute path: the kernel reads the file itself and
           // appraises it (POLICY_CHECK), as a policy that requires signed
           // policies must be loaded
};

enum class LoadMode {
    load,   // activate the policy
    check,  // let the kernel parse every rule, then make it drop the policy
            // (a last line that is not a rule): nothing changes
};

struct LoadResult {
    LoadMethod method = LoadMethod::text;
    size_t bytes = 0;   // bytes the kernel consumed
    size_t writes = 0;  // write() calls
};

// `target` is the policy file (<securityfs>/ima/policy), `path` the policy
// file on disk, `text` its contents. With LoadMethod::text, a refusal with
// EACCES (the running policy wants signed policies) is retried by path.
// Throws UsageError for LoadMethod::path with path "-", Error(env) when the
// target is missing or busy (or, in check mode, takes a line that is not a
// rule), IoError when the target cannot be opened, closed or (check mode)
// written, or `path` cannot be resolved, Error(bad) naming the line (or the
// file) the kernel refused.
LoadResult load_policy(const std::string& target, const std::string& path, const std::string& text, LoadMethod method,
                       LoadMode mode);

}  // namespace ima::policy
