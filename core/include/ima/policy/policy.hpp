// The kernel's IMA policy language as data (Documentation/ABI/testing/
// ima_policy, security/integrity/ima/ima_policy.c): rules of an action and
// key=value conditions and options, parsed with the line and column of each
// token so that lint can point at it, and printed back the way they came.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ima::policy {

enum class Action { measure, dont_measure, appraise, dont_appraise, audit, hash, dont_hash };
const char* action_name(Action a);

// One key=value (or a bare flag such as permit_directio). `op` is '=', '<'
// or '>' (uid, euid, gid, egid, fowner, fgroup take all three).
struct Term {
    std::string key;
    char op = '=';
    std::string value;
    bool bare = false;    // no "=value" (permit_directio)
    unsigned column = 0;  // 1-based, of the key
    std::string text() const;
};

struct Rule {
    Action action = Action::measure;
    std::vector<Term> terms;
    unsigned line = 0;
    // The first term with this key, or nullptr.
    const Term* find(const std::string& key) const;
    std::string text() const;  // "appraise func=BPRM_CHECK appraise_type=imasig"
};

struct Diagnostic {
    enum Severity { error, warning } severity = error;
    unsigned line = 0, column = 0;
    std::string message;
};

struct Policy {
    std::vector<Rule> rules;
    std::vector<Diagnostic> parse_errors;  // lines the kernel would refuse outright
};

// Parses policy text: one rule a line, blank lines and '#' comments allowed
// (the kernel skips them). Never throws on content: a line that cannot be a
// rule becomes a parse error with its line and column.
Policy parse_policy(std::string_view text);

// The policy back as text, one rule a line (comments are not kept).
std::string print_policy(const Policy& p);

// A kernel version for --kernel ("6.1", "5.10").
struct KernelVersion {
    unsigned major = 0, minor = 0;
    bool operator<(const KernelVersion& o) const { return major != o.major ? major < o.major : minor < o.minor; }
    std::string text() const { return std::to_string(major) + "." + std::to_string(minor); }
};
// Throws UsageError for anything but "X.Y".
KernelVersion parse_kernel_version(const std::string& s);

}  // namespace ima::policy
