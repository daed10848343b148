// Every example of the kernel's Documentation/ABI/testing/ima_policy, kept in
// tests/fixtures/policy/kernel-doc/ with the verdict the kernel would give in
// the comment lines at the top:
//   # expect: clean                       (no diagnostic, newest kernel)
//   # expect: error LINE:COL CODE
//   # expect(5.10): warning LINE:COL CODE  (for --kernel 5.10)
// Each file parses, prints back byte for byte, and lints as expected.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "ima/policy/lint.hpp"

using namespace ima::policy;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// target ("" for the newest kernel) -> expected "error 3:9 code" lines
std::map<std::string, std::vector<std::string>> expectations(const std::string& text) {
    std::map<std::string, std::vector<std::string>> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("# expect", 0) != 0) continue;
        std::string target;
        size_t colon = line.find(": ");
        if (line[8] == '(') target = line.substr(9, line.find(')') - 9);
        std::string what = line.substr(colon + 2);
        auto& v = out[target];
        if (what != "clean") v.push_back(what);
    }
    return out;
}

std::vector<std::string> actual(const Policy& p, const std::string& target) {
    LintOptions o;
    if (!target.empty()) o.kernel = parse_kernel_version(target);
    std::vector<std::string> out;
    for (const auto& d : lint_policy(p, o))
        out.push_back(std::string(d.severity == Diagnostic::error ? "error " : "warning ") + std::to_string(d.line) +
                      ":" + std::to_string(d.column) + " " + d.code);
    return out;
}

}  // namespace

TEST(PolicyKernelDoc, EveryExampleParsesRoundTripsAndLintsAsTheKernelWould) {
    fs::path dir = fs::path(FIXTURES_DIR) / "policy" / "kernel-doc";
    size_t files = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".policy") continue;
        ++files;
        SCOPED_TRACE(entry.path().filename().string());
        std::string text = slurp(entry.path());
        Policy p = parse_policy(text);
        EXPECT_FALSE(p.rules.empty());
        EXPECT_EQ(print_policy(p), text);
        auto want = expectations(text);
        ASSERT_TRUE(want.count("")) << "no '# expect:' line for the newest kernel";
        for (auto& [target, lines] : want) {
            SCOPED_TRACE("kernel " + (target.empty() ? std::string("newest") : target));
            auto got = actual(p, target);
            std::sort(lines.begin(), lines.end());
            std::sort(got.begin(), got.end());
            EXPECT_EQ(got, lines);
        }
    }
    EXPECT_GE(files, 14u);
}
