// The per-file work of ima_sign and ima_hash on an open regular file, shared
// by the ima_* commands and by `sign`/`hmac` with --imasig/--imahash.
#pragma once

#include <sys/stat.h>

#include <string>

#include "console.hpp"
#include "ima/hash_algo.hpp"
#include "keys.hpp"
#include "options.hpp"

namespace ima::evmctl {

// Throws VerifyError (status 1) when OpenSSL cannot compute -a's algorithm by that name
// (evmctl: "EVP_get_digestbyname(x) failed", status 1).
void require_openssl_digest(const std::string& name);
// Throws Error (status 125) when -a names no algorithm evmctl knows.
HashAlgo require_known_algo(const std::string& name);

// The security.ima value `evmctl ima_hash` writes: 0x01 + digest for md4,
// md5 and sha1 (the numbers before sha1's), 0x04 + algo + digest otherwise.
Bytes ima_digest_value(HashAlgo algo, ByteView digest);

// ima_sign on an open regular file: hash, sign, append the hex value and a
// newline to `out`, write FILE.sig (-f), set the xattr (unless -n), in that
// order. Throws ima::Error (evmctl_status says which status).
void ima_sign_fd(const Options& opts, Console& con, SigningKey& key, int fd, const struct stat& st,
                 const std::string& path, std::string& out);

// ima_hash on an open regular file: the same steps with the digest value.
void ima_hash_fd(const Options& opts, int fd, const struct stat& st, const std::string& path, std::string& out);

}  // namespace ima::evmctl
