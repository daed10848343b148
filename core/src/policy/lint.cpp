// The checks of security/integrity/ima/ima_policy.c (ima_parse_rule and
// ima_validate_rule) as errors, and the usual mistakes as warnings.
#include "ima/policy/lint.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "ima/error.hpp"
#include "ima/hash_algo.hpp"

namespace ima::policy {

namespace {

using Diags = std::vector<Diagnostic>;

const std::set<std::string> conditions = {
    "func",   "mask",      "fsmagic",   "fsuuid",    "fsname",   "uid",      "euid",     "gid",      "egid", "fowner",
    "fgroup", "subj_user", "subj_role", "subj_type", "obj_user", "obj_role", "obj_type", "keyrings", "label"};
const std::set<std::string> options = {"appraise_type", "appraise_flag", "appraise_algos", "digest_type",
                                       "template",      "pcr",           "permit_directio"};
const std::set<std::string> comparable = {"uid", "euid", "gid", "egid", "fowner", "fgroup"};
const std::set<std::string> templates = {"ima",       "ima-ng",  "ima-ngv2",   "ima-sig",
                                         "ima-sigv2", "ima-buf", "ima-modsig", "evm-sig"};

// The pseudo filesystems the kernel's own policies never measure or appraise.
const std::map<std::string, const char*> pseudo_fs = {
    {"0x9fa0", "proc"},          {"0x62656572", "sysfs"},       {"0x64626720", "debugfs"},
    {"0x1cd1", "devpts"},        {"0x42494e4d", "binfmt_misc"}, {"0x73636673", "securityfs"},
    {"0xf97cff8c", "selinuxfs"}, {"0x43415d53", "smackfs"},     {"0x27e0eb", "cgroup"},
    {"0x63677270", "cgroup2"},   {"0x6e736673", "nsfs"},        {"0xde5e81e4", "efivarfs"},
};

bool is_decimal(const std::string& s) {
    return !s.empty() && s.size() <= 10 && s.find_first_not_of("0123456789") == std::string::npos;
}
bool is_hex(const std::string& s) {
    std::string h = s.rfind("0x", 0) == 0 || s.rfind("0X", 0) == 0 ? s.substr(2) : s;
    return !h.empty() && h.size() <= 16 && h.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
}
bool is_uuid(const std::string& s) {
    if (s.size() != 36) return false;
    for (size_t i = 0; i < s.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !isxdigit(static_cast<unsigned char>(s[i]))) return false;
    }
    return true;
}
bool valid_mask(const std::string& v) {
    std::string m = v.rfind('^', 0) == 0 ? v.substr(1) : v;
    return m == "MAY_EXEC" || m == "MAY_WRITE" || m == "MAY_READ" || m == "MAY_APPEND";
}

std::string normalize_fsmagic(const std::string& v) {
    std::string h = v.rfind("0x", 0) == 0 || v.rfind("0X", 0) == 0 ? v.substr(2) : v;
    size_t nz = h.find_first_not_of('0');
    h = nz == std::string::npos ? "0" : h.substr(nz);
    std::transform(h.begin(), h.end(), h.begin(), ::tolower);
    return "0x" + h;
}

void err(Diags& d, const Rule& r, const Term* t, const std::string& m) {
    d.push_back({Diagnostic::error, r.line, t ? t->column : 1, m});
}
void warn(Diags& d, const Rule& r, const Term* t, const std::string& m) {
    d.push_back({Diagnostic::warning, r.line, t ? t->column : 1, m});
}

bool is_measure(Action a) {
    return a == Action::measure || a == Action::dont_measure;
}
bool is_appraise(Action a) {
    return a == Action::appraise || a == Action::dont_appraise;
}

void check_value(Diags& d, const Rule& r, const Term& t) {
    const std::string& v = t.value;
    auto bad = [&](const std::string& why) { err(d, r, &t, "bad value for " + t.key + ": '" + v + "' (" + why + ")"); };
    if (t.key == "permit_directio") {
        if (!t.bare) bad("takes no value");
        return;
    }
    if (t.bare) {
        err(d, r, &t, "'" + t.key + "' needs a value (" + t.key + "=...)");
        return;
    }
    if (t.op != '=' && !comparable.count(t.key)) {
        err(d, r, &t, "'" + t.key + "' takes '=', not '" + t.op + "'");
        return;
    }
    if (t.key == "func") {
        if (!canonical_func(v)) bad("not a func the kernel knows");
    } else if (t.key == "mask") {
        if (!valid_mask(v)) bad("expected MAY_EXEC, MAY_WRITE, MAY_READ or MAY_APPEND, optionally with ^");
    } else if (t.key == "fsmagic") {
        if (!is_hex(v)) bad("expected a hexadecimal magic number");
    } else if (t.key == "fsuuid") {
        if (!is_uuid(v)) bad("expected a UUID such as 8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6");
    } else if (comparable.count(t.key)) {
        if (!is_decimal(v)) bad("expected a decimal id");
    } else if (t.key == "pcr") {
        if (!is_decimal(v) || std::stoul(v) > 23) bad("expected a PCR number 0 to 23");
    } else if (t.key == "appraise_type") {
        if (v != "imasig" && v != "imasig|modsig" && v != "sigv3") bad("expected imasig, imasig|modsig or sigv3");
    } else if (t.key == "appraise_flag") {
        if (v != "check_blacklist") bad("expected check_blacklist");
    } else if (t.key == "digest_type") {
        if (v != "verity") bad("expected verity");
    } else if (t.key == "template") {
        if (!templates.count(v)) bad("not a template the kernel defines");
    } else if (t.key == "appraise_algos") {
        size_t s = 0;
        while (s <= v.size()) {
            size_t e = v.find(',', s);
            std::string a = v.substr(s, e == std::string::npos ? std::string::npos : e - s);
            try {
                parse_hash_algo(a);
            } catch (const Error&) {
                bad("'" + a + "' is not a hash algorithm");
                return;
            }
            if (e == std::string::npos) break;
            s = e + 1;
        }
    } else if (v.empty()) {
        bad("empty");
    }
}

void check_rule(Diags& d, const Rule& r, std::optional<KernelVersion> kernel) {
    std::set<std::string> seen;
    for (const auto& t : r.terms) {
        if (!conditions.count(t.key) && !options.count(t.key)) {
            err(d, r, &t, "unknown keyword '" + t.key + "'");
            continue;
        }
        if (!seen.insert(t.key).second) {
            err(d, r, &t, "repeated " + t.key + " (the kernel takes one per rule)");
            continue;
        }
        check_value(d, r, t);
        if (kernel) {
            std::vector<std::string> names = {t.key};
            if (t.op != '=') names.push_back(t.key + t.op);
            if (t.key == "func") names.push_back(t.value);
            if (t.key == "appraise_type") names.push_back("appraise_type=" + t.value);
            for (const auto& k : keyword_history())
                for (const auto& n : names)
                    if (n == k.name && *kernel < k.since)
                        err(d, r, &t,
                            "'" + n + "' needs kernel " + k.since.text() + " or later (target " + kernel->text() + ")");
        }
    }
    const Term* func = r.find("func");
    std::string f = func ? canonical_func(func->value).value_or("") : "";
    auto only = [&](const char* key, bool ok, const std::string& why) {
        if (const Term* t = r.find(key); t && !ok) err(d, r, t, std::string(key) + " " + why);
    };
    only("template", r.action == Action::measure, "is only valid with measure");
    only("pcr", r.action == Action::measure, "is only valid with measure");
    only("appraise_type", r.action == Action::appraise, "is only valid with appraise");
    only("appraise_flag", r.action == Action::appraise, "is only valid with appraise");
    only("appraise_algos", r.action == Action::appraise, "is only valid with appraise");
    only("keyrings", r.action == Action::measure && f == "KEY_CHECK", "is only valid with measure func=KEY_CHECK");
    only("label", r.action == Action::measure && f == "CRITICAL_DATA", "is only valid with measure func=CRITICAL_DATA");
    if ((f == "KEXEC_CMDLINE" || f == "KEY_CHECK" || f == "CRITICAL_DATA") && !is_measure(r.action))
        err(d, r, func, "func=" + f + " measures a buffer: only measure and dont_measure take it");
    if (f == "SETXATTR_CHECK") {
        if (r.action != Action::appraise) err(d, r, func, "func=SETXATTR_CHECK is only valid with appraise");
        if (!r.find("appraise_algos")) err(d, r, func, "func=SETXATTR_CHECK needs appraise_algos=");
    }
    if (const Term* at = r.find("appraise_type")) {
        if (at->value == "imasig|modsig") {
            if (func && f != "MODULE_CHECK" && f != "KEXEC_KERNEL_CHECK")
                err(d, r, at, "modsig is only valid for func=MODULE_CHECK and func=KEXEC_KERNEL_CHECK");
            else if (!func)
                warn(d, r, at, "modsig can only be satisfied for MODULE_CHECK and KEXEC_KERNEL_CHECK; give func=");
        }
        if (at->value == "sigv3" && !r.find("digest_type"))
            err(d, r, at, "appraise_type=sigv3 needs digest_type=verity before it (fs-verity signatures)");
    }
    if (const Term* af = r.find("appraise_flag"))
        warn(d, r, af, "appraise_flag=check_blacklist is deprecated: the kernel checks the blacklist anyway");
}

// Conditions of a rule as a set of "key<op>value" for the shadowing check.
std::set<std::string> condition_set(const Rule& r) {
    std::set<std::string> s;
    for (const auto& t : r.terms)
        if (conditions.count(t.key)) {
            std::string v = t.key == "func"                         ? canonical_func(t.value).value_or(t.value)
                            : t.key == "fsmagic" && is_hex(t.value) ? normalize_fsmagic(t.value)
                                                                    : t.value;
            s.insert(t.key + t.op + v);
        }
    return s;
}

void check_policy(Diags& d, const Policy& p) {
    // Shadowing: the first matching rule of a kind decides, so a later rule
    // whose conditions include all of an earlier one's never decides.
    for (size_t j = 0; j < p.rules.size(); ++j) {
        const Rule& later = p.rules[j];
        auto cj = condition_set(later);
        for (size_t i = 0; i < j; ++i) {
            const Rule& earlier = p.rules[i];
            bool same_kind = (is_measure(earlier.action) && is_measure(later.action)) ||
                             (is_appraise(earlier.action) && is_appraise(later.action));
            if (!same_kind) continue;
            auto ci = condition_set(earlier);
            if (std::includes(cj.begin(), cj.end(), ci.begin(), ci.end())) {
                warn(d, later, nullptr,
                     "never decides: line " + std::to_string(earlier.line) + " (" + earlier.text() +
                         ") matches everything this rule matches, and the first match decides");
                break;
            }
        }
    }
    // Appraisal that reaches the pseudo filesystems.
    std::set<std::string> excluded;
    bool warned_pseudo = false;
    bool appraise_exec = false, appraise_read = false;
    for (const auto& r : p.rules) {
        const Term* m = r.find("fsmagic");
        if (r.action == Action::dont_appraise && m && is_hex(m->value)) excluded.insert(normalize_fsmagic(m->value));
        if (r.action != Action::appraise) continue;
        const Term* f = r.find("func");
        std::string func = f ? canonical_func(f->value).value_or("") : "";
        if (func == "BPRM_CHECK" || func == "MMAP_CHECK") {
            appraise_exec = true;
            if (!r.find("appraise_type"))
                warn(d, r, f,
                     "appraises " + func +
                         " without appraise_type=imasig: a file with a plain hash in security.ima "
                         "runs although it carries no signature");
        }
        if (func == "FILE_CHECK" || !f) appraise_read = true;
        if (!warned_pseudo && !m && !r.find("fsuuid") && !r.find("fsname") && func != "MODULE_CHECK" &&
            func != "FIRMWARE_CHECK" && func != "KEXEC_KERNEL_CHECK" && func != "KEXEC_INITRAMFS_CHECK" &&
            func != "POLICY_CHECK" && func != "SETXATTR_CHECK") {
            std::vector<std::string> missing;
            for (const auto& [magic, name] : pseudo_fs)
                if (!excluded.count(magic)) missing.push_back(name);
            if (!missing.empty()) {
                std::string list;
                for (const auto& n : missing) list += (list.empty() ? "" : ", ") + n;
                warn(d, r, nullptr,
                     "appraises pseudo filesystems too: no dont_appraise fsmagic= rule before it for " + list);
                warned_pseudo = true;
            }
        }
    }
    if (appraise_exec && !appraise_read && !p.rules.empty())
        warn(d, p.rules.back(), nullptr,
             "executables are appraised but files read are not: a script run as 'sh script' is read by the "
             "interpreter, not executed, so BPRM_CHECK does not appraise it");
}

}  // namespace

std::vector<Diagnostic> lint_policy(const Policy& p, std::optional<KernelVersion> kernel) {
    Diags d = p.parse_errors;
    for (const auto& r : p.rules) check_rule(d, r, kernel);
    check_policy(d, p);
    std::stable_sort(d.begin(), d.end(), [](const Diagnostic& a, const Diagnostic& b) {
        if (a.severity != b.severity) return a.severity < b.severity;
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    return d;
}

}  // namespace ima::policy
