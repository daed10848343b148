// evm-tool hmac: security.evm = the type 2 HMAC-SHA1 with the raw EVM key,
// as the kernel computes it when it updates the value itself.
#include <iostream>

#include "command.hpp"
#include "ima/evm/verify.hpp"
#include "ima/printable.hpp"
#include "ima/progress.hpp"

namespace ima::evmtool::cli {
namespace {

using nlohmann::json;

class HmacCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        a_.base = &common;
        auto* sub = app.add_subcommand("hmac", "Write the EVM HMAC (type 2) into security.evm");
        sub->add_option("--hmac-key", key_path_, "File holding the raw EVM key (1 to 128 bytes)")->required();
        sub->add_flag("--print", print_, "Print PATH and the value; set nothing");
        in_.add_to(sub);
        a_.add_to(sub);
        sub->callback([this] { selected = true; });
    }

    int run() override {
        MakeRequest req;
        req.kind = evm::EvmKind::hmac;
        req.overrides = in_.overrides();
        req.ns = a_.ns();
        req.write = print_ ? Write::print_only : Write::yes;
        SecretString key = evm::load_hmac_key(key_path_);
        Progress progress("hmac", !a_.quiet() && !a_.json);
        req.walk = a_.walk(progress.counter());
        json files = json::array();
        size_t done = 0;
        auto on_value = [&](const ValueRecord& r) {
            ++done;
            if (!a_.json && (print_ || a_.verbose())) std::cout << printable(r.path) << ' ' << to_hex(r.value) << '\n';
            if (a_.json) files.push_back({{"path", r.path}, {xattr_name(req.ns, "evm"), to_hex(r.value)}});
        };
        FailureLog fails{tool, a_.json};
        WalkSummary s = hmac_files(a_.paths, view(key.str()), req, on_value, fails.fn());
        json doc = {{"command", "hmac"}, {"kind", "hmac"}, {"files", files}};
        return finish_walk(a_, print_ ? "printed" : "computed", done, s, doc, fails);
    }

private:
    WalkArgs a_;
    InputArgs in_;
    std::string key_path_;
    bool print_ = false;
};

}  // namespace

std::unique_ptr<Command> make_hmac() {
    return std::make_unique<HmacCmd>();
}

}  // namespace ima::evmtool::cli
