#include "ima_ops.hpp"

#include "algo.hpp"
#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/xattr_io.hpp"
#include "run.hpp"
#include "status.hpp"
#include "target.hpp"

namespace ima::evmctl {

void require_openssl_digest(const std::string& name) {
    if (!openssl_has_digest(name)) throw bad("hash algorithm '" + name + "' is not available in OpenSSL here");
}

HashAlgo require_known_algo(const std::string& name) {
    auto algo = algo_from_name(name);
    if (!algo) throw error("unknown hash algorithm '" + name + "'");
    return *algo;
}

Bytes ima_digest_value(HashAlgo algo, ByteView digest) {
    Bytes v;
    if (static_cast<uint8_t>(algo) <= static_cast<uint8_t>(HashAlgo::sha1)) {
        v.push_back(static_cast<uint8_t>(XattrType::digest));
    } else {
        v.push_back(static_cast<uint8_t>(XattrType::digest_ng));
        v.push_back(static_cast<uint8_t>(algo));
    }
    v.insert(v.end(), digest.begin(), digest.end());
    return v;
}

namespace {

// The file digest with an algorithm evmctl knows by name. OpenSSL may still
// refuse it at initialisation (md4 without the legacy provider): status 1.
Bytes file_digest(int fd, HashAlgo algo, const std::string& path, const struct stat& st) {
    try {
        return digest_fd(fd, algo, path, &st);
    } catch (const UsageError& e) {
        throw bad(path + ": " + e.what());
    } catch (const CryptoError& e) {
        throw bad(path + ": " + e.what());
    }
}

void set_value(const Options& opts, int fd, const std::string& name, ByteView value, const std::string& path) {
    if (opts.no_xattr) return;
    set_xattr(fd, name, value, path);
}

}  // namespace

void ima_sign_fd(const Options& opts, Console& con, SigningKey& key, int fd, const struct stat& st,
                 const std::string& path, std::string& out) {
    require_openssl_digest(opts.hash_algo);
    auto algo = algo_from_name(opts.hash_algo);
    if (!algo) throw error(path + ": unknown hash algorithm '" + opts.hash_algo + "'");
    Bytes digest = file_digest(fd, *algo, path, st);
    Bytes value;
    try {
        value = key.sign(*algo, digest);
    } catch (const Error& e) {
        rethrow_for(e, path);
    }
    out += to_hex(value) + "\n";
    if (opts.sigfile) {
        try {
            write_sigfile(path + ".sig", value);
        } catch (const Error& e) {
            con.error(e.what());  // evmctl goes on to set the xattr
        }
    }
    set_value(opts, fd, ima_xattr(opts), value, path);
}

void ima_hash_fd(const Options& opts, int fd, const struct stat& st, const std::string& path, std::string& out) {
    HashAlgo algo = require_known_algo(opts.hash_algo);
    require_openssl_digest(opts.hash_algo);
    Bytes value = ima_digest_value(algo, file_digest(fd, algo, path, st));
    out += to_hex(value) + "\n";
    set_value(opts, fd, ima_xattr(opts), value, path);
}

}  // namespace ima::evmctl
