// Fuzzes the IMA policy parser, linter and evaluator: any text parses
// without throwing, lints without throwing for any target kernel, prints back
// to text that parses to the same rules, and evaluates on sample events, in
// both treatments of unknown conditions, and decides offline signing.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ima/policy/evaluate.hpp"
#include "ima/policy/lint.hpp"
#include "ima/policy/offline_select.hpp"

using namespace ima::policy;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    Policy p = parse_policy(text);
    for (auto k :
         {std::optional<KernelVersion>{}, std::optional<KernelVersion>{KernelVersion{5, 10}},
          std::optional<KernelVersion>{KernelVersion{6, 1}}, std::optional<KernelVersion>{KernelVersion{2, 6}}}) {
        auto diags = lint_policy(p, LintOptions{k});
        for (const auto& d : diags)
            if (d.line == 0 || d.column == 0 || d.code.empty() || d.message.empty()) abort();
    }
    std::string printed = print_policy(p);
    Policy again = parse_policy(printed);
    if (again.rules.size() != p.rules.size()) abort();
    for (size_t i = 0; i < p.rules.size(); ++i)
        if (again.rules[i].text() != p.rules[i].text()) abort();
    if (print_policy(again) != printed) abort();
    for (Func f : {Func::bprm_check, Func::file_check, Func::key_check, Func::module_check}) {
        Event e;
        e.func = f;
        e.fsmagic = 0xef53;
        e.uid = e.fowner = 0;
        e.keyring = ".ima";
        Decision d = evaluate(p, e);
        if (d.measure && !d.measure->action) abort();
        (void)evaluate(p, e, Unknowns::conservative);
    }
    OfflineFile f;
    f.rel = "usr/lib/modules/6.1/x.ko";
    f.mode = 0100755;
    f.head = ima::ByteView(data, size < 4 ? size : 4);
    (void)would_appraise(p, f);
    return 0;
}
