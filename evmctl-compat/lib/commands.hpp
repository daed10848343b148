// The dispatcher: runs the command named by args[0] the way evmctl 1.4 does
// (command names match case-insensitively; "help CMD" prints its usage).
#pragma once

#include <istream>

#include "console.hpp"
#include "options.hpp"

namespace ima::evmctl {

// Returns the exit status. With no command, prints the usage (status 0).
int run_command(const Options& opts, Console& con, std::istream& in);

}  // namespace ima::evmctl
