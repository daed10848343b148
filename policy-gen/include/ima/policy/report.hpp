// The words and JSON documents ima-policy prints: lint diagnostics and
// explain decisions. No I/O here: the CLI prints what these return.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ima/policy/evaluate.hpp"
#include "ima/policy/lint.hpp"

namespace ima::policy {

// "FILE:LINE:COL: error: message [code]"
std::string diagnostic_line(const std::string& file, const Diagnostic& d);

// {"file", "kernel", "errors", "warnings", "diagnostics": [{line, column, severity, code, message}]}
nlohmann::json lint_json(const std::string& file, const std::vector<Diagnostic>& ds,
                         const std::optional<KernelVersion>& kernel);

// "func=BPRM_CHECK mask=MAY_EXEC fsmagic=0xef53 (ext4) uid=0 ..."
std::string event_text(const Event& e);

// The lines of explain: measure, appraise, audit, hash, and the rules that
// could not be decided from the event.
std::string explain_text(const Event& e, const Decision& d);
nlohmann::json explain_json(const Event& e, const Decision& d);

}  // namespace ima::policy
