#include "ima/evm/evm_files.hpp"

#include <mutex>

#include "ima/error.hpp"
#include "ima/signature.hpp"

namespace ima::evmtool {

namespace {

using evm::EvmInputs;
using evm::EvmKind;

// The pipeline sign and hmac share: gather the inputs through the walker's
// descriptor, make the value, set it on that same descriptor.
using MakeValue = std::function<Bytes(const EvmInputs&, const WalkFile&)>;

WalkSummary write_evm_values(const std::vector<std::string>& paths, const MakeRequest& req, const MakeValue& make,
                             const ValueFn& on_value, const FailureFn& on_failure) {
    const std::string name = xattr_name(req.ns, "evm");
    std::mutex m;
    auto each = [&](const WalkFile& f) {
        EvmInputs in = evm::gather_evm_inputs(f.fd, f.st, f.path, req.kind, req.overrides, req.ns);
        Bytes value = make(in, f);
        if (req.write == Write::yes) set_xattr(f.fd, name, value, f.path);
        if (on_value) {
            std::lock_guard lk(m);
            on_value(ValueRecord{f.path, std::move(value)});
        }
    };
    return walk_files(paths, req.walk, each, on_failure);
}

}  // namespace

WalkSummary sign_files(const std::vector<std::string>& paths, const PrivateKey& key, KeyId keyid,
                       const MakeRequest& req, const ValueFn& on_value, const FailureFn& on_failure) {
    if (req.kind == EvmKind::hmac) throw UsageError("sign_files makes signatures; use hmac_files for an HMAC");
    auto make = [&](const EvmInputs& in, const WalkFile&) {
        Bytes digest = evm::evm_digest(req.algo, in, req.kind);
        // One Signer (one EVP_PKEY_CTX) per file: cheap beside the signature,
        // and never shared between worker threads.
        Signer signer(key, keyid);
        return signer.sign_xattr(req.algo, digest, static_cast<XattrType>(req.kind), 2);
    };
    return write_evm_values(paths, req, make, on_value, on_failure);
}

WalkSummary hmac_files(const std::vector<std::string>& paths, ByteView hmac_key, const MakeRequest& req,
                       const ValueFn& on_value, const FailureFn& on_failure) {
    MakeRequest r = req;
    r.kind = EvmKind::hmac;
    auto make = [&](const EvmInputs& in, const WalkFile&) {
        return encode_hmac(HmacValue{evm::evm_hmac(hmac_key, in)});
    };
    return write_evm_values(paths, r, make, on_value, on_failure);
}

WalkSummary verify_files(const std::vector<std::string>& paths, const CheckRequest& req, const CheckFn& on_ok,
                         const FailureFn& on_failure) {
    const std::string name = xattr_name(req.ns, "evm");
    std::mutex m;
    auto each = [&](const WalkFile& f) {
        auto value = get_xattr(f.fd, name, f.path);
        if (!value) throw VerifyError(f.path + ": no " + name);
        evm::EvmValue v;
        try {
            v = evm::decode_evm_value(*value);
        } catch (const FormatError& e) {
            throw FormatError(f.path + ": malformed " + name + ": " + e.what());
        }
        EvmInputs in = evm::gather_evm_inputs(f.fd, f.st, f.path, v.kind, req.overrides, req.ns);
        evm::EvmCheck c;
        try {
            c = evm::verify_evm_value(*value, in, req.keys, req.hmac_key);
        } catch (const Error& e) {
            throw with_context(e, f.path);
        }
        if (on_ok) {
            std::lock_guard lk(m);
            on_ok(CheckRecord{f.path, std::move(c)});
        }
    };
    return walk_files(paths, req.walk, each, on_failure);
}

WalkSummary read_values(const std::vector<std::string>& paths, XattrNamespace ns, const WalkOptions& walk,
                        const ShowFn& on_record, const FailureFn& on_failure) {
    const std::string ima = xattr_name(ns, "ima"), evm_name = xattr_name(ns, "evm");
    std::mutex m;
    auto each = [&](const WalkFile& f) {
        ShowRecord r{f.path, get_xattr(f.fd, ima, f.path), get_xattr(f.fd, evm_name, f.path), {}};
        for (const auto& p : evm::protected_xattrs()) {
            std::string n = ns == XattrNamespace::security ? p : "user." + p.substr(9);
            if (get_xattr(f.fd, n, f.path)) r.protected_present.push_back(n);
        }
        std::string problem;
        try {
            if (r.ima) decode_xattr(*r.ima);
        } catch (const FormatError& e) {
            problem = "malformed " + ima + ": " + e.what();
        }
        try {
            if (r.evm) evm::decode_evm_value(*r.evm);
        } catch (const FormatError& e) {
            if (problem.empty()) problem = "malformed " + evm_name + ": " + e.what();
        }
        {
            std::lock_guard lk(m);
            if (on_record) on_record(r);
        }
        if (!problem.empty()) throw FormatError(f.path + ": " + problem);
    };
    return walk_files(paths, walk, each, on_failure);
}

}  // namespace ima::evmtool
