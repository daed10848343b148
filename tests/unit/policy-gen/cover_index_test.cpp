// The lint's index of earlier rules finds the same covering rule as trying
// every earlier rule in turn, on random policies of every condition kind.
#include <gtest/gtest.h>

#include <random>

#include "conditions.hpp"
#include "ima/policy/lint.hpp"
#include "ima/policy/policy.hpp"

using namespace ima::policy;
using namespace ima::policy::detail;

namespace {

std::string random_rule(std::mt19937& rng) {
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    static const char* funcs[] = {"BPRM_CHECK", "FILE_CHECK", "MMAP_CHECK", "MODULE_CHECK", "KEY_CHECK"};
    static const char* masks[] = {"MAY_EXEC", "MAY_READ", "^MAY_READ", "^MAY_EXEC"};
    static const char* ops[] = {"=", "<", ">"};
    std::string r = "measure";
    if (pick(2)) r += std::string(" func=") + funcs[pick(5)];
    if (!pick(3)) r += std::string(" mask=") + masks[pick(4)];
    if (!pick(3)) r += " fsmagic=0x" + std::to_string(pick(3) + 1);
    if (!pick(3)) r += std::string(" uid") + ops[pick(3)] + std::to_string(pick(4));
    if (!pick(4)) r += std::string(" fowner") + ops[pick(2) ? 0 : pick(3)] + std::to_string(pick(3));
    if (!pick(5)) r += " obj_type=t" + std::to_string(pick(2));
    if (!pick(6)) r += " fsname=ext" + std::to_string(pick(2) + 3);
    return r;
}

}  // namespace

TEST(CoverIndex, FindsTheFirstCoveringRuleAsAFullScanDoes) {
    std::mt19937 rng(20261201);
    for (int round = 0; round < 20; ++round) {
        std::string text;
        for (int i = 0; i < 300; ++i) text += random_rule(rng) + "\n";
        Policy p = parse_policy(text);
        std::vector<Conditions> conds;
        for (const auto& r : p.rules) conds.push_back(conditions_of(r));
        CoverIndex index;
        for (size_t j = 0; j < conds.size(); ++j) {
            std::optional<size_t> want;
            for (size_t i = 0; i < j && !want; ++i)
                if (covers(conds[i], conds[j])) want = i;
            PairBudget budget(kLintPairBudget);
            EXPECT_EQ(index.first_covering(conds[j], budget), want) << "rule " << j << ": " << p.rules[j].text();
            index.add(j, conds[j]);
        }
    }
}

namespace {

// "PREFIX" N "SUFFIX\n", by appends (GCC 12 at -O3 warns falsely on "lit" + to_string).
std::string rule_line(const char* prefix, long n, const char* suffix = "") {
    std::string s = prefix;
    s += std::to_string(n);
    s += suffix;
    s += '\n';
    return s;
}

std::vector<ima::policy::Diagnostic> with_code(const std::vector<ima::policy::Diagnostic>& ds,
                                               const std::string& code) {
    std::vector<ima::policy::Diagnostic> out;
    for (const auto& d : ds)
        if (d.code == code) out.push_back(d);
    return out;
}

}  // namespace

// Rules compared one by one take from a budget; the index's lookups do not.
TEST(CoverIndex, RulesComparedOneByOneTakeFromTheBudgetAndStopWhenItIsSpent) {
    CoverIndex index;
    PairBudget budget(1000);
    std::string text;
    for (int i = 0; i < 2000; ++i) text += rule_line("measure uid<", i + 1);
    Policy p = parse_policy(text);
    for (size_t j = 0; j < p.rules.size(); ++j) {
        Conditions c = conditions_of(p.rules[j]);
        EXPECT_FALSE(index.first_covering(c, budget)) << p.rules[j].text();
        index.add(j, c);
    }
    EXPECT_TRUE(budget.spent());
    EXPECT_EQ(budget.used(), 1000u);
    // Equalities are looked up, not compared: they cost nothing and are still found.
    Policy q = parse_policy("measure uid=5\nmeasure uid=5\n");
    CoverIndex exact;
    exact.add(0, conditions_of(q.rules[0]));
    EXPECT_EQ(exact.first_covering(conditions_of(q.rules[1]), budget), std::optional<size_t>(0));
}

// 60,000 rules: equalities are checked in full (a copy at the end is found),
// rules that must be compared pairwise stop at the budget with one warning,
// so that no policy makes lint quadratic.
TEST(LintBudget, SixtyThousandRulesAreLintedInBoundedWork) {
    std::string exact;
    for (int i = 0; i < 60000; ++i) exact += rule_line("measure func=FILE_CHECK uid=", i);
    exact += "measure func=FILE_CHECK uid=17\n";
    auto ds = ima::policy::lint_policy(parse_policy(exact));
    EXPECT_TRUE(with_code(ds, "lint-budget").empty());
    auto shadowed = with_code(ds, "shadowed");
    ASSERT_EQ(shadowed.size(), 1u);
    EXPECT_EQ(shadowed[0].line, 60001u);

    std::string ranges;
    for (int i = 0; i < 60000; ++i) ranges += rule_line("measure func=FILE_CHECK uid<", i + 1);
    ds = ima::policy::lint_policy(parse_policy(ranges));
    auto spent = with_code(ds, "lint-budget");
    ASSERT_EQ(spent.size(), 1u);
    EXPECT_GT(spent[0].line, 1000u);  // 1000 rules are far inside the budget
    EXPECT_NE(spent[0].message.find("shadowed rules from this rule on are not all reported"), std::string::npos);

    // The signature-gap check compares each signature rule with every earlier
    // rule that lets code through: bounded the same way.
    std::string gaps;
    for (int i = 0; i < 30000; ++i) gaps += rule_line("dont_appraise func=BPRM_CHECK uid=", i);
    for (int i = 0; i < 30000; ++i)
        gaps += rule_line("appraise func=BPRM_CHECK uid=", 100000 + i, " appraise_type=imasig");
    ds = ima::policy::lint_policy(parse_policy(gaps));
    spent = with_code(ds, "lint-budget");
    ASSERT_EQ(spent.size(), 1u);
    EXPECT_NE(spent[0].message.find("rules that let code through unsigned"), std::string::npos);
}

// Below the budget nothing changes: a small policy's findings are all there.
TEST(LintBudget, AnOrdinaryPolicyNeverMeetsIt) {
    std::string text = "dont_appraise func=BPRM_CHECK uid<1000\nappraise func=BPRM_CHECK appraise_type=imasig\n";
    for (int i = 0; i < 500; ++i) text += rule_line("measure func=FILE_CHECK uid>", i);
    auto ds = ima::policy::lint_policy(parse_policy(text));
    EXPECT_TRUE(with_code(ds, "lint-budget").empty());
    EXPECT_EQ(with_code(ds, "signature-exempted").size(), 1u);
}
