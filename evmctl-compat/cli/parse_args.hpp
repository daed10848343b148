// evmctl's command line, parsed as evmctl 1.4 parses it: getopt_long over
// the whole argv (options may come before or after the command), short and
// long forms, unique prefixes of long options ("--hash" = "--hashalgo"),
// optional arguments only in the attached form ("-pSECRET", "--uuid=...").
// Private to the imaevm-evmctl program: argv is the command line's business,
// not the library's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "options.hpp"

namespace ima::evmctl {

// What parsing decided. `exit_now` set means: print `out` on stdout,
// `err` on stderr and exit with that status without running a command
// (help, version, a bad option).
struct ParseResult {
    Options options;
    std::optional<int> exit_now;
    std::string out;
    std::string err;
};

// Parses argv as evmctl does. `tool` names the program in messages and in
// --version. Uses getopt_long, so it is not reentrant: call it from one
// thread, once at a time.
ParseResult parse_args(int argc, char** argv, const std::string& tool);
ParseResult parse_args(const std::vector<std::string>& argv, const std::string& tool);

// evmctl's --keyid: strtoul base 16 over the whole text, not 0, at most 32 bits.
std::optional<uint32_t> parse_keyid_text(const std::string& text);

}  // namespace ima::evmctl
