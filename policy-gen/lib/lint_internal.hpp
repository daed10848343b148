// Shared by the two halves of lint: the rule checks (what ima_parse_rule and
// ima_validate_rule refuse) and the policy checks (order, shadowing, gaps).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "ima/policy/grammar.hpp"
#include "ima/policy/kernel_config.hpp"
#include "ima/policy/lint.hpp"

namespace ima::policy::detail {

// The target of a lint run: a release, or the newest kernel when none was given.
struct Target {
    KernelVersion version{255, 0, 0};
    bool given = false;
    const KernelConfig* config = nullptr;  // the target's build configuration, when known
    bool has(KernelVersion v) const { return !(version < v); }
};

struct Sink {
    std::vector<Diagnostic>& out;
    void error(const Rule& r, unsigned column, std::string code, std::string message) const {
        out.push_back({Diagnostic::error, r.line, column ? column : 1, std::move(code), std::move(message)});
    }
    void warning(const Rule& r, unsigned column, std::string code, std::string message) const {
        out.push_back({Diagnostic::warning, r.line, column ? column : 1, std::move(code), std::move(message)});
    }
};

// The facts lint and the evaluator need about one rule, as the kernel would
// hold them in struct ima_rule_entry after parsing.
struct RuleFacts {
    Func func = Func::none;
    bool has_func = false;
    bool digsig = false;  // IMA_DIGSIG_REQUIRED: appraise_type= of any kind
    bool modsig = false;  // IMA_MODSIG_ALLOWED
    bool verity = false;  // IMA_VERITY_REQUIRED: digest_type=verity
    bool lsm = false;     // subj_* or obj_* conditions
    bool valid = true;    // no error reported for this rule
};
RuleFacts rule_facts(const Rule& r);

// Checks one rule; returns false when it reported an error.
bool check_rule(const Rule& r, const Target& t, const Sink& sink);
// What a rule the kernel takes does not do there, for how it was built.
void check_config(const Rule& r, const RuleFacts& facts, const KernelConfig& c, const Sink& sink);

// Checks across rules: order, shadowing, pseudo filesystems, unsigned code.
// `valid[i]` says whether rule i passed check_rule.
void check_policy(const Policy& p, const std::vector<bool>& valid, const Target& t, const Sink& sink);

// The warning codes silenced by '# ima-policy: ignore=CODE,...' lines.
std::set<std::string> ignored_codes(const Policy& p);

// Helpers on values, as the kernel's kstrto* read them.
bool parse_hex_ulong(const std::string& s, uint64_t& out);       // kstrtoul(s, 16): "+", "0x" allowed
bool parse_dec_ulong(const std::string& s, uint64_t& out);       // kstrtoul(s, 10)
bool parse_dec_int(const std::string& s, long long& out);        // kstrtoint(s, 10)
bool is_uuid_text(const std::string& s);                         // uuid_parse(): 8-4-4-4-12 hex
std::vector<std::string> split(const std::string& s, char sep);  // keeps empty items
bool is_lsm_key(const std::string& key);
bool is_id_key(const std::string& key);  // uid euid gid egid fowner fgroup

}  // namespace ima::policy::detail
