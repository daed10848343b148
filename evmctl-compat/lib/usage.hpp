// The help texts of evmctl's command line: `evmctl`, `evmctl -h`,
// `evmctl help CMD`, the "usage:" line printed when operands are missing, and
// --version.
#pragma once

#include <string>

namespace ima::evmctl {

struct CommandHelp {
    const char* name;
    const char* args;  // the usage line after the name
    const char* what;  // one line, "" for none
};

// Every command evmctl 1.4 lists, in its order.
const CommandHelp* command_help(const std::string& name);  // exact name; nullptr when unknown

std::string usage_text(const std::string& tool);     // `evmctl -h`
std::string usage_line(const std::string& command);  // "usage: ima_sign [--sigfile] ...\n"
std::string full_usage(const std::string& command);  // `evmctl help ima_sign`
std::string version_text(const std::string& tool);   // "evmctl 1.4 (imaevm-tools X.Y.Z)\n"

}  // namespace ima::evmctl
