// parse_policy / print_policy: tokens, columns, comments, round trips.
#include <gtest/gtest.h>

#include "ima/error.hpp"
#include "ima/policy/policy.hpp"

using namespace ima::policy;

TEST(PolicyParse, SplitsLinesAndTokensAsTheKernelDoes) {
    Policy p = parse_policy("measure func=BPRM_CHECK\tmask=MAY_EXEC\n\n  # comment\n\tappraise fowner=0\n");
    ASSERT_EQ(p.rules.size(), 2u);
    EXPECT_EQ(p.rules[0].line, 1u);
    EXPECT_EQ(p.rules[0].action, Action::measure);
    ASSERT_EQ(p.rules[0].terms.size(), 2u);
    EXPECT_EQ(p.rules[0].terms[0].key, "func");
    EXPECT_EQ(p.rules[0].terms[0].value, "BPRM_CHECK");
    EXPECT_EQ(p.rules[0].terms[0].column, 9u);
    EXPECT_EQ(p.rules[0].terms[1].column, 25u);
    EXPECT_EQ(p.rules[1].line, 4u);
    EXPECT_EQ(p.rules[1].action_column, 2u);
    EXPECT_EQ(p.rules[1].leading, (std::vector<std::string>{"", "  # comment"}));
}

TEST(PolicyParse, KeepsOperatorsAndBareWords) {
    Policy p = parse_policy("measure uid<1000 fowner>0 permit_directio fsname=a=b\n");
    const auto& t = p.rules[0].terms;
    ASSERT_EQ(t.size(), 4u);
    EXPECT_EQ(t[0].op, '<');
    EXPECT_EQ(t[0].value, "1000");
    EXPECT_EQ(t[1].op, '>');
    EXPECT_TRUE(t[2].bare);
    EXPECT_EQ(t[3].key, "fsname");
    EXPECT_EQ(t[3].value, "a=b");
}

TEST(PolicyParse, ActionNeedNotComeFirstButIsPrintedFirst) {
    Policy p = parse_policy("func=BPRM_CHECK measure\n");
    ASSERT_EQ(p.rules.size(), 1u);
    EXPECT_EQ(p.rules[0].action, Action::measure);
    EXPECT_EQ(p.rules[0].action_index, 1u);
    EXPECT_EQ(p.rules[0].terms[0].index, 0u);
    EXPECT_EQ(print_policy(p), "measure func=BPRM_CHECK\n");
}

TEST(PolicyParse, SecondActionStaysATerm) {
    Policy p = parse_policy("measure appraise func=BPRM_CHECK\n");
    EXPECT_EQ(p.rules[0].action, Action::measure);
    ASSERT_EQ(p.rules[0].terms.size(), 2u);
    EXPECT_TRUE(p.rules[0].terms[0].bare);
    EXPECT_EQ(p.rules[0].terms[0].key, "appraise");
}

TEST(PolicyParse, TrailingCommentIsKept) {
    Policy p = parse_policy("dont_measure fsmagic=0x9fa0 # proc, see magic.h\n");
    ASSERT_TRUE(p.rules[0].comment);
    EXPECT_EQ(*p.rules[0].comment, "# proc, see magic.h");
    EXPECT_EQ(p.rules[0].comment_column, 29u);
    EXPECT_EQ(p.rules[0].terms.size(), 1u);
    EXPECT_EQ(p.rules[0].text(), "dont_measure fsmagic=0x9fa0 # proc, see magic.h");
}

TEST(PolicyParse, CarriageReturnStaysInTheLastToken) {
    Policy p = parse_policy("measure func=BPRM_CHECK\r\n\r\n");
    ASSERT_EQ(p.rules.size(), 2u);  // the kernel reads "\r" alone as a rule too
    EXPECT_EQ(p.rules[0].terms[0].value, "BPRM_CHECK\r");
    EXPECT_FALSE(p.rules[1].action);
}

TEST(PolicyParse, NoFinalNewlineAndEmptyInput) {
    EXPECT_EQ(parse_policy("").rules.size(), 0u);
    EXPECT_EQ(parse_policy("\n\n# x\n").rules.size(), 0u);
    EXPECT_EQ(parse_policy("\n\n# x\n").trailing.size(), 3u);
    Policy p = parse_policy("measure func=BPRM_CHECK");
    ASSERT_EQ(p.rules.size(), 1u);
    EXPECT_EQ(p.rules[0].length, 23u);
}

TEST(PolicyParse, PrintParseIsAFixpoint) {
    const std::string canonical =
        "# head\n\nmeasure func=BPRM_CHECK mask=MAY_EXEC\n# two\n# lines\nappraise fowner=0 appraise_type=imasig\n"
        "dont_appraise fsmagic=0x9fa0 # trailing\nmeasure uid<5 permit_directio\n\n# tail\n";
    Policy p = parse_policy(canonical);
    EXPECT_EQ(print_policy(p), canonical);
    EXPECT_EQ(print_policy(parse_policy(print_policy(p))), canonical);
}

TEST(PolicyParse, PrintNormalisesBlanks) {
    Policy p = parse_policy("  measure\t\tfunc=BPRM_CHECK   mask=MAY_EXEC  \n");
    EXPECT_EQ(print_policy(p), "measure func=BPRM_CHECK mask=MAY_EXEC\n");
}

TEST(KernelVersion, ParsesReleases) {
    EXPECT_EQ(parse_kernel_version("6.1"), (KernelVersion{6, 1, 0}));
    EXPECT_EQ(parse_kernel_version("5.10.209"), (KernelVersion{5, 10, 209}));
    EXPECT_EQ(parse_kernel_version("6.1").text(), "6.1");
    EXPECT_EQ(parse_kernel_version("2.6.30").text(), "2.6.30");
    EXPECT_TRUE(KernelVersion({5, 10, 0}) < KernelVersion({6, 1, 0}));
    EXPECT_TRUE(KernelVersion({6, 1, 0}) < KernelVersion({6, 12, 0}));
    for (const char* bad : {"", "6", "six", "6.", ".1", "6.1.", "6.1-rc1", "6.1.2.3", "6..1"})
        EXPECT_THROW(parse_kernel_version(bad), ima::UsageError) << bad;
}
