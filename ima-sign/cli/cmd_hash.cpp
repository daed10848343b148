// ima-sign hash: security.ima = the file digest, as evmctl ima_hash writes it.
#include <iostream>

#include "command.hpp"
#include "ima/printable.hpp"
#include "ima/progress.hpp"
#include "ima/sign/sign_files.hpp"

namespace ima::sign::cli {
namespace {

using nlohmann::json;

class HashCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        a_.base = &common;
        auto* sub = app.add_subcommand("hash", "Write the file digest into security.ima (as evmctl ima_hash)");
        a_.add_to(sub);
        sub->callback([this] { selected = true; });
    }
    int run() override {
        WriteRequest req;
        req.algo = parse_hash_algo(a_.algo);
        req.ns = a_.ns();
        Progress progress("hashing", !a_.quiet() && !a_.json);
        req.walk = a_.walk(progress.counter());
        json files = json::array();
        size_t done = 0;
        auto on_record = [&](const FileRecord& r) {
            ++done;
            if (a_.verbose() && !a_.json) std::cout << printable(r.path) << ' ' << to_hex(r.value) << '\n';
            if (a_.json) files.push_back({{"path", r.path}, {"security.ima", to_hex(r.value)}});
        };
        FailureLog fails{tool, a_.json};
        WalkSummary s = hash_files(a_.paths, req, on_record, fails.fn());
        return finish_walk(a_, "hashed", done, s, {{"command", "hash"}, {"hash_algo", a_.algo}, {"files", files}},
                           fails);
    }

private:
    WalkArgs a_;
};

}  // namespace

std::unique_ptr<Command> make_hash() {
    return std::make_unique<HashCmd>();
}

}  // namespace ima::sign::cli
