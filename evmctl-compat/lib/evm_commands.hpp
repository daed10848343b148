// The security.evm commands of evmctl: sign (immutable or --portable
// signatures, with --imasig/--imahash first), verify, and hmac (with the
// key in /etc/keys/evm-key-plain, as evmctl reads it).
#pragma once

#include <string>

#include "console.hpp"
#include "options.hpp"

namespace ima::evmctl {

// evmctl reads the EVM HMAC key from this fixed path.
inline constexpr const char* hmac_key_path = "/etc/keys/evm-key-plain";

int cmd_sign(const Options& opts, Console& con);
int cmd_verify(const Options& opts, Console& con);
// `key_path` is hmac_key_path except in tests.
int cmd_hmac(const Options& opts, Console& con, const std::string& key_path = hmac_key_path);

}  // namespace ima::evmctl
