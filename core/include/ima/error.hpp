// One error type with context, thrown where the cause is known and caught once
// in main, which prints `tool: error: <what>: <why>` and maps the kind to the
// exit status of SPEC.md.
#pragma once

#include <stdexcept>
#include <string>

namespace ima {

// The exit statuses every tool uses.
enum class ErrorKind : int {
    bad = 1,    // checked and found bad: malformed value, failed verification
    usage = 2,  // the command line is wrong: unknown algorithm, conflicting options
    env = 3,    // environment or I/O: cannot read, no permission, no key type, no TPM
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const { return kind_; }
    int exit_status() const { return static_cast<int>(kind_); }

private:
    ErrorKind kind_;
};

// A value that does not follow its format (xattr, log, policy, key file).
struct FormatError : Error {
    explicit FormatError(const std::string& m) : Error(ErrorKind::bad, m) {}
};
// Input that ends before a field it needs: a FormatError a reader of a
// growing stream may take as "read more" rather than "malformed".
struct TruncatedError : FormatError {
    explicit TruncatedError(const std::string& m) : FormatError(m) {}
};
// A check that ran and failed (signature mismatch, wrong key).
struct VerifyError : Error {
    explicit VerifyError(const std::string& m) : Error(ErrorKind::bad, m) {}
};
struct UsageError : Error {
    explicit UsageError(const std::string& m) : Error(ErrorKind::usage, m) {}
};
// A failed system call: the message is "<context>: <strerror(errno)>".
struct IoError : Error {
    IoError(const std::string& context, int err);
    int err;
};
// A failed OpenSSL call: the message carries the drained OpenSSL error queue.
struct CryptoError : Error {
    CryptoError(const std::string& context, const std::string& call, ErrorKind kind = ErrorKind::bad);
};

// Drains the OpenSSL error queue into one line ("" when empty).
std::string drain_openssl_errors();

// Prefixes an error message with a path: "<path>: <message>", keeping the kind.
Error with_context(const Error& e, const std::string& path);

}  // namespace ima
