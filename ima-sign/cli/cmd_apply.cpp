// ima-sign apply: set the security.ima values of a manifest on a tree.
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <iostream>

#include "command.hpp"
#include "ima/fd.hpp"
#include "ima/file_io.hpp"
#include "ima/printable.hpp"
#include "ima/sign/apply.hpp"

namespace ima::sign::cli {
namespace {

using nlohmann::json;

class ApplyCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        a_.base = &common;
        auto* sub = app.add_subcommand("apply", "Set the security.ima values of a manifest on the files of a tree");
        sub->add_option("MANIFEST", manifest_, "Manifest written by ima-sign sign --manifest")->required();
        sub->add_option("--root", req_.root, "The tree the manifest's paths are relative to (default: .)");
        sub->add_flag("--xattr-user", a_.xattr_user, "Use user.ima instead of security.ima");
        sub->add_flag("--dry-run", dry_run_, "Check every file, write nothing");
        sub->add_option("-j,--jobs", req_.jobs, "Worker threads (default: one per CPU)")->check(CLI::Range(1u, 1024u));
        sub->add_flag("--json", a_.json, "One JSON document on stdout");
        sub->callback([this] { selected = true; });
    }
    int run() override {
        Manifest m;
        Bytes text = read_bounded(manifest_, ReadOptions{.max_bytes = kMaxManifestBytes, .nul = Nul::refuse});
        try {
            m = parse_manifest(text);
        } catch (const FormatError& e) {
            throw FormatError(manifest_ + ": " + e.what());
        }
        req_.ns = a_.ns();
        req_.write = dry_run_ ? Write::dry_run : Write::yes;
        json files = json::array();
        size_t done = 0;
        auto on_record = [&](const FileRecord& r) {
            ++done;
            if ((a_.verbose() || dry_run_) && !a_.json)
                std::cout << printable(r.path) << ' ' << to_hex(r.value) << '\n';
            if (a_.json) files.push_back({{"path", r.rel}, {"security.ima", to_hex(r.value)}});
        };
        FailureLog fails{tool, a_.json};
        WalkSummary s = apply_manifest(m, req_, on_record, fails.fn());
        return finish_walk(a_, dry_run_ ? "would apply" : "applied", done, s,
                           {{"command", "apply"}, {"manifest", manifest_}, {"files", files}}, fails);
    }

private:
    WalkArgs a_;
    ApplyRequest req_;
    std::string manifest_;
    bool dry_run_ = false;
};

}  // namespace

std::unique_ptr<Command> make_apply() {
    return std::make_unique<ApplyCmd>();
}

}  // namespace ima::sign::cli
