#include "conditions.hpp"

#include <algorithm>
#include <cctype>

#include "lint_internal.hpp"

namespace ima::policy::detail {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Every id `later` admits is admitted by `earlier`.
bool id_covers(const IdCondition& e, const IdCondition& l) {
    switch (e.op) {
        case '=': return l.op == '=' && l.value == e.value;
        case '<': return (l.op == '=' && l.value < e.value) || (l.op == '<' && l.value <= e.value);
        default: return (l.op == '=' && l.value > e.value) || (l.op == '>' && l.value >= e.value);
    }
}

bool list_covers(const std::optional<std::vector<std::string>>& e, const std::optional<std::vector<std::string>>& l) {
    if (!e) return true;
    if (!l) return false;
    for (const auto& item : *l)
        if (std::find(e->begin(), e->end(), item) == e->end()) return false;
    return true;
}

}  // namespace

Conditions conditions_of(const Rule& r) {
    Conditions c;
    for (const auto& t : r.terms) {
        if (t.bare) continue;
        if (t.key == "func") {
            c.func = parse_func(t.value);
        } else if (t.key == "mask" && !t.value.empty()) {
            bool inv = t.value[0] == '^';
            unsigned bit = mask_bit(std::string_view(t.value).substr(inv ? 1 : 0));
            if (bit) (inv ? c.inmask : c.mask) = bit;
        } else if (t.key == "fsmagic") {
            uint64_t m = 0;
            if (parse_hex_ulong(t.value, m)) c.fsmagic = m;
        } else if (t.key == "fsname") {
            c.fsname = t.value;
        } else if (t.key == "fsuuid") {
            c.fsuuid = lower(t.value);
        } else if (is_id_key(t.key)) {
            uint64_t n = 0;
            if (parse_dec_ulong(t.value, n) && n < 0xffffffffu)
                c.ids[t.key] = IdCondition{t.op, static_cast<uint32_t>(n)};
        } else if (is_lsm_key(t.key)) {
            c.lsm[t.key] = t.value;
        } else if (t.key == "keyrings") {
            c.keyrings = split(t.value, '|');
        } else if (t.key == "label") {
            c.labels = split(t.value, '|');
        }
    }
    return c;
}

bool covers(const Conditions& e, const Conditions& l) {
    if (e.func && e.func != l.func) return false;
    // Without func=, a rule never matches KEY_CHECK or CRITICAL_DATA events.
    if (!e.func && l.func && (*l.func == Func::key_check || *l.func == Func::critical_data)) return false;
    if (e.mask && l.mask != e.mask) return false;
    if (e.inmask && l.mask != e.inmask && l.inmask != e.inmask) return false;
    if (e.fsmagic && l.fsmagic != e.fsmagic) return false;
    if (e.fsname && l.fsname != e.fsname) return false;
    if (e.fsuuid && l.fsuuid != e.fsuuid) return false;
    for (const auto& [key, cond] : e.ids) {
        auto it = l.ids.find(key);
        if (it == l.ids.end() || !id_covers(cond, it->second)) return false;
    }
    for (const auto& [key, value] : e.lsm) {
        auto it = l.lsm.find(key);
        if (it == l.lsm.end() || it->second != value) return false;
    }
    return list_covers(e.keyrings, l.keyrings) && list_covers(e.labels, l.labels);
}

namespace {
struct Range {
    uint64_t lo, hi;
};
Range range_of(const IdCondition& c) {
    if (c.op == '=') return {c.value, c.value};
    if (c.op == '<') return {0, c.value == 0 ? 0 : uint64_t(c.value) - 1};
    return {uint64_t(c.value) + 1, 0xffffffffu};
}
bool empty_range(const IdCondition& c) {
    return c.op == '<' && c.value == 0;
}
template <class T>
bool differ(const std::optional<T>& a, const std::optional<T>& b) {
    return a && b && *a != *b;
}
}  // namespace

