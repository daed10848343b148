// The kernel's IMA policy language as data (Documentation/ABI/testing/
// ima_policy, security/integrity/ima/ima_policy.c): one rule a line, an
// action and key=value conditions and options, kept with the line and column
// of every token so that lint can point at it, and printed back canonically
// (the action first, the other tokens in their order, comments kept).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ima::policy {

enum class Action { measure, dont_measure, appraise, dont_appraise, audit, hash, dont_hash };
const char* action_name(Action a);
std::optional<Action> parse_action(std::string_view token);

// One token other than the action: key=value, key<value, key>value, or a
// bare word (permit_directio, an unknown word, a second action).
struct Term {
    std::string key;
    char op = '=';        // '=', '<' or '>'
    std::string value;    // empty for bare words
    bool bare = false;    // no operator at all
    unsigned column = 0;  // 1-based column of the token
    unsigned index = 0;   // 0-based position among the rule's tokens (the action included)
    std::string text() const;
};

struct Rule {
    std::optional<Action> action;  // nullopt: the line has no action word
    unsigned action_column = 0;
    unsigned action_index = 0;           // position of the action among the tokens
    std::vector<Term> terms;             // every token but the action, in order
    unsigned line = 0;                   // 1-based line number
    unsigned length = 0;                 // bytes of the line, without its newline
    std::optional<std::string> comment;  // a trailing "# ..." (kernel 6.14+)
    unsigned comment_column = 0;
    std::vector<std::string> leading;  // comment and blank lines just above the rule

    // The first term with this key (and operator, when given), or nullptr.
    const Term* find(std::string_view key) const;
    bool has(std::string_view key) const { return find(key) != nullptr; }
    // "appraise func=BPRM_CHECK appraise_type=imasig", plus " # comment".
    std::string text() const;
};

struct Policy {
    std::vector<Rule> rules;
    std::vector<std::string> trailing;  // comment and blank lines after the last rule
};

// Parses policy text the way ima_parse_add_rule splits it: lines at '\n',
// blanks and tabs between tokens, lines whose first token starts with '#'
// and empty lines skipped. Never throws and never refuses: what the kernel
// would refuse is kept in the rule for lint to report with its position.
Policy parse_policy(std::string_view text);

// The policy as text, one rule a line, comments where they were. Parsing the
// output gives the same rules: parse(print(p)) == p, up to positions.
std::string print_policy(const Policy& p);

// A kernel release for --kernel: "6.1", "5.10", "6.1.55" (the patch level
// is kept but matters nowhere: keywords arrive with X.Y releases).
struct KernelVersion {
    unsigned major = 0, minor = 0, patch = 0;
    friend bool operator<(const KernelVersion& a, const KernelVersion& b) {
        if (a.major != b.major) return a.major < b.major;
        if (a.minor != b.minor) return a.minor < b.minor;
        return a.patch < b.patch;
    }
    friend bool operator==(const KernelVersion& a, const KernelVersion& b) = default;
    std::string text() const;
};
// Throws UsageError for anything but X.Y or X.Y.Z.
KernelVersion parse_kernel_version(std::string_view s);

}  // namespace ima::policy
