// evmctl's names for hash algorithms (-a): its own table, which is not
// OpenSSL's and not the kernel's. "rmd160" and "ripemd160" are both
// RIPE-MD 160; "SHA256" (upper case) and the SHA-3 family are unknown.
#pragma once

#include <optional>
#include <string>

#include "ima/hash_algo.hpp"

namespace ima::evmctl {

// The kernel algorithm (wire number) evmctl 1.4 maps `name` to; nullopt
// when evmctl would say "Unknown hash algo".
std::optional<HashAlgo> algo_from_name(const std::string& name);

// True when OpenSSL can compute `name` here, as evmctl asks it (by that very
// name). False for names evmctl knows but OpenSSL lacks (wp256, streebog256,
// md4 without the legacy provider, ...): evmctl then fails with status 1.
bool openssl_has_digest(const std::string& name);

// The kernel's name ("sha256") for messages.
std::string algo_display(HashAlgo algo);

}  // namespace ima::evmctl
