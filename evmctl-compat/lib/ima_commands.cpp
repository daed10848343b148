#include "ima_commands.hpp"

#include <fcntl.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ima/error.hpp"
#include "ima/xattr_io.hpp"
#include "ima_ops.hpp"
#include "keys.hpp"
#include "run.hpp"
#include "status.hpp"
#include "target.hpp"
#include "verify_ima.hpp"

namespace ima::evmctl {

int cmd_ima_sign(const Options& opts, Console& con) {
    if (opts.args.size() < 2) return missing_operand(opts.args[0], con);
    SigningKey key(opts, con);
    auto one = [&](const std::string& path, std::string& out) {
        struct stat st = lstat_path(path);
        require_openssl_digest(opts.hash_algo);
        Fd fd = open_regular(path, st);
        ima_sign_fd(opts, con, key, fd.get(), st, path, out);
    };
    auto each = [&](const WalkFile& f, std::string& out) { ima_sign_fd(opts, con, key, f.fd, f.st, f.path, out); };
    return run_operand(opts, con, one, each);
}

int cmd_ima_hash(const Options& opts, Console& con) {
    auto one = [&](const std::string& path, std::string& out) {
        require_known_algo(opts.hash_algo);
        struct stat st = lstat_path(path);
        require_openssl_digest(opts.hash_algo);
        Fd fd = open_regular(path, st);
        ima_hash_fd(opts, fd.get(), st, path, out);
    };
    auto each = [&](const WalkFile& f, std::string& out) { ima_hash_fd(opts, f.fd, f.st, f.path, out); };
    return run_operand(opts, con, one, each);
}

int cmd_ima_verify(const Options& opts, Console& con) {
    VerifyKeys keys(opts, con);
    if (opts.args.size() < 2) return missing_operand(opts.args[0], con);
    int fails = 0;
    for (size_t i = 1; i < opts.args.size(); ++i) {
        const std::string& path = opts.args[i];
        auto one = [&](const std::string& p, std::string&) {
            struct stat st = lstat_path(p);
            Fd fd = open_regular(p, st);
            Bytes value;
            if (opts.sigfile) {
                value = read_sigfile(p + ".sig");
            } else {
                std::optional<Bytes> v;
                try {
                    v = get_xattr(fd.get(), ima_xattr(opts), p);
                } catch (const Error& e) {
                    throw bad(e.what());
                }
                if (!v) throw bad(p + ": no " + ima_xattr(opts));
                value = std::move(*v);
            }
            verify_ima_value(opts, keys, con, p, value, fd.get(), st);
            con.info(p + ": verification is OK");
        };
        if (run_single(path, con, one) != status_ok) fails++;
    }
    return fails > 0 ? status_bad : status_ok;
}

int cmd_ima_setxattr(const Options& opts, Console& con) {
    size_t at = 1;
    std::string sig_path;
    if (opts.sigfile && opts.args.size() > at) sig_path = opts.args[at++];
    if (opts.args.size() <= at) return missing_operand(opts.args[0], con);
    const std::string& path = opts.args[at];
    if (sig_path.empty()) sig_path = path + ".sig";
    Bytes value;
    try {
        value = read_sigfile(sig_path);
        if (value.empty()) throw error(sig_path + ": empty file");
    } catch (const Error& e) {
        // evmctl reports an unreadable signature file but succeeds.
        con.error(e.what());
        return status_ok;
    }
    auto one = [&](const std::string& p, std::string&) {
        struct stat st = lstat_path(p);
        if (S_ISREG(st.st_mode)) {
            Fd fd = open_regular(p, st);
            set_xattr(fd.get(), ima_xattr(opts), value, p);
            return;
        }
        // Anything else the way evmctl sets it: on the path, never following a link.
        if (lsetxattr(p.c_str(), ima_xattr(opts).c_str(), value.data(), value.size(), 0) != 0)
            throw error(p + ": " + ima_xattr(opts) + ": " + std::strerror(errno));
    };
    return run_single(path, con, one);
}

namespace {

// ima_clear on one path: both xattrs go; a missing one is not an error.
void clear_path(const Options& opts, const std::string& path) {
    struct stat st {};
    if (lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
        try {
            Fd fd = open_regular(path, st);
            remove_xattr(fd.get(), ima_xattr(opts), path);
            remove_xattr(fd.get(), evm_xattr(opts), path);
            return;
        } catch (const std::exception&) {
            // fall back to the path, as evmctl does it
        }
    }
    lremovexattr(path.c_str(), ima_xattr(opts).c_str());
    lremovexattr(path.c_str(), evm_xattr(opts).c_str());
}

bool has_both_xattrs(const Options& opts, int fd, const std::string& path) {
    try {
        bool ima = false, evm = false;
        for (const auto& n : list_xattrs(fd, path)) {
            ima = ima || n == ima_xattr(opts);
            evm = evm || n == evm_xattr(opts);
        }
        return ima && evm;
    } catch (const Error&) {
        return false;
    }
}

}  // namespace

int cmd_ima_clear(const Options& opts, Console& con) {
    auto one = [&](const std::string& path, std::string&) { clear_path(opts, path); };
    auto each = [&](const WalkFile& f, std::string&) {
        // Failures are ignored, as evmctl ignores them.
        try {
            remove_xattr(f.fd, ima_xattr(opts), f.path);
            remove_xattr(f.fd, evm_xattr(opts), f.path);
        } catch (const Error&) {
        }
    };
    return run_operand(opts, con, one, each);
}

int cmd_ima_fix(const Options& opts, Console& con) {
    // Opening a file for reading is what makes a kernel booted with
    // ima_appraise=fix write its security.ima; the walker opens every file.
    auto one = [&](const std::string& path, std::string&) {
        Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
        if (!fd) throw error(path + ": " + std::strerror(errno));
    };
    const bool skip_labelled = opts.type && opts.type->find('x') != std::string::npos;
    auto each = [&](const WalkFile& f, std::string&) {
        if (skip_labelled && has_both_xattrs(opts, f.fd, f.path)) return;
    };
    return run_operand(opts, con, one, each);
}

}  // namespace ima::evmctl
