#include "ima/policy/evaluate.hpp"

#include <algorithm>

#include "ima/error.hpp"
#include "ima/policy/lint.hpp"

namespace ima::policy {

namespace {

unsigned mask_bit(std::string m) {
    std::transform(m.begin(), m.end(), m.begin(), ::toupper);
    if (m.rfind("MAY_", 0) != 0) m = "MAY_" + m;
    if (m == "MAY_EXEC") return 1;
    if (m == "MAY_WRITE") return 2;
    if (m == "MAY_READ") return 4;
    if (m == "MAY_APPEND") return 8;
    return 0;
}

bool compare(const Term& t, std::optional<uint32_t> v) {
    if (!v) return false;
    unsigned long want = std::stoul(t.value);
    return t.op == '=' ? *v == want : t.op == '<' ? *v < want : *v > want;
}

bool matches(const Rule& r, const Event& e) {
    for (const auto& t : r.terms) {
        if (t.key == "func") {
            if (canonical_func(t.value) != canonical_func(e.func)) return false;
        } else if (t.key == "mask") {
            bool inverted = t.value[0] == '^';
            unsigned bit = mask_bit(inverted ? t.value.substr(1) : t.value);
            // IMA_MASK: the event's mask equals; IMA_INMASK (^): it includes the bit.
            if (inverted ? !(e.mask & bit) : e.mask != bit) return false;
        } else if (t.key == "fsmagic") {
            if (!e.fsmagic || std::stoull(t.value, nullptr, 16) != *e.fsmagic) return false;
        } else if (t.key == "fsuuid") {
            std::string u = t.value;
            std::transform(u.begin(), u.end(), u.begin(), ::tolower);
            std::string have = e.fsuuid.value_or("");
            std::transform(have.begin(), have.end(), have.begin(), ::tolower);
            if (!e.fsuuid || have != u) return false;
        } else if (t.key == "uid") {
            if (!compare(t, e.uid)) return false;
        } else if (t.key == "euid") {
            if (!compare(t, e.euid)) return false;
        } else if (t.key == "gid") {
            if (!compare(t, e.gid)) return false;
        } else if (t.key == "egid") {
            if (!compare(t, e.egid)) return false;
        } else if (t.key == "fowner") {
            if (!compare(t, e.fowner)) return false;
        } else if (t.key == "fgroup") {
            if (!compare(t, e.fgroup)) return false;
        } else if (t.key.rfind("subj_", 0) == 0 || t.key.rfind("obj_", 0) == 0 || t.key == "keyrings" ||
                   t.key == "label" || t.key == "fsname") {
            return false;  // not decidable offline
        }
    }
    return true;
}

}  // namespace

Decision evaluate(const Policy& p, const Event& e) {
    Decision d;
    for (const auto& r : p.rules) {
        bool m = r.action == Action::measure || r.action == Action::dont_measure;
        bool a = r.action == Action::appraise || r.action == Action::dont_appraise;
        if ((m && d.measure) || (a && d.appraise) || (!m && !a)) continue;
        if (!matches(r, e)) continue;
        if (m) d.measure = &r;
        if (a) d.appraise = &r;
    }
    return d;
}

unsigned parse_mask(const std::string& s) {
    unsigned out = 0;
    size_t start = 0;
    while (start <= s.size()) {
        size_t end = s.find_first_of("|,", start);
        std::string part = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
        unsigned b = mask_bit(part);
        if (!b) throw UsageError("mask '" + part + "': expected MAY_EXEC, MAY_WRITE, MAY_READ or MAY_APPEND");
        out |= b;
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return out;
}

}  // namespace ima::policy
