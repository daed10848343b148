// A kernel's build configuration (the target's /boot/config-*, or
// /proc/config.gz): what lint needs to know of what that kernel was built
// with: modsig appraisal, the hash algorithms (built in, modules, absent),
// KEY_CHECK, EVM, fs-verity, SELinux.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "ima/bytes.hpp"

namespace ima::policy {

struct KernelConfig {
    std::map<std::string, std::string, std::less<>> values;  // "CONFIG_X" -> "y", "m", "\"text\"", "42"
    std::string source;                                      // the file it came from, for messages
    // 'y' (built in), 'm' (a module) or 'n' (not set, or absent).
    char tristate(std::string_view option) const;
};

// Parses kconfig's output: "CONFIG_X=value" lines, "# CONFIG_X is not set",
// other comments and blank lines. Throws FormatError("line N: ...") for any
// other line, a NUL byte, or an option given twice.
KernelConfig parse_kernel_config(ByteView text, const std::string& source);

// The CONFIG_CRYPTO_* option that provides a kernel hash algorithm (by its
// name in policies: "sha512"), or "" when none is known.
std::string_view hash_config_option(std::string_view kernel_hash_name);

}  // namespace ima::policy
