// evmctl's exit statuses, and the one place a library error becomes one.
// evmctl's commands return 0 (done), 1 (checked and found bad, or an
// algorithm OpenSSL lacks) or a negative number, which its main turns into
// 125; a bad option is 1. The drop-in throws the libraries' own errors: a
// VerifyError is evmctl's 1, every other ima::Error its 125.
#pragma once

#include <string>

#include "ima/error.hpp"

namespace ima::evmctl {

inline constexpr int status_ok = 0;
inline constexpr int status_bad = 1;
inline constexpr int status_error = 125;

// The status evmctl gives the failure `e` stands for.
inline int evmctl_status(const ima::Error& e) {
    return dynamic_cast<const ima::VerifyError*>(&e) ? status_bad : status_error;
}

// What evmctl fails with status 125 (cannot read, cannot sign, malformed input).
inline ima::Error error(const std::string& message) {
    return ima::Error(ErrorKind::env, message);
}
// What evmctl fails with status 1 (checked and found bad).
inline ima::VerifyError bad(const std::string& message) {
    return ima::VerifyError(message);
}

// The same failure with "<path>: " in front, keeping its status.
[[noreturn]] inline void rethrow_for(const ima::Error& e, const std::string& path) {
    if (evmctl_status(e) == status_bad) throw bad(path + ": " + e.what());
    throw error(path + ": " + e.what());
}

}  // namespace ima::evmctl
