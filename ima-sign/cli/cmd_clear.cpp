// ima-sign clear: remove security.ima.
#include "command.hpp"
#include "ima/sign/sign_files.hpp"

namespace ima::sign::cli {
namespace {

class ClearCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        a_.base = &common;
        auto* sub = app.add_subcommand("clear", "Remove security.ima");
        a_.add_to(sub, false);
        sub->callback([this] { selected = true; });
    }
    int run() override {
        std::atomic<size_t> removed{0};
        FailureLog fails{tool, a_.json};
        WalkSummary s = clear_files(a_.paths, a_.ns(), a_.walk(nullptr), removed, fails.fn());
        return finish_walk(a_, "cleared", removed.load(), s, {{"command", "clear"}}, fails);
    }

private:
    WalkArgs a_;
};

}  // namespace

std::unique_ptr<Command> make_clear() {
    return std::make_unique<ClearCmd>();
}

}  // namespace ima::sign::cli
