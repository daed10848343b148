// What the kernel would refuse in a policy (errors) and what it would take
// but probably not mean (warnings), each with its line and column, for the
// newest kernel or for one release (--kernel).
//
// Warnings can be silenced for one policy by a comment line anywhere in it:
//   # ima-policy: ignore=CODE[,CODE...]
// (errors cannot: the kernel refuses them whatever the comment says).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ima/policy/kernel_config.hpp"
#include "ima/policy/policy.hpp"

namespace ima::policy {

struct Diagnostic {
    enum Severity { error, warning } severity = error;
    unsigned line = 0, column = 0;
    std::string code;     // "unknown-keyword", "shadowed", ... (docs/ima-policy.md lists them)
    std::string message;  // one line, says what the kernel does and what to do
};

struct LintOptions {
    // The target release: also report what it does not know yet and judge
    // by its rules. nullopt: the newest kernel, plus warnings for what
    // kernels before 6.14 refuse (trailing comments).
    std::optional<KernelVersion> kernel;
    // The target's build configuration: also report what that kernel was
    // not built with (modsig appraisal, KEY_CHECK, a hash algorithm absent
    // or built as a module, EVM for evm-sig, fs-verity, SELinux labels).
    const KernelConfig* config = nullptr;
};

// Errors first, then warnings, each sorted by line and column.
std::vector<Diagnostic> lint_policy(const Policy& p, const LintOptions& o = {});

inline size_t count_errors(const std::vector<Diagnostic>& ds) {
    size_t n = 0;
    for (const auto& d : ds) n += d.severity == Diagnostic::error;
    return n;
}

}  // namespace ima::policy
