// show's text against ascii_runtime_measurements as mklog.py renders it from
// the kernel's rules, for every template and both byte orders.
#include "ima/measurement/ascii.hpp"

#include <gtest/gtest.h>

#include "attest_util.hpp"

using namespace ima::measurement;

namespace {

void expect_same_text(const std::string& log) {
    auto l = load_measurement_list(test::synthetic(log));
    std::string text;
    for (const auto& e : l->list.entries) append_ascii_line(text, e, l->list.order);
    EXPECT_EQ(text, test::read_text(test::synthetic(log + ".ascii")));
}

}  // namespace

TEST(Ascii, EveryTemplateLittleEndian) {
    expect_same_text("all.log");
}
TEST(Ascii, EveryTemplateBigEndian) {
    expect_same_text("all-be.log");
}
TEST(Ascii, OriginalImaTemplate) {
    expect_same_text("ima.log");
}
TEST(Ascii, ImaNgWithViolations) {
    expect_same_text("ng.log");
}

TEST(Ascii, EmptyFieldLeavesOnlyTheSpace) {
    auto l = load_measurement_list(test::synthetic("all.log"));
    std::string line;
    append_ascii_line(line, l->list.entries[10], l->list.order);  // ima-sig without a signature
    EXPECT_EQ(line.substr(line.size() - 19), "/usr/bin/unsigned \n");
}
