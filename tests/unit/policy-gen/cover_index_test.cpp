// The lint's index of earlier rules finds the same covering rule as trying
// every earlier rule in turn, on random policies of every condition kind.
#include <gtest/gtest.h>

#include <random>

#include "conditions.hpp"
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
            EXPECT_EQ(index.first_covering(conds[j]), want) << "rule " << j << ": " << p.rules[j].text();
            index.add(j, conds[j]);
        }
    }
}
