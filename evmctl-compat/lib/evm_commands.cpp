#include "evm_commands.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "algo.hpp"
#include "evm_message.hpp"
#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/evm/verify.hpp"
#include "ima/signature.hpp"
#include "ima/xattr_io.hpp"
#include "ima_ops.hpp"
#include "keys.hpp"
#include "run.hpp"
#include "status.hpp"
#include "target.hpp"
#include "verify_ima.hpp"

namespace ima::evmctl {

namespace {

Bytes evm_digest_with(HashAlgo algo, ByteView message, const std::string& path) {
    try {
        return digest_bytes(algo, message);
    } catch (const Error& e) {
        throw bad(path + ": " + e.what());
    }
}

void set_evm(const Options& opts, int fd, ByteView value, const std::string& path) {
    if (opts.no_xattr) return;
    try {
        set_xattr(fd, evm_xattr(opts), value, path);
    } catch (const Error& e) {
        throw error(e.what());
    }
}

// --imasig / --imahash before the EVM value, as evmctl's sign and hmac do.
void ima_first(const Options& opts, Console& con, SigningKey* key, int fd, const struct stat& st,
               const std::string& path, std::string& out) {
    if (!opts.imasig && !opts.imahash) return;
    if (!S_ISREG(st.st_mode)) throw error(path + ": unsupported file type (" + file_type_name(st.st_mode) + ")");
    if (opts.imasig) ima_sign_fd(opts, con, *key, fd, st, path, out);
    if (opts.imahash) ima_hash_fd(opts, fd, st, path, out);
}

void sign_evm_fd(const Options& opts, Console& con, SigningKey& key, int fd, const struct stat& st,
                 const std::string& path, std::string& out) {
    ima_first(opts, con, &key, fd, st, path, out);
    require_openssl_digest(opts.hash_algo);
    auto algo = algo_from_name(opts.hash_algo);
    if (!algo) throw error(path + ": unknown hash algorithm '" + opts.hash_algo + "'");
    EvmMessageInput in = gather_evm_message(opts, fd, st, path, EvmPurpose::signature, opts.portable);
    Bytes digest = evm_digest_with(*algo, evm_message_bytes(in), path);
    XattrType type = opts.portable ? XattrType::evm_portable : XattrType::digsig;
    // -i: evmctl marks its uid/gid/mode-only signature with version 3.
    uint8_t version = misc_layout(opts) == MiscLayout::immutable ? 3 : 2;
    Bytes value;
    try {
        value = key.sign(*algo, digest, type, version);
    } catch (const Failure& e) {
        throw Failure(e.status(), path + ": " + e.what());
    }
    out += to_hex(value) + "\n";
    set_evm(opts, fd, value, path);
}

// HMAC over `message` with the 128-byte zero-padded key, as the kernel keys
// it (and evmctl, with -a's digest instead of the kernel's SHA-1).
Bytes hmac_bytes(const std::string& md_name, ByteView key, ByteView message, const std::string& path) {
    Bytes padded(evm::max_hmac_key_size, 0);
    std::copy(key.begin(), key.end(), padded.begin());
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (!mac) throw error(path + ": HMAC is not available: " + drain_openssl_errors());
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);
    std::string name = md_name;
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, name.data(), 0),
                           OSSL_PARAM_construct_end()};
    Bytes out(EVP_MAX_MD_SIZE);
    size_t len = 0;
    bool ok = ctx && EVP_MAC_init(ctx, padded.data(), padded.size(), params) &&
              EVP_MAC_update(ctx, message.data(), message.size()) && EVP_MAC_final(ctx, out.data(), &len, out.size());
    EVP_MAC_CTX_free(ctx);
    OPENSSL_cleanse(padded.data(), padded.size());
    if (!ok) throw error(path + ": HMAC with " + md_name + " failed: " + drain_openssl_errors());
    out.resize(len);
    return out;
}

}  // namespace

