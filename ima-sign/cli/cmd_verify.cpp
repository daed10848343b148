// ima-sign verify: check security.ima (or FILE.sig) against the file and keys.
#include <iostream>

#include "command.hpp"
#include "ima/printable.hpp"
#include "ima/progress.hpp"
#include "ima/sign/sign_files.hpp"

namespace ima::sign::cli {
namespace {

using nlohmann::json;

class VerifyCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        a_.base = &common;
        auto* sub = app.add_subcommand("verify", "Check security.ima against the file and the certificates");
        sub->add_option("-c,--cert", certs_, "Certificate or public key (repeatable)")->allow_extra_args(false);
        sub->add_flag("--sigfile", sigfile_, "Read FILE.sig instead of the xattr");
        a_.add_to(sub);
        sub->callback([this] { selected = true; });
    }
    int run() override {
        auto keys = load_verify_keys(certs_);
        Progress progress("verifying", !a_.quiet() && !a_.json);
        json files = json::array();
        size_t done = 0;
        auto on_ok = [&](const VerifyRecord& r) {
            ++done;
            std::string what =
                r.kind + " " + hash_algo_info(r.algo).name + (r.keyid ? " key " + keyid_hex(*r.keyid) : "");
            if (!a_.json && !a_.quiet()) std::cout << printable(r.path) << ": ok (" << what << ")\n";
            if (a_.json) {
                json f = {
                    {"path", r.path}, {"status", "ok"}, {"type", r.kind}, {"hash_algo", hash_algo_info(r.algo).name}};
                if (r.keyid) f["keyid"] = keyid_hex(*r.keyid);
                files.push_back(f);
            }
        };
        FailureLog fails{tool, a_.json};
        WalkSummary s = verify_files(a_.paths, keys, a_.ns(), sigfile_ ? ValueSource::sigfile : ValueSource::xattr,
                                     a_.walk(progress.counter()), on_ok, fails.fn());
        return finish_walk(a_, "verified", done, s, {{"command", "verify"}, {"files", files}}, fails);
    }

private:
    WalkArgs a_;
    std::vector<std::string> certs_;
    bool sigfile_ = false;
};

}  // namespace

std::unique_ptr<Command> make_verify() {
    return std::make_unique<VerifyCmd>();
}

}  // namespace ima::sign::cli
