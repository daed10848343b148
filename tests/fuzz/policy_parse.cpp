// Fuzzes the IMA policy parser, linter and evaluator: any text parses without
// throwing, lints without throwing, prints back to text that parses to the
// same rules, and evaluates on a sample event.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ima/policy/evaluate.hpp"
#include "ima/policy/lint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    ima::policy::Policy p = ima::policy::parse_policy(text);
    auto diags = ima::policy::lint_policy(p, ima::policy::KernelVersion{5, 10});
    std::string printed = ima::policy::print_policy(p);
    ima::policy::Policy again = ima::policy::parse_policy(printed);
    if (again.rules.size() != p.rules.size()) abort();
    for (size_t i = 0; i < p.rules.size(); ++i)
        if (again.rules[i].text() != p.rules[i].text()) abort();
    // Evaluation only runs on policies the kernel would take (values checked).
    bool has_error = false;
    for (const auto& d : diags) has_error |= d.severity == ima::policy::Diagnostic::error;
    if (!has_error) {
        ima::policy::Event e;
        e.func = "BPRM_CHECK";
        e.mask = 1;
        e.fsmagic = 0xef53;
        e.uid = e.euid = e.fowner = 0;
        (void)ima::policy::evaluate(p, e);
    }
    return 0;
}