bool may_overlap(const Conditions& a, const Conditions& b) {
    if (differ(a.func, b.func) || differ(a.mask, b.mask) || differ(a.fsmagic, b.fsmagic) ||
        differ(a.fsname, b.fsname) || differ(a.fsuuid, b.fsuuid))
        return false;
    if (a.mask && b.inmask && !(*a.mask & *b.inmask)) return false;
    if (b.mask && a.inmask && !(*b.mask & *a.inmask)) return false;
    for (const auto& [key, ca] : a.ids) {
        auto it = b.ids.find(key);
        if (it == b.ids.end()) continue;
        if (empty_range(ca) || empty_range(it->second)) return false;
        Range x = range_of(ca), y = range_of(it->second);
        if (x.hi < y.lo || y.hi < x.lo) return false;
    }
    for (const auto& [key, va] : a.lsm) {
        auto it = b.lsm.find(key);
        if (it != b.lsm.end() && it->second != va) return false;
    }
    return true;
}

namespace {

// The equality conditions a rule has, one bit a name, and their values. A
// condition that is not an equality (uid<, mask=^ ...) is left out; `exact`
// says whether anything was.
struct Equalities {
    uint32_t shape = 0;
    std::vector<std::string> values;  // by bit, for the bits set
    bool exact = true;
};

constexpr const char* kIdKeys[] = {"uid", "euid", "gid", "egid", "fowner", "fgroup"};
constexpr const char* kLsmKeys[] = {"subj_user", "subj_role", "subj_type", "obj_user", "obj_role", "obj_type"};

Equalities equalities(const Conditions& c) {
    Equalities q;
    auto put = [&](unsigned bit, std::string v) {
        q.shape |= 1u << bit;
        q.values.push_back(std::move(v));
    };
    if (c.func) put(0, std::to_string(static_cast<int>(*c.func)));
    if (c.mask) put(1, std::to_string(*c.mask));
    if (c.fsmagic) put(2, std::to_string(*c.fsmagic));
    if (c.fsname) put(3, *c.fsname);
    if (c.fsuuid) put(4, *c.fsuuid);
    for (unsigned i = 0; i < 6; ++i)
        if (auto it = c.ids.find(kIdKeys[i]); it != c.ids.end()) {
            if (it->second.op == '=')
                put(5 + i, std::to_string(it->second.value));
            else
                q.exact = false;
        }
    for (unsigned i = 0; i < 6; ++i)
        if (auto it = c.lsm.find(kLsmKeys[i]); it != c.lsm.end()) put(11 + i, it->second);
    if (c.inmask || c.keyrings || c.labels || c.ids.size() + c.lsm.size() > 12) q.exact = false;
    return q;
}

// The values of `q` for the names of `shape` (a subset of q.shape), joined.
std::string key_for(const Equalities& q, uint32_t shape) {
    std::string key;
    size_t k = 0;
    for (unsigned bit = 0; bit < 32; ++bit) {
        if (!(q.shape & (1u << bit))) continue;
        if (shape & (1u << bit)) key += q.values[k] + '\x1f';
        ++k;
    }
    return key;
}

}  // namespace

void CoverIndex::add(size_t index, const Conditions& c) {
    Equalities q = equalities(c);
    if (!q.exact) {
        others_.emplace_back(index, c);
        return;
    }
    exact_[q.shape].emplace(key_for(q, q.shape), index);  // keeps the first
}

std::optional<size_t> CoverIndex::first_covering(const Conditions& l, PairBudget& budget) const {
    std::optional<size_t> best;
    // An exact earlier rule covers `l` when `l` has each of its conditions as
    // an equality with the same value (covers() above, equalities only).
    Equalities q = equalities(l);
    const bool needs_func = l.func && (*l.func == Func::key_check || *l.func == Func::critical_data);
    for (const auto& [shape, by_value] : exact_) {
        if ((shape & q.shape) != shape) continue;
        if (needs_func && !(shape & 1u)) continue;
        auto it = by_value.find(key_for(q, shape));
        if (it != by_value.end() && (!best || it->second < *best)) best = it->second;
    }
    for (const auto& [index, c] : others_) {
        if (best && index > *best) break;
        if (!budget.take()) break;
        if (covers(c, l)) {
            best = index;
            break;
        }
    }
    return best;
}

Kind kind_of(Action a) {
    switch (a) {
        case Action::measure:
        case Action::dont_measure: return Kind::measure;
        case Action::appraise:
        case Action::dont_appraise: return Kind::appraise;
        case Action::audit: return Kind::audit;
        default: return Kind::hash;
    }
}

}  // namespace ima::policy::detail
