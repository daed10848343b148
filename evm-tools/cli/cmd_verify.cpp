// evm-tool verify: check security.evm against the file's protected xattrs
// and metadata, with the certificates (signatures) or the EVM key (HMAC).
#include <iostream>

#include "command.hpp"
#include "ima/evm/verify.hpp"
#include "ima/printable.hpp"
#include "ima/progress.hpp"

namespace ima::evmtool::cli {
namespace {

using nlohmann::json;

class VerifyCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        a_.base = &common;
        auto* sub =
            app.add_subcommand("verify", "Check security.evm against the file, the certificates or the EVM key");
        sub->add_option("-c,--cert", certs_, "Certificate or public key (repeatable)")->allow_extra_args(false);
        sub->add_option("--hmac-key", key_path_, "File holding the raw EVM key, to check HMAC values");
        in_.add_to(sub);
        a_.add_to(sub);
        sub->callback([this] { selected = true; });
    }

    int run() override {
        CheckRequest req;
        req.overrides = in_.overrides();
        req.keys = load_verify_keys(certs_);
        std::optional<SecretString> key;
        if (!key_path_.empty()) {
            key = evm::load_hmac_key(key_path_);
            req.hmac_key = view(key->str());
        }
        req.ns = a_.ns();
        Progress progress("verifying", !a_.quiet() && !a_.json);
        req.walk = a_.walk(progress.counter());
        json files = json::array();
        size_t done = 0;
        auto on_ok = [&](const CheckRecord& r) {
            ++done;
            const auto& c = r.check;
            std::string what =
                std::string(evm::evm_kind_name(c.kind)) +
                (c.kind == evm::EvmKind::hmac ? " hmac-sha1"
                                              : std::string(" signature ") + hash_algo_info(c.algo).name);
            if (c.keyid) what += " key " + keyid_hex(*c.keyid);
            if (!a_.json && !a_.quiet()) std::cout << printable(r.path) << ": ok (" << what << ")\n";
            if (a_.json) {
                json f = {{"path", r.path},
                          {"status", "ok"},
                          {"kind", evm::evm_kind_name(c.kind)},
                          {"hash_algo", hash_algo_info(c.algo).name}};
                if (c.keyid) f["keyid"] = keyid_hex(*c.keyid);
                files.push_back(f);
            }
        };
        FailureLog fails{tool, a_.json};
        WalkSummary s = verify_files(a_.paths, req, on_ok, fails.fn());
        return finish_walk(a_, "verified", done, s, {{"command", "verify"}, {"files", files}}, fails);
    }

private:
    WalkArgs a_;
    InputArgs in_;
    std::vector<std::string> certs_;
    std::string key_path_;
};

}  // namespace

std::unique_ptr<Command> make_verify() {
    return std::make_unique<VerifyCmd>();
}

}  // namespace ima::evmtool::cli
