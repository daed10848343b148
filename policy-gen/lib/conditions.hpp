// The conditions of a rule as values, the way ima_match_rules() compares
// them: shared by the evaluator (does a rule match an event?) and lint (does
// an earlier rule match everything a later one matches?).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ima/policy/grammar.hpp"

namespace ima::policy::detail {

struct IdCondition {
    char op = '=';  // '=', '<', '>'
    uint32_t value = 0;
    bool holds(uint32_t v) const { return op == '=' ? v == value : op == '<' ? v < value : v > value; }
};

struct Conditions {
    std::optional<Func> func;
    std::optional<unsigned> mask;    // IMA_MASK: the event's mask equals it
    std::optional<unsigned> inmask;  // IMA_INMASK (mask=^): the event's mask includes it
    std::optional<uint64_t> fsmagic;
    std::optional<std::string> fsname;
    std::optional<std::string> fsuuid;       // lower case
    std::map<std::string, IdCondition> ids;  // uid euid gid egid fowner fgroup
    std::map<std::string, std::string> lsm;  // subj_* obj_*
    std::optional<std::vector<std::string>> keyrings, labels;
};

// For a rule without errors (values that do not parse are left out).
Conditions conditions_of(const Rule& r);

// True when every event `later` matches is also matched by `earlier`.
bool covers(const Conditions& earlier, const Conditions& later);

// Finds, among the rules added so far, the first that covers a given rule.
// Rules whose conditions are all equalities (the common case) are looked up
// by value, one hash lookup per shape (set of condition names) seen so far;
// the others (ranges, mask=^, keyrings, labels) are compared one by one. A
// policy of many rules is linted in linear time, not quadratic.
// How many pairs of rules one lint run compares one by one, in all: the
// comparisons no index answers (rules with ranges, mask=^, keyrings, labels;
// the signature-gap check). A hostile policy of many such rules would
// otherwise take time quadratic in its length; when the budget is spent the
// checks that compare pairs stop, and lint says so.
class PairBudget {
public:
    explicit PairBudget(size_t pairs) : left_(pairs) {}
    // True while comparisons are left (and counts one).
    bool take() {
        if (left_ == 0) return false;
        --left_;
        ++used_;
        return true;
    }
    bool spent() const { return left_ == 0; }
    size_t used() const { return used_; }

private:
    size_t left_, used_ = 0;
};
inline constexpr size_t kLintPairBudget = size_t(1) << 23;

class CoverIndex {
public:
    void add(size_t index, const Conditions& c);
    // The first earlier rule that covers `later`. Rules compared one by one
    // each take one from `budget`; when it is spent the answer may miss one.
    std::optional<size_t> first_covering(const Conditions& later, PairBudget& budget) const;

private:
    std::map<uint32_t, std::map<std::string, size_t>> exact_;  // shape -> values -> first index
    std::vector<std::pair<size_t, Conditions>> others_;
};

// The rules that decide together: the first match among them wins.
enum class Kind { measure, appraise, audit, hash };
Kind kind_of(Action a);

}  // namespace ima::policy::detail

namespace ima::policy::detail {
// True when some event could match both rules' conditions (no condition of
// one contradicts one of the other). Conservative: true when unsure.
bool may_overlap(const Conditions& a, const Conditions& b);
}  // namespace ima::policy::detail
