// ima_match_policy() and ima_match_rules() (security/integrity/ima/
// ima_policy.c) on values: no inode, no credentials, so what the event does
// not say is an "unknown" the caller decides how to treat.
#include "ima/policy/evaluate.hpp"

#include <algorithm>
#include <cctype>

#include "conditions.hpp"
#include "ima/error.hpp"

namespace ima::policy {

namespace {

using detail::Conditions;

enum class Match { yes, no, unknown };

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

struct Matcher {
    const Event& e;
    unsigned mask;
    std::string missing;  // what made the last match unknown

    Match unknown(const std::string& what) {
        missing = what;
        return Match::unknown;
    }

    Match id(const Conditions& c, const char* key, std::optional<uint32_t> value) {
        auto it = c.ids.find(key);
        if (it == c.ids.end()) return Match::yes;
        if (!value) return unknown(std::string(key));
        return it->second.holds(*value) ? Match::yes : Match::no;
    }

    Match list(const std::optional<std::vector<std::string>>& items, const std::optional<std::string>& value,
               const char* what) {
        if (!items) return Match::yes;
        if (!value) return unknown(what);
        return std::find(items->begin(), items->end(), *value) != items->end() ? Match::yes : Match::no;
    }

    Match operator()(const Conditions& c) {
        if (c.func && *c.func != e.func) return Match::no;
        // KEY_CHECK and CRITICAL_DATA match only rules of that func, on uid and the data.
        if (e.func == Func::key_check || e.func == Func::critical_data) {
            if (!c.func) return Match::no;
            Match m = id(c, "uid", e.uid);
            if (m != Match::yes) return m;
            return e.func == Func::key_check ? list(c.keyrings, e.keyring, "keyring")
                                             : list(c.labels, e.label, "label");
        }
        if (c.mask && *c.mask != mask) return Match::no;
        if (c.inmask && !(*c.inmask & mask)) return Match::no;
        Match result = Match::yes;
        auto step = [&](Match m) {
            if (m == Match::no)
                result = Match::no;
            else if (m == Match::unknown && result == Match::yes)
                result = Match::unknown;
        };
        if (c.fsmagic) step(!e.fsmagic ? unknown("fsmagic") : *c.fsmagic == *e.fsmagic ? Match::yes : Match::no);
        if (c.fsname) step(!e.fsname ? unknown("fsname") : *c.fsname == *e.fsname ? Match::yes : Match::no);
        if (c.fsuuid) step(!e.fsuuid ? unknown("fsuuid") : *c.fsuuid == lower(*e.fsuuid) ? Match::yes : Match::no);
        step(id(c, "uid", e.uid));
        // euid=: the kernel also tries uid and suid when the task may set ids.
        step(id(c, "euid", e.euid ? e.euid : e.uid));
        step(id(c, "gid", e.gid));
        step(id(c, "egid", e.egid ? e.egid : e.gid));
        step(id(c, "fowner", e.fowner));
        step(id(c, "fgroup", e.fgroup));
        if (!c.lsm.empty()) step(unknown("LSM label " + c.lsm.begin()->first + "=" + c.lsm.begin()->second));
        return result;
    }
};

const Rule*& slot(Decision& d, Action a) {
    switch (detail::kind_of(a)) {
        case detail::Kind::measure: return d.measure;
        case detail::Kind::appraise: return d.appraise;
        case detail::Kind::audit: return d.audit;
        default: return d.hash;
    }
}

bool is_dont(Action a) {
    return a == Action::dont_measure || a == Action::dont_appraise || a == Action::dont_hash;
}

}  // namespace

unsigned default_mask(Func f) {
    switch (f) {
        case Func::bprm_check:
        case Func::creds_check:
        case Func::mmap_check:
        case Func::mmap_check_reqprot: return 1;
        case Func::kexec_cmdline:
        case Func::key_check:
        case Func::critical_data:
        case Func::setxattr_check: return 0;
        default: return 4;
    }
}

Decision evaluate(const Policy& p, const Event& e, Unknowns u) {
    Decision d;
    Matcher match{e, e.mask.value_or(default_mask(e.func)), ""};
    for (const auto& r : p.rules) {
        if (!r.action) continue;
        const Rule*& decided = slot(d, *r.action);
        if (decided) continue;
        match.missing.clear();
        Match m = match(detail::conditions_of(r));
        if (m == Match::unknown) {
            d.undecided.push_back({&r, match.missing});
            if (u == Unknowns::no_match || is_dont(*r.action)) continue;
        } else if (m == Match::no) {
            continue;
        }
        decided = &r;
    }
    return d;
}

std::string Decision::appraise_type() const {
    if (!appraised()) return "";
    const Term* t = appraise->find("appraise_type");
    return t ? t->value : "";
}

unsigned Decision::pcr() const {
    if (measure)
        if (const Term* t = measure->find("pcr")) {
            unsigned n = 0;
            for (char c : t->value)
                if (c >= '0' && c <= '9') n = n * 10 + static_cast<unsigned>(c - '0');
            return n;
        }
    return 10;
}

std::string Decision::template_name() const {
    if (!measure) return "";
    const Term* t = measure->find("template");
    return t ? t->value : "";
}

unsigned parse_mask(const std::string& s) {
    unsigned out = 0;
    size_t start = 0;
    while (start <= s.size()) {
        size_t end = s.find_first_of("|,", start);
        std::string part = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
        std::string up = part;
        std::transform(up.begin(), up.end(), up.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        if (up.rfind("MAY_", 0) != 0) up = "MAY_" + up;
        unsigned b = mask_bit(up);
        if (!b && !part.empty() && part.find_first_not_of("0123456789") == std::string::npos && part.size() < 3)
            b = static_cast<unsigned>(std::stoul(part)) & 15;
        if (!b)
            throw UsageError("mask '" + part +
                             "': expected MAY_EXEC, MAY_WRITE, MAY_READ or MAY_APPEND (| to combine)");
        out |= b;
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return out;
}

}  // namespace ima::policy
