// Reading a kernel's configuration from a file: plain text (/boot/config-*)
// or gzip (/proc/config.gz, which CONFIG_IKCONFIG_PROC provides).
#pragma once

#include <optional>
#include <string>

#include "ima/policy/kernel_config.hpp"

namespace ima::policy {

// The largest configuration read (they are about 250 KiB).
inline constexpr size_t kMaxKernelConfigBytes = 8u << 20;

// Throws IoError, Error(env) (not a regular file), FormatError (not gzip
// that ends, not a configuration; with the path in front).
KernelConfig load_kernel_config(const std::string& path);

// The running kernel's configuration: /proc/config.gz, else
// /boot/config-<release>; nullopt when neither exists.
std::optional<KernelConfig> running_kernel_config(const std::string& release);

}  // namespace ima::policy
