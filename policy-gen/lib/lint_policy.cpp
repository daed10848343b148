// Checks across rules. The kernel walks the rules in order and the first
// matching rule of each kind (measure/dont_measure, appraise/dont_appraise,
// audit, hash/dont_hash) decides (ima_match_policy), so order is meaning:
// a rule behind a broader one never decides, a dont_appraise rule before a
// signature rule exempts files from it.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "conditions.hpp"
#include "lint_internal.hpp"

namespace ima::policy::detail {

bool parse_hex_ulong(const std::string& s, uint64_t& out) {
    size_t i = !s.empty() && s[0] == '+' ? 1 : 0;
    if (s.size() >= i + 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) i += 2;
    if (i >= s.size()) return false;
    uint64_t v = 0;
    for (; i < s.size(); ++i) {
        int d = std::isdigit(static_cast<unsigned char>(s[i])) ? s[i] - '0'
                : std::isxdigit(static_cast<unsigned char>(s[i]))
                    ? std::tolower(static_cast<unsigned char>(s[i])) - 'a' + 10
                    : -1;
        if (d < 0 || v > (UINT64_MAX >> 4)) return false;
        v = v << 4 | static_cast<uint64_t>(d);
    }
    out = v;
    return true;
}

bool parse_dec_ulong(const std::string& s, uint64_t& out) {
    size_t i = !s.empty() && s[0] == '+' ? 1 : 0;
    if (i >= s.size()) return false;
    uint64_t v = 0;
    for (; i < s.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
        unsigned d = static_cast<unsigned>(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    out = v;
    return true;
}

bool parse_dec_int(const std::string& s, long long& out) {
    bool neg = !s.empty() && s[0] == '-';
    uint64_t v = 0;
    if (!parse_dec_ulong(neg ? s.substr(1) : s, v) || (neg && !s.empty() && s[1] == '+')) return false;
    if (v > (neg ? 2147483648ull : 2147483647ull)) return false;
    out = neg ? -static_cast<long long>(v) : static_cast<long long>(v);
    return true;
}

bool is_uuid_text(const std::string& s) {
    if (s.size() != 36) return false;
    for (size_t i = 0; i < s.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
    }
    return true;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    size_t start = 0;
    while (true) {
        size_t end = s.find(sep, start);
        out.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) return out;
        start = end + 1;
    }
}

bool is_lsm_key(const std::string& key) {
    return key == "subj_user" || key == "subj_role" || key == "subj_type" || key == "obj_user" || key == "obj_role" ||
           key == "obj_type";
}

bool is_id_key(const std::string& key) {
    return key == "uid" || key == "euid" || key == "gid" || key == "egid" || key == "fowner" || key == "fgroup";
}

namespace {

struct Indexed {
    const Rule* rule;
    RuleFacts facts;
    Conditions cond;
};

bool is_file_hook(Func f) {
    return f == Func::none || f == Func::file_check || f == Func::mmap_check || f == Func::mmap_check_reqprot ||
           f == Func::bprm_check || f == Func::creds_check;
}

std::string quote(const Rule& r) {
    return "line " + std::to_string(r.line) + " (" + r.text() + ")";
}

std::string what_loads(Func f) {
    switch (f) {
        case Func::module_check: return "a kernel module";
        case Func::firmware_check: return "firmware";
        case Func::kexec_kernel_check: return "a kexec kernel";
        case Func::kexec_initramfs_check: return "a kexec initramfs";
        case Func::policy_check: return "a policy file";
        case Func::mmap_check:
        case Func::mmap_check_reqprot: return "mmapped code";
        case Func::file_check: return "a file read";
        default: return "a program";
    }
}

// Said once, at the rule where the pairwise comparisons ran out.
void budget_spent(const Rule& at, const char* check, const Sink& sink) {
    sink.warning(at, at.action_column, "lint-budget",
                 std::string("stopped comparing rules one by one after ") + std::to_string(kLintPairBudget) +
                     " pairs: " + check +
                     " from this rule on are not all reported; split the policy or use fewer such rules");
}

void check_shadowed(const std::vector<Indexed>& rules, PairBudget& budget, const Sink& sink) {
    std::map<Kind, CoverIndex> earlier;
    bool told = false;
    for (size_t j = 0; j < rules.size(); ++j) {
        const Rule& l = *rules[j].rule;
        CoverIndex& index = earlier[kind_of(*l.action)];
        auto covering = index.first_covering(rules[j].cond, budget);
        if (budget.spent() && !told) {
            budget_spent(l, "shadowed rules", sink);
            told = true;
        }
        if (auto i = covering) {
            const Rule& e = *rules[*i].rule;
            sink.warning(l, l.action_column, "shadowed",
                         "never decides: " + quote(e) +
                             " matches everything this rule matches, and the first "
                             "matching rule decides");
        }
        index.add(j, rules[j].cond);
    }
}

bool only_fsmagic(const Indexed& x, Func func) {
    const Conditions& c = x.cond;
    bool func_ok = !c.func || *c.func == func;
    return c.fsmagic && func_ok && !c.mask && !c.inmask && !c.fsname && !c.fsuuid && c.ids.empty() && c.lsm.empty();
}

void check_pseudo_filesystems(const std::vector<Indexed>& rules, const Sink& sink) {
    // The filesystems excluded so far, by rules without func= and per func.
    std::set<uint64_t> excluded_any;
    std::map<Func, std::set<uint64_t>> excluded_for;
    for (size_t j = 0; j < rules.size(); ++j) {
        const auto& a = rules[j];
        if (*a.rule->action == Action::dont_appraise && a.cond.fsmagic &&
            only_fsmagic(a, a.cond.func.value_or(Func::none)))
            (a.cond.func ? excluded_for[*a.cond.func] : excluded_any).insert(*a.cond.fsmagic);
        if (*a.rule->action != Action::appraise || !is_file_hook(a.facts.func)) continue;
        if (a.cond.fsmagic || a.cond.fsuuid || a.cond.fsname) continue;
        const std::set<uint64_t>& mine = excluded_for[a.facts.func];
        std::string missing;
        for (const auto& fs : skipped_filesystems_appraise_order())
            if (!excluded_any.count(fs.magic) && !mine.count(fs.magic))
                missing += (missing.empty() ? "" : ", ") + std::string(fs.name);
        if (missing.empty()) continue;
        sink.warning(*a.rule, a.rule->action_column, "pseudo-fs",
                     "appraises files on every filesystem: no dont_appraise fsmagic= rule before it for " + missing +
                         " (the kernel's own policies skip them; the initramfs is tmpfs or ramfs)");
        return;  // once a policy
    }
}

bool is_standard_skip(const Indexed& x) {
    return only_fsmagic(x, x.facts.func) && !x.cond.func && find_filesystem(*x.cond.fsmagic);
}

// Rules that ask for signatures, and what lets code around them unsigned.
void check_unsigned_code(const std::vector<Indexed>& rules, PairBudget& budget, const Sink& sink) {
    std::set<size_t> reported;  // one warning for each rule that lets code through
    bool out_of_budget = false;
    // Only these can let code through: dont_appraise rules, and appraise
    // rules that take a plain hash (signature rules before are no gap).
    std::vector<size_t> gaps;
    for (size_t j = 0; j < rules.size(); ++j) {
        const auto& s = rules[j];
        const Action act = *s.rule->action;
        if (act == Action::dont_appraise || (act == Action::appraise && !s.facts.digsig)) {
            gaps.push_back(j);
            continue;
        }
        if (act != Action::appraise || !s.facts.digsig) continue;
        for (size_t i : gaps) {
            if (!budget.take()) {
                if (!out_of_budget) budget_spent(*s.rule, "rules that let code through unsigned", sink);
                out_of_budget = true;
                break;
            }
            const auto& e = rules[i];
            if (e.cond.func && *e.cond.func != s.facts.func) continue;
            if (!may_overlap(e.cond, s.cond) || covers(e.cond, s.cond)) continue;  // covered: "shadowed" says it
            if (reported.count(i)) break;
            if (*e.rule->action == Action::dont_appraise) {
                if (is_file_hook(s.facts.func) && is_standard_skip(e)) continue;
                sink.warning(*e.rule, e.rule->action_column, "signature-exempted",
                             "comes before " + quote(*s.rule) + ": " + what_loads(s.facts.func) +
                                 " this rule matches goes through without a signature; put the signature rule first");
                reported.insert(i);
                break;
            }
            if (!e.facts.digsig) {
                sink.warning(*e.rule, e.rule->action_column, "exec-hash-only",
                             "comes before " + quote(*s.rule) + " and accepts a plain hash in security.ima: " +
                                 what_loads(s.facts.func) + " this rule matches needs no signature");
                reported.insert(i);
                break;
            }
        }
    }
    const Indexed* exec_sig = nullptr;
    bool mmap_sig = false, read_sig = false;
    for (const auto& x : rules) {
        if (*x.rule->action != Action::appraise || !x.facts.digsig) continue;
        Func f = x.facts.func;
        if (!exec_sig && (f == Func::bprm_check || f == Func::none)) exec_sig = &x;
        if (f == Func::mmap_check || f == Func::mmap_check_reqprot || f == Func::none) mmap_sig = true;
        bool reads = !x.cond.mask || *x.cond.mask == 4;
        if ((f == Func::file_check || f == Func::none) && reads && (!x.cond.inmask || *x.cond.inmask == 4))
            read_sig = true;
    }
    if (!exec_sig) return;
    const Rule& r = *exec_sig->rule;
    if (!mmap_sig)
        sink.warning(r, r.action_column, "mmap-unsigned",
                     "programs need signatures but mmapped code does not: shared libraries, and programs started as "
                     "'ld.so ./program', run unsigned (add appraise func=MMAP_CHECK mask=MAY_EXEC "
                     "appraise_type=imasig)");
    if (!read_sig)
        sink.warning(r, r.action_column, "script-interpreters",
                     "a script run as 'sh script' is read by the interpreter, not executed: BPRM_CHECK does not "
                     "appraise it (appraise func=FILE_CHECK mask=MAY_READ to cover it, or accept this with "
                     "'# ima-policy: ignore=script-interpreters')");
}

}  // namespace

std::set<std::string> ignored_codes(const Policy& p) {
    std::set<std::string> out;
    auto scan = [&](const std::string& line) {
        static const std::string marker = "ima-policy: ignore=";
        size_t at = line.find(marker);
        if (at == std::string::npos || line.find('#') > at) return;
        std::string rest = line.substr(at + marker.size());
        rest = rest.substr(0, rest.find_first_of(" \t\r"));
        for (const auto& code : split(rest, ','))
            if (!code.empty()) out.insert(code);
    };
    for (const auto& r : p.rules)
        for (const auto& l : r.leading) scan(l);
    for (const auto& l : p.trailing) scan(l);
    return out;
}

void check_policy(const Policy& p, const std::vector<bool>& valid, const Target& /*t*/, const Sink& sink) {
    std::vector<Indexed> rules;
    for (size_t i = 0; i < p.rules.size(); ++i)
        if (valid[i]) rules.push_back({&p.rules[i], rule_facts(p.rules[i]), conditions_of(p.rules[i])});
    PairBudget shadow_budget(kLintPairBudget), gap_budget(kLintPairBudget);
    check_shadowed(rules, shadow_budget, sink);
    check_pseudo_filesystems(rules, sink);
    check_unsigned_code(rules, gap_budget, sink);
}

}  // namespace ima::policy::detail

namespace ima::policy {

std::vector<Diagnostic> lint_policy(const Policy& p, const LintOptions& o) {
    std::vector<Diagnostic> out;
    detail::Sink sink{out};
    detail::Target t;
    if (o.kernel) t.version = *o.kernel, t.given = true;
    t.config = o.config;
    if (p.rules.empty())
        out.push_back({Diagnostic::error, 1, 1, "empty-policy",
                       "no rules: the kernel refuses an empty policy ('policy update failed')"});
    std::vector<bool> valid;
    for (const auto& r : p.rules) valid.push_back(detail::check_rule(r, t, sink));
    detail::check_policy(p, valid, t, sink);

    // Silencing applies to warnings only: the kernel refuses errors whatever a comment says.
    std::set<std::string> ignored = detail::ignored_codes(p);
    out.erase(
        std::remove_if(out.begin(), out.end(),
                       [&](const Diagnostic& d) { return d.severity == Diagnostic::warning && ignored.count(d.code); }),
        out.end());
    std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
        if (a.severity != b.severity) return a.severity < b.severity;
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    return out;
}

}  // namespace ima::policy
