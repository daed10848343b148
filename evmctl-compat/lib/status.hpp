// evmctl's exit statuses and the error that carries one. evmctl's commands
// return 0 (done), 1 (checked and found bad, or an algorithm OpenSSL lacks)
// or a negative number, which its main turns into 125; a bad option is 1.
#pragma once

#include <stdexcept>
#include <string>

#include "ima/error.hpp"

namespace ima::evmctl {

inline constexpr int status_ok = 0;
inline constexpr int status_bad = 1;
inline constexpr int status_error = 125;

// A failure with the status evmctl gives it. The message is one line,
// starting with the path when there is one.
class Failure : public std::runtime_error {
public:
    Failure(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
    int status() const { return status_; }

private:
    int status_;
};

inline Failure error(const std::string& message) {
    return Failure(status_error, message);
}
inline Failure bad(const std::string& message) {
    return Failure(status_bad, message);
}

// A core error as evmctl would have reported the same problem: everything is
// 125 except what the caller maps otherwise.
inline Failure from_core(const ima::Error& e) {
    return Failure(status_error, e.what());
}

}  // namespace ima::evmctl