int cmd_sign(const Options& opts, Console& con) {
    if (opts.args.size() < 2) return missing_operand(opts.args[0], con);
    SigningKey key(opts, con);
    auto one = [&](const std::string& path, std::string& out) {
        struct stat st = lstat_path(path);
        Fd fd = open_for_evm(path, st);
        sign_evm_fd(opts, con, key, fd.get(), st, path, out);
    };
    auto each = [&](const WalkFile& f, std::string& out) { sign_evm_fd(opts, con, key, f.fd, f.st, f.path, out); };
    return run_operand(opts, con, one, each);
}

int cmd_verify(const Options& opts, Console& con) {
    VerifyKeys keys(opts, con);
    if (opts.args.size() < 2) return missing_operand(opts.args[0], con);
    auto one = [&](const std::string& path, std::string&) {
        struct stat st = lstat_path(path);
        Fd fd = open_for_evm(path, st);
        std::optional<Bytes> value;
        try {
            value = get_xattr(fd.get(), evm_xattr(opts), path);
        } catch (const Error& e) {
            throw error(e.what());
        }
        if (!value) throw error(path + ": no " + evm_xattr(opts));
        const Bytes& v = *value;
        if (v.empty() ||
            (v[0] != static_cast<uint8_t>(XattrType::digsig) && v[0] != static_cast<uint8_t>(XattrType::evm_portable)))
            throw error(path + ": " + evm_xattr(opts) + " has no signature");
        const bool portable = v[0] == static_cast<uint8_t>(XattrType::evm_portable);
        if (portable && (v.size() < 2 || v[1] != 2)) throw error(path + ": portable signature: invalid version");
        HashAlgo algo;
        try {
            algo = signature_algo(v, path);
        } catch (const Failure& e) {
            throw error(e.what());
        }
        Options o = opts;
        o.hash_algo = hash_algo_info(algo).name;
        EvmMessageInput in = gather_evm_message(o, fd.get(), st, path, EvmPurpose::signature, portable);
        Bytes digest = evm_digest_with(algo, evm_message_bytes(in), path);
        if (v[1] != 2) throw error(path + ": signature version " + std::to_string(v[1]) + " is not supported");
        if (v.size() < 9) throw error(path + ": invalid signature (truncated header)");
        KeyId id{v[3], v[4], v[5], v[6]};
        const VerifyKey* k = keys.find(id, con);
        if (!k) throw error(path + ": no key for key id " + keyid_hex(id));
        bool ok = false;
        try {
            ok = verify_digest(k->pkey.get(), algo, digest, ByteView(v).subspan(9));
        } catch (const Error& e) {
            throw error(path + ": verification failed: " + e.what());
        }
        if (!ok) throw bad(path + ": verification failed: bad signature");
        con.info(path + ": verification is OK");
    };
    return run_single(opts.args[1], con, one);
}

int cmd_hmac(const Options& opts, Console& con, const std::string& key_path) {
    if (opts.args.size() < 2) return missing_operand(opts.args[0], con);
    std::optional<SigningKey> key;
    if (opts.imasig) key.emplace(opts, con);
    auto one = [&](const std::string& path, std::string& out) {
        struct stat st = lstat_path(path);
        Fd fd = open_for_evm(path, st);
        ima_first(opts, con, key ? &*key : nullptr, fd.get(), st, path, out);
        SecretString hkey;
        try {
            hkey = evm::load_hmac_key(key_path);
        } catch (const Error& e) {
            throw error(e.what());
        }
        if (!algo_from_name(opts.hash_algo) && !openssl_has_digest(opts.hash_algo))
            throw error(path + ": unknown hash algorithm '" + opts.hash_algo + "'");
        if (!openssl_has_digest(opts.hash_algo))
            throw error(path + ": hash algorithm '" + opts.hash_algo + "' is not available in OpenSSL here");
        EvmMessageInput in = gather_evm_message(opts, fd.get(), st, path, EvmPurpose::hmac, false);
        Bytes mac = hmac_bytes(opts.hash_algo, view(hkey.str()), evm_message_bytes(in), path);
        con.debug("hmac: " + to_hex(mac));
        Bytes value{static_cast<uint8_t>(XattrType::evm_hmac)};
        append(value, mac);
        set_evm(opts, fd.get(), value, path);
    };
    return run_single(opts.args[1], con, one);
}

}  // namespace ima::evmctl
