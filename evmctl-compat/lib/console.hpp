// Where a command's output goes: stdout lines (the part scripts parse, kept
// byte for byte as evmctl prints them) and stderr lines. Safe to use from
// the tree walker's worker threads.
#pragma once

#include <mutex>
#include <ostream>
#include <string>

namespace ima::evmctl {

class Console {
public:
    Console(std::ostream& out, std::ostream& err, std::string tool, int verbose = 0)
        : out_(out), err_(err), tool_(std::move(tool)), verbose_(verbose) {}

    // Text as is on stdout (callers end lines with '\n').
    void print(const std::string& text);
    // "<tool>: error: <message>" on stderr.
    void error(const std::string& message);
    // "<tool>: warning: <message>" on stderr.
    void warning(const std::string& message);
    // An informational line on stderr, as evmctl prints it ("x: verification is OK").
    void info(const std::string& line);
    // Only with -v.
    void debug(const std::string& line);

    const std::string& tool() const { return tool_; }
    int verbose() const { return verbose_; }

private:
    std::mutex m_;
    std::ostream& out_;
    std::ostream& err_;
    std::string tool_;
    int verbose_;
};

}  // namespace ima::evmctl
