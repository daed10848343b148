// evm-tool sign: security.evm = an immutable (type 3) or portable (type 5)
// signature over the protected xattrs and the inode metadata.
#include <iostream>

#include "command.hpp"
#include "ima/printable.hpp"
#include "ima/progress.hpp"

namespace ima::evmtool::cli {
namespace {

using nlohmann::json;

class SignCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        a_.base = &common;
        auto* sub =
            app.add_subcommand("sign", "Sign the EVM metadata into security.evm (type 3, or 5 with --portable)");
        k_.add_to(sub);
        auto* p =
            sub->add_flag("--portable", portable_, "Portable signature (type 5): no inode number, generation or UUID");
        sub->add_flag("--immutable", immutable_, "Immutable signature (type 3), bound to the inode (the default)")
            ->excludes(p);
        sub->add_option("-a,--hash-algo", algo_, "Hash algorithm (sha1, sha224, sha256, sha384, sha512, sm3)");
        sub->add_flag("--print", print_, "Print PATH and the value; set nothing");
        in_.add_to(sub);
        a_.add_to(sub);
        sub->callback([this] { selected = true; });
    }

    int run() override {
        MakeRequest req;
        req.kind = portable_ ? evm::EvmKind::portable : evm::EvmKind::immutable;
        req.algo = parse_hash_algo(algo_);
        if (!is_signing_algo(req.algo))
            throw UsageError("hash algorithm '" + algo_ + "' cannot be used for EVM signatures");
        req.overrides = in_.overrides();
        req.ns = a_.ns();
        req.write = print_ ? Write::print_only : Write::yes;
        auto [key, keyid] = k_.load();
        probe_signing(key, req.algo);  // a pair OpenSSL cannot use fails once, not per file
        Progress progress("signing", !a_.quiet() && !a_.json);
        req.walk = a_.walk(progress.counter());
        json files = json::array();
        size_t done = 0;
        auto on_value = [&](const ValueRecord& r) {
            ++done;
            if (!a_.json && (print_ || a_.verbose())) std::cout << printable(r.path) << ' ' << to_hex(r.value) << '\n';
            if (a_.json) files.push_back({{"path", r.path}, {xattr_name(req.ns, "evm"), to_hex(r.value)}});
        };
        FailureLog fails{tool, a_.json};
        WalkSummary s = sign_files(a_.paths, key, keyid, req, on_value, fails.fn());
        json doc = {{"command", "sign"},
                    {"kind", evm::evm_kind_name(req.kind)},
                    {"hash_algo", hash_algo_info(req.algo).name},
                    {"keyid", keyid_hex(keyid)},
                    {"files", files}};
        return finish_walk(a_, print_ ? "printed" : "signed", done, s, doc, fails);
    }

private:
    WalkArgs a_;
    KeyArgs k_;
    InputArgs in_;
    std::string algo_ = "sha256";
    bool portable_ = false, immutable_ = false, print_ = false;
};

}  // namespace

std::unique_ptr<Command> make_sign() {
    return std::make_unique<SignCmd>();
}

}  // namespace ima::evmtool::cli
