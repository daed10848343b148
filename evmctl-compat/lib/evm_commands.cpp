#include "evm_commands.hpp"

#include "algo.hpp"
#include "evm_message.hpp"
#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/evm/inputs.hpp"
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
    set_xattr(fd, evm_xattr(opts), value, path);
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
    uint8_t version = misc_layout(opts) == evm::MiscLayout::no_inode ? 3 : 2;
    Bytes value;
    try {
        value = key.sign(*algo, digest, type, version);
    } catch (const Error& e) {
        rethrow_for(e, path);
    }
    out += to_hex(value) + "\n";
    set_evm(opts, fd, value, path);
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
        value = get_xattr(fd.get(), evm_xattr(opts), path);
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
        } catch (const Error& e) {
            throw error(e.what());  // 125 here, where ima_verify says 1
        }
        Options o = opts;
        o.hash_algo = hash_algo_info(algo).name;
        EvmMessageInput in = gather_evm_message(o, fd.get(), st, path, EvmPurpose::signature, portable);
        Bytes digest = evm_digest_with(algo, evm_message_bytes(in), path);
        if (v[1] != 2) throw error(path + ": signature version " + std::to_string(v[1]) + " is not supported");
        if (v.size() < 9) throw error(path + ": invalid signature (truncated header)");
        verify_value_signature(keys, con, path, v, algo, digest, status_error);
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
        hkey = evm::load_hmac_key(key_path);
        if (!algo_from_name(opts.hash_algo) && !openssl_has_digest(opts.hash_algo))
            throw error(path + ": unknown hash algorithm '" + opts.hash_algo + "'");
        if (!openssl_has_digest(opts.hash_algo))
            throw error(path + ": hash algorithm '" + opts.hash_algo + "' is not available in OpenSSL here");
        EvmMessageInput in = gather_evm_message(opts, fd.get(), st, path, EvmPurpose::hmac, false);
        Bytes mac;
        try {
            // the kernel's keying with -a's digest instead of its SHA-1, as evmctl does
            mac = evm::padded_key_hmac(view(hkey.str()), evm_message_bytes(in), opts.hash_algo);
        } catch (const Error& e) {
            throw error(path + ": " + e.what());
        }
        con.debug("hmac: " + to_hex(mac));
        Bytes value{static_cast<uint8_t>(XattrType::evm_hmac)};
        append(value, mac);
        set_evm(opts, fd.get(), value, path);
    };
    return run_single(opts.args[1], con, one);
}

}  // namespace ima::evmctl
