// One rule, read token by token as ima_parse_rule() reads it (order matters
// there: template= needs the action first, digest_type= must precede
// appraise_type=), then checked as ima_validate_rule() checks it: which
// options go with which action and which hook.
#include <algorithm>
#include <cstring>
#include <set>

#include "lint_internal.hpp"

namespace ima::policy::detail {

namespace {

// The kernel's IMA_* rule flags that ima_validate_rule() looks at.
enum Flag : unsigned {
    F_FUNC = 1u << 0,
    F_MASK = 1u << 1,
    F_FSMAGIC = 1u << 2,
    F_UID = 1u << 3,
    F_FOWNER = 1u << 4,
    F_FSUUID = 1u << 5,
    F_INMASK = 1u << 6,
    F_EUID = 1u << 7,
    F_PCR = 1u << 8,
    F_FSNAME = 1u << 9,
    F_KEYRINGS = 1u << 10,
    F_LABEL = 1u << 11,
    F_ALGOS = 1u << 12,
    F_GID = 1u << 13,
    F_EGID = 1u << 14,
    F_FGROUP = 1u << 15,
    F_DIGSIG = 1u << 16,
    F_DIRECTIO = 1u << 17,
    F_MODSIG = 1u << 18,
    F_BLACKLIST = 1u << 19,
    F_VERITY = 1u << 20,
    F_SIGV3 = 1u << 21,
};

constexpr unsigned file_conditions = F_FUNC | F_MASK | F_FSMAGIC | F_UID | F_FOWNER | F_FSUUID | F_INMASK | F_EUID |
                                     F_PCR | F_FSNAME | F_GID | F_EGID | F_FGROUP;

// ima_validate_rule(): the flags each hook takes.
unsigned allowed_flags(Func f) {
    switch (f) {
        case Func::none:
        case Func::file_check:
        case Func::mmap_check:
        case Func::mmap_check_reqprot:
        case Func::bprm_check:
        case Func::creds_check:
        case Func::firmware_check:
        case Func::policy_check:
            return file_conditions | F_DIGSIG | F_DIRECTIO | F_ALGOS | F_BLACKLIST | F_VERITY | F_SIGV3;
        case Func::module_check:
        case Func::kexec_kernel_check:
        case Func::kexec_initramfs_check:
            return file_conditions | F_DIGSIG | F_DIRECTIO | F_MODSIG | F_BLACKLIST | F_ALGOS;
        case Func::kexec_cmdline:
            return F_FUNC | F_FSMAGIC | F_UID | F_FOWNER | F_FSUUID | F_EUID | F_PCR | F_FSNAME | F_GID | F_EGID |
                   F_FGROUP;
        case Func::key_check: return F_FUNC | F_UID | F_GID | F_PCR | F_KEYRINGS;
        case Func::critical_data: return F_FUNC | F_UID | F_GID | F_PCR | F_LABEL;
        case Func::setxattr_check: return F_FUNC | F_ALGOS;
    }
    return 0;
}

const std::set<std::string> condition_keys = {
    "func",   "mask",     "fsmagic",  "fsname",   "fsuuid",    "uid",       "euid",      "gid",      "egid", "fowner",
    "fgroup", "obj_user", "obj_role", "obj_type", "subj_user", "subj_role", "subj_type", "keyrings", "label"};
const std::set<std::string> option_keys = {"digest_type", "appraise_type", "appraise_flag",  "appraise_algos",
                                           "pcr",         "template",      "permit_directio"};

std::string func_list() {
    std::string s;
    for (Func f : {Func::bprm_check, Func::mmap_check, Func::mmap_check_reqprot, Func::creds_check, Func::file_check,
                   Func::module_check, Func::firmware_check, Func::kexec_kernel_check, Func::kexec_initramfs_check,
                   Func::policy_check, Func::kexec_cmdline, Func::key_check, Func::critical_data, Func::setxattr_check})
        s += (s.empty() ? "" : ", ") + std::string(func_name(f));
    return s;
}

size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string suggestion(const std::string& key) {
    std::string best;
    size_t best_d = 3;
    auto consider = [&](const std::string& k) {
        // The distance is at least the difference in length: a long unknown
        // word costs nothing, where the full table would cost its length
        // times every keyword's (a hostile policy is all such words).
        if ((key.size() > k.size() ? key.size() - k.size() : k.size() - key.size()) >= best_d) return;
        size_t d = edit_distance(key, k);
        if (d < best_d) best_d = d, best = k;
    };
    for (const auto& k : condition_keys) consider(k);
    for (const auto& k : option_keys) consider(k);
    for (const char* a : {"measure", "dont_measure", "appraise", "dont_appraise", "audit", "hash", "dont_hash"})
        consider(a);
    return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

// The state ima_parse_rule() builds while it reads the tokens.
struct Reading {
    const Rule& r;
    const Target& t;
    const Sink& sink;
    unsigned flags = 0;
    bool fsmagic_nonzero = false, has_template = false, ok = true;
    std::set<std::string> lsm_seen;

    Reading(const Rule& rule, const Target& target, const Sink& out) : r(rule), t(target), sink(out) {}

    void error(const Term& term, const std::string& code, const std::string& m) {
        sink.error(r, term.column, code, m);
        ok = false;
    }
    void warn(const Term& term, const std::string& code, const std::string& m) {
        sink.warning(r, term.column, code, m);
    }
    bool action_before(const Term& term) const { return r.action && r.action_index < term.index; }

    // One error a term, for its newest part: "gid>" rather than "gid", "func=X" rather than "func".
    bool reported_too_new = false;
    void too_new(const Term& term, const std::string& keyword) {
        auto v = keyword_since(keyword);
        if (!v || t.has(*v) || reported_too_new) return;
        std::string best = keyword;
        KernelVersion best_v = *v;
        std::vector<std::string> specific;
        if (term.op != '=') specific.push_back(term.key + term.op);
        if (term.key == "func" || term.key == "appraise_type") specific.push_back(term.key + "=" + term.value);
        if (term.key == "mask" && !term.value.empty() && term.value[0] == '^') specific.push_back("mask=^");
        for (const auto& other : specific) {
            auto w = keyword_since(other);
            if (w && !t.has(*w) && !(*w < best_v)) best = other, best_v = *w;
        }
        too_new_at(term, best, best_v);
    }
    void too_new_at(const Term& term, const std::string& keyword, KernelVersion v) {
        reported_too_new = true;
        error(term, "too-new",
              "'" + keyword + "' needs kernel " + v.text() + " or later (target " + t.version.text() + ")");
    }

    void read(const Term& term);
    void read_func(const Term& term);
    void read_mask(const Term& term);
    void read_id(const Term& term);
    void read_appraise_type(const Term& term);
    void read_appraise_flag(const Term& term);
    void read_template(const Term& term);
    void check_hash_config(const Term& term);
    void read_list(const Term& term, unsigned flag, const char* example);
    void repeated_error(const Term& term, unsigned flag) {
        if (flags & flag) error(term, "repeated", term.key + "= appears twice: the kernel takes one per rule");
    }
};

void Reading::read_func(const Term& term) {
    auto f = parse_func(term.value);
    if (!f)
        return error(term, "bad-value", "func=" + term.value + ": not a hook the kernel knows (" + func_list() + ")");
    repeated_error(term, F_FUNC);
    too_new(term, "func=" + term.value);
    flags |= F_FUNC;
    if (t.config && *f == Func::key_check && t.config->tristate("CONFIG_IMA_MEASURE_ASYMMETRIC_KEYS") != 'y')
        error(term, "config",
              "func=KEY_CHECK: this kernel (" + t.config->source +
                  ") is built without CONFIG_IMA_MEASURE_ASYMMETRIC_KEYS and refuses the rule");
}

// appraise_algos= takes the algorithms the kernel has when the policy is
// loaded (crypto_has_alg): built in, or a module that is loaded by then.
void Reading::check_hash_config(const Term& term) {
    for (const auto& a : split(term.value, ',')) {
        std::string_view opt = hash_config_option(a);
        if (opt.empty()) continue;
        char state = t.config->tristate(opt);
        if (a == "sm3" && state != 'y' && t.config->tristate("CONFIG_CRYPTO_SM3") != 'n')
            state = t.config->tristate("CONFIG_CRYPTO_SM3");  // its name before 5.19
        if (state == 'n')
            return error(term, "config",
                         "appraise_algos: " + a + " is not in this kernel (" + std::string(opt) + " is not set in " +
                             t.config->source + "): it refuses the rule");
        if (state == 'm')
            warn(term, "hash-module",
                 "appraise_algos: " + a + " is a module in this kernel (" + std::string(opt) + "=m in " +
                     t.config->source + "): the rule is refused unless the module is loaded before the policy");
    }
}

void Reading::read_mask(const Term& term) {
    bool inverted = !term.value.empty() && term.value[0] == '^';
    unsigned bit = mask_bit(std::string_view(term.value).substr(inverted ? 1 : 0));
    if (!bit)
        return error(term, "bad-value",
                     "mask=" + term.value +
                         ": expected MAY_EXEC, MAY_WRITE, MAY_READ or MAY_APPEND, '^' before it "
                         "for 'includes'");
    repeated_error(term, F_MASK | F_INMASK);
    if (inverted) too_new(term, "mask=^");
    flags |= inverted ? F_INMASK : F_MASK;
}

void Reading::read_id(const Term& term) {
    uint64_t n = 0;
    if (!parse_dec_ulong(term.value, n) || n >= 0xffffffffu)
        return error(term, "bad-value", term.key + term.op + term.value + ": expected a decimal id below 4294967295");
    if (term.op != '=') too_new(term, term.key + term.op);
    // uid= and euid= fill one field of the kernel's rule, gid= and egid= another.
    if (term.key == "uid" || term.key == "euid") {
        if (flags & (F_UID | F_EUID))
            return error(term, "repeated",
                         term.key + ": the kernel keeps uid and euid in one field: a rule takes one of them, once");
        flags |= term.key == "uid" ? F_UID : F_EUID;
    } else if (term.key == "gid" || term.key == "egid") {
        if (flags & (F_GID | F_EGID))
            return error(term, "repeated",
                         term.key + ": the kernel keeps gid and egid in one field: a rule takes one of them, once");
        flags |= term.key == "gid" ? F_GID : F_EGID;
    } else {
        unsigned f = term.key == "fowner" ? F_FOWNER : F_FGROUP;
        repeated_error(term, f);
        flags |= f;
    }
}

void Reading::read_appraise_type(const Term& term) {
    const std::string& v = term.value;
    if (flags & F_DIGSIG) warn(term, "repeated", "appraise_type= appears twice: the kernel adds up both; keep one");
    if (v == "imasig") {
        if (flags & F_VERITY)
            return error(term, "bad-combination",
                         "appraise_type=imasig does not go with digest_type=verity: use appraise_type=sigv3");
        flags |= F_DIGSIG;
    } else if (v == "imasig|modsig") {
        too_new(term, "appraise_type=" + v);
        if (flags & (F_VERITY | F_SIGV3))
            return error(term, "bad-combination", "appraise_type=imasig|modsig does not go with sigv3 or verity");
        if (!t.config)
            warn(term, "modsig-config",
                 "appraise_type=imasig|modsig needs a kernel built with CONFIG_IMA_APPRAISE_MODSIG; others (Debian's "
                 "among them) refuse the rule");
        else if (t.config->tristate("CONFIG_IMA_APPRAISE_MODSIG") != 'y')
            return error(term, "config",
                         "appraise_type=imasig|modsig: this kernel (" + t.config->source +
                             ") is built without CONFIG_IMA_APPRAISE_MODSIG and refuses the rule");
        flags |= F_DIGSIG | F_MODSIG;
    } else if (v == "sigv3") {
        too_new(term, "appraise_type=sigv3");
        if (!(flags & F_VERITY)) {
            if (t.given && !t.has(since::sigv3_regular_files))
                return error(term, "bad-combination",
                             "appraise_type=sigv3 needs digest_type=verity before it (v3 signatures of regular "
                             "files need kernel " +
                                 since::sigv3_regular_files.text() + ")");
            if (!t.given)
                warn(term, "sigv3-regular-files",
                     "appraise_type=sigv3 without digest_type=verity needs kernel " +
                         since::sigv3_regular_files.text() +
                         " (v3 signatures of regular files); earlier ones refuse "
                         "the rule");
            flags |= F_SIGV3;
        }
        flags |= F_DIGSIG;
    } else {
        error(term, "bad-value", "appraise_type=" + v + ": expected imasig, imasig|modsig or sigv3");
    }
}

void Reading::read_appraise_flag(const Term& term) {
    too_new(term, "appraise_flag");
    if (t.has(since::appraise_flag_ignored)) {
        warn(term, "deprecated",
             "appraise_flag= is ignored since kernel 6.6: every appraisal checks the blacklist keyring");
        return;
    }
    if (term.value.find("blacklist") == std::string::npos)
        return error(term, "bad-value", "appraise_flag=" + term.value + ": expected check_blacklist");
    flags |= F_BLACKLIST;
}

void Reading::read_template(const Term& term) {
    too_new(term, "template");
    if (!action_before(term))
        return error(term, "order",
                     "template= before the action: the kernel checks for 'measure' when it reads template=; put the "
                     "action first");
    if (*r.action != Action::measure) return error(term, "bad-combination", "template= is only valid with measure");
    const TemplateInfo* info = find_template(term.value);
    if (!info) {
        std::string names;
        for (const auto& ti : templates()) names += (names.empty() ? "" : ", ") + std::string(ti.name);
        return error(term, "bad-value",
                     "template=" + term.value + ": the kernel defines no such template (" + names + ")");
    }
    if (!t.has(info->since))
        return error(term, "too-new",
                     "template " + std::string(info->name) + " needs kernel " + info->since.text() +
                         " or later (target " + t.version.text() + ")");
    if (has_template) return error(term, "repeated", "template= appears twice: the kernel takes one per rule");
    has_template = true;
}

void Reading::read_list(const Term& term, unsigned flag, const char* example) {
    for (const auto& item : split(term.value, '|'))
        if (item.empty())
            return error(term, "bad-value",
                         term.key + "=" + term.value + ": an empty item in the '|' list (for example " + example + ")");
    repeated_error(term, flag);
    flags |= flag;
}

void Reading::read(const Term& term) {
    reported_too_new = false;
    const std::string& k = term.key;
    if (term.bare && parse_action(k))
        return error(term, "second-action",
                     "second action '" + k + "': a rule takes one action (" +
                         (r.action ? action_name(*r.action) : "?") + " comes first)");
    if (term.text().find('\r') != std::string::npos)
        return error(term, "carriage-return",
                     "carriage return in '" + term.text() +
                         "': the kernel reads it as part of the token; save the "
                         "policy with Unix line ends");
    if (term.text() == "\\")
        return error(term, "line-continuation",
                     "'\\': the kernel has no line continuation; write the whole rule on one line");
    bool known = condition_keys.count(k) || option_keys.count(k);
    if (!known) return error(term, "unknown-keyword", "unknown keyword '" + term.text() + "'" + suggestion(k));
    too_new(term, k);
    if (k == "permit_directio") {
        if (!term.bare) return error(term, "bad-value", "permit_directio takes no value");
        flags |= F_DIRECTIO;
        return;
    }
    if (term.bare || term.value.empty()) return error(term, "missing-value", k + " needs a value: " + k + "=...");
    if (term.op != '=' && !is_id_key(k))
        return error(term, "bad-operator", k + " takes '=', not '" + std::string(1, term.op) + "'");

    if (k == "func") return read_func(term);
    if (k == "mask") return read_mask(term);
    if (is_id_key(k)) return read_id(term);
    if (is_lsm_key(k)) {
        if (!lsm_seen.insert(k).second) error(term, "repeated", k + "= appears twice: the kernel takes one per rule");
        return;
    }
    if (k == "fsmagic") {
        uint64_t m = 0;
        if (!parse_hex_ulong(term.value, m))
            return error(term, "bad-value", "fsmagic=" + term.value + ": expected a hexadecimal number such as 0xef53");
        if (fsmagic_nonzero) return error(term, "repeated", "fsmagic= appears twice: the kernel takes one per rule");
        fsmagic_nonzero = m != 0;
        flags |= F_FSMAGIC;
    } else if (k == "fsname") {
        if (flags & F_FSNAME) warn(term, "repeated", "fsname= appears twice: the kernel keeps the last one");
        flags |= F_FSNAME;
    } else if (k == "fsuuid") {
        if (!is_uuid_text(term.value))
            return error(term, "bad-value",
                         "fsuuid=" + term.value + ": expected a UUID such as 8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6");
        repeated_error(term, F_FSUUID);
        flags |= F_FSUUID;
    } else if (k == "keyrings") {
        read_list(term, F_KEYRINGS, ".builtin_trusted_keys|.ima");
    } else if (k == "label") {
        read_list(term, F_LABEL, "selinux|kernel_info");
    } else if (k == "digest_type") {
        if (term.value != "verity") return error(term, "bad-value", "digest_type=" + term.value + ": expected verity");
        if ((flags & F_DIGSIG) && !t.has(since::sigv3_regular_files))
            return error(term, "order", "digest_type=verity after appraise_type=: the kernel wants digest_type first");
        flags |= F_VERITY;
    } else if (k == "appraise_type") {
        read_appraise_type(term);
    } else if (k == "appraise_flag") {
        read_appraise_flag(term);
    } else if (k == "appraise_algos") {
        for (const auto& a : split(term.value, ','))
            if (!is_kernel_hash_name(a))
                return error(term, "bad-value",
                             "appraise_algos: '" + a + "' is not a kernel hash algorithm name (sha256, sha384, ...)");
        if (t.config) check_hash_config(term);
        repeated_error(term, F_ALGOS);
        flags |= F_ALGOS;
    } else if (k == "pcr") {
        long long n = -1;
        if (!parse_dec_int(term.value, n) || n < 0 || n > 63)
            return error(term, "bad-value", "pcr=" + term.value + ": expected a PCR number");
        if (n > 23)
            warn(term, "pcr-range",
                 "pcr=" + term.value + ": a TPM has PCRs 0 to 23; the kernel takes the rule but cannot extend the PCR");
        if (flags & F_PCR) warn(term, "repeated", "pcr= appears twice: the kernel keeps the last one");
        flags |= F_PCR;
    } else if (k == "template") {
        read_template(term);
    }
}

const char* flag_keyword(unsigned f) {
    switch (f) {
        case F_FUNC: return "func=";
        case F_MASK: return "mask=";
        case F_INMASK: return "mask=^";
        case F_FSMAGIC: return "fsmagic=";
        case F_UID: return "uid";
        case F_EUID: return "euid";
        case F_GID: return "gid";
        case F_EGID: return "egid";
        case F_FOWNER: return "fowner";
        case F_FGROUP: return "fgroup";
        case F_FSUUID: return "fsuuid=";
        case F_FSNAME: return "fsname=";
        case F_PCR: return "pcr=";
        case F_KEYRINGS: return "keyrings=";
        case F_LABEL: return "label=";
        case F_ALGOS: return "appraise_algos=";
        case F_DIGSIG: return "appraise_type=";
        case F_MODSIG: return "appraise_type=imasig|modsig";
        case F_BLACKLIST: return "appraise_flag=";
        case F_VERITY: return "digest_type=verity";
        case F_SIGV3: return "appraise_type=sigv3";
        case F_DIRECTIO: return "permit_directio";
        default: return "?";
    }
}

// The term that set a flag, for the column of an error about it.
const Term* term_of_flag(const Rule& r, unsigned f) {
    for (const auto& t : r.terms) {
        if (t.key == "mask") {
            bool inverted = !t.value.empty() && t.value[0] == '^';
            if ((f == F_MASK && !inverted) || (f == F_INMASK && inverted)) return &t;
            continue;
        }
        std::string_view want = flag_keyword(f);
        if (t.text().rfind(want, 0) == 0 || t.key == want) return &t;
    }
    return nullptr;
}

// ima_validate_rule(), with the refusal pinned on the term that causes it.
void validate(Reading& rd, Func func, bool has_func) {
    const Rule& r = rd.r;
    unsigned flags = rd.flags;
    auto fail = [&](unsigned flag, const std::string& code, const std::string& m) {
        const Term* t = term_of_flag(r, flag);
        bool refused = rd.t.has(since::rule_validation);
        if (refused) {
            rd.sink.error(r, t ? t->column : 1, code, m);
            rd.ok = false;
        } else {
            rd.sink.warning(r, t ? t->column : 1, code,
                            m + " (kernel " + rd.t.version.text() + " takes the rule; 5.9 and later refuse it)");
        }
    };
    Action a = *r.action;
    if (a != Action::measure && (flags & F_PCR)) fail(F_PCR, "bad-combination", "pcr= is only valid with measure");
    for (unsigned f : {F_DIGSIG, F_BLACKLIST, F_ALGOS})
        if (a != Action::appraise && (flags & f))
            return fail(f, "bad-combination", std::string(flag_keyword(f)) + " is only valid with appraise");
    if (is_buffer_hook(func) && a != Action::measure && a != Action::dont_measure) {
        const Term* ft = r.find("func");
        rd.sink.error(
            r, ft ? ft->column : 1, "bad-combination",
            "func=" + std::string(func_name(func)) + " measures a buffer: only measure and dont_measure take it");
        rd.ok = false;
        return;
    }
    if (func == Func::setxattr_check) {
        if (a != Action::appraise || !(flags & F_ALGOS)) {
            const Term* ft = r.find("func");
            rd.sink.error(r, ft ? ft->column : 1, "bad-combination",
                          "func=SETXATTR_CHECK is only valid as 'appraise func=SETXATTR_CHECK appraise_algos=...'");
            rd.ok = false;
            return;
        }
    }
    if ((func == Func::key_check || func == Func::critical_data) && !rd.lsm_seen.empty()) {
        const Term* ft = r.find("func");
        rd.sink.error(r, ft ? ft->column : 1, "bad-combination",
                      "func=" + std::string(func_name(func)) + " takes no subj_/obj_ conditions");
        rd.ok = false;
    }
    unsigned extra = flags & ~allowed_flags(func);
    for (unsigned bit = 1; bit && extra; bit <<= 1) {
        if (!(extra & bit)) continue;
        extra &= ~bit;
        std::string m;
        if (bit == F_MODSIG)
            m = "appraise_type=imasig|modsig can only be satisfied for MODULE_CHECK, KEXEC_KERNEL_CHECK and "
                "KEXEC_INITRAMFS_CHECK (appended signatures)" +
                std::string(has_func ? "" : ": give func=");
        else if (bit == F_KEYRINGS)
            m = "keyrings= is only valid with func=KEY_CHECK";
        else if (bit == F_LABEL)
            m = "label= is only valid with func=CRITICAL_DATA";
        else if (bit == F_VERITY)
            m = "digest_type=verity is not valid with func=" + std::string(func_name(func)) +
                " (the kernel reads the file itself: no fs-verity digest there)";
        else
            m = std::string(flag_keyword(bit)) + " is not valid with func=" + func_name(func);
        fail(bit, bit == F_MODSIG ? "modsig-func" : "bad-combination", m);
    }
    if ((flags & F_BLACKLIST) && !(flags & F_MODSIG))
        fail(F_BLACKLIST, "bad-combination",
             "appraise_flag=check_blacklist needs appraise_type=imasig|modsig (before kernel 6.6)");
    if (a == Action::appraise && (flags & F_VERITY) && !(flags & F_DIGSIG))
        fail(F_VERITY, "bad-combination", "appraise with digest_type=verity needs appraise_type=sigv3 after it");
    if (a == Action::measure && (flags & F_VERITY)) {
        const Term* tt = r.find("template");
        const TemplateInfo* ti = tt ? find_template(tt->value) : nullptr;
        if (!ti || std::strstr(ti->fmt, "d-ngv2") == nullptr)
            rd.sink.warning(r, tt ? tt->column : 1, "verity-template",
                            "measure with digest_type=verity: without a d-ngv2 template (template=ima-ngv2 or "
                            "ima-sigv2) the list does not say the digest is an fs-verity one");
    }
}

}  // namespace

bool check_rule(const Rule& r, const Target& t, const Sink& sink) {
    Reading rd{r, t, sink};
    if (r.length > 4094) {
        sink.error(r, 1, "line-too-long",
                   "rule of " + std::to_string(r.length) +
                       " bytes: the kernel reads at most 4095 bytes a write and would cut it");
        rd.ok = false;
    }
    // A first word that is no keyword at all gets its own error ("unknown keyword 'mesure'").
    bool first_unknown = !r.terms.empty() && r.terms[0].bare && !condition_keys.count(r.terms[0].key) &&
                         !option_keys.count(r.terms[0].key);
    if (!r.action && first_unknown) {
        rd.ok = false;
    } else if (!r.action) {
        unsigned col = r.terms.empty() ? 1 : r.terms[0].column;
        sink.error(r, col, "no-action",
                   "no action: a rule starts with measure, dont_measure, appraise, dont_appraise, audit, hash or "
                   "dont_hash");
        rd.ok = false;
    } else {
        auto v = keyword_since(action_name(*r.action));
        if (v && !t.has(*v)) {
            sink.error(r, r.action_column, "too-new",
                       std::string("'") + action_name(*r.action) + "' needs kernel " + v->text() +
                           " or later (target " + t.version.text() + ")");
            rd.ok = false;
        }
    }
    for (const auto& term : r.terms) rd.read(term);
    if (r.comment) {
        if (t.given && !t.has(since::trailing_comment)) {
            sink.error(r, r.comment_column, "trailing-comment",
                       "comment after the rule: kernels before 6.14 read '#' as an unknown keyword; put the "
                       "comment on its own line");
            rd.ok = false;
        } else if (!t.given) {
            sink.warning(
                r, r.comment_column, "trailing-comment",
                "comment after the rule: kernels before 6.14 refuse the rule; put the comment on its own line");
        }
    }
    if (rd.ok && r.action) {
        RuleFacts facts = rule_facts(r);
        validate(rd, facts.func, facts.has_func);
        if (t.config && rd.ok) check_config(r, facts, *t.config, sink);
    }
    return rd.ok;
}

// Rules a kernel takes but that do nothing there, for what it was built
// without (the refusals are errors where the term is read).
void check_config(const Rule& r, const RuleFacts& facts, const KernelConfig& c, const Sink& sink) {
    auto warn = [&](const Term* term, const char* code, const std::string& m) {
        sink.warning(r, term ? term->column : r.action_column, code, m + " (" + c.source + ")");
    };
    if ((*r.action == Action::appraise || *r.action == Action::dont_appraise) &&
        c.tristate("CONFIG_IMA_APPRAISE") != 'y')
        warn(nullptr, "appraise-config",
             "this kernel is built without CONFIG_IMA_APPRAISE: it takes appraise rules and appraises nothing");
    if (facts.verity && c.tristate("CONFIG_FS_VERITY") != 'y')
        warn(r.find("digest_type"), "verity-config",
             "digest_type=verity: this kernel is built without CONFIG_FS_VERITY: no file has an fs-verity digest, "
             "so every file this rule appraises is refused");
    if (const Term* tt = r.find("template");
        tt && (tt->value == "evm-sig" || tt->value.find("evmsig") != std::string::npos) &&
        c.tristate("CONFIG_EVM") != 'y')
        warn(tt, "evm-config",
             "template=" + tt->value + ": this kernel is built without CONFIG_EVM: the EVM fields stay empty");
    if (const Term* lt = r.find("label"); lt && facts.has_func && facts.func == Func::critical_data) {
        for (const auto& label : split(lt->value, '|'))
            if (label == "selinux" && c.tristate("CONFIG_SECURITY_SELINUX") != 'y')
                warn(lt, "selinux-config",
                     "label=selinux: this kernel is built without CONFIG_SECURITY_SELINUX: no selinux critical data "
                     "is ever measured");
    }
}

RuleFacts rule_facts(const Rule& r) {
    RuleFacts f;
    if (const Term* ft = r.find("func"))
        if (auto fn = parse_func(ft->value)) f.func = *fn, f.has_func = true;
    for (const auto& t : r.terms) {
        if (t.key == "appraise_type") {
            f.digsig = true;
            f.modsig = f.modsig || t.value == "imasig|modsig";
        }
        if (t.key == "digest_type") f.verity = true;
        if (is_lsm_key(t.key)) f.lsm = true;
    }
    return f;
}

}  // namespace ima::policy::detail
