// ima-sign: security.ima for files, trees, tar streams and digests. Each
// subcommand lives in cmd_<name>.cpp; this file only dispatches.
#include "command.hpp"

int main(int argc, char** argv) {
    using namespace ima::sign::cli;
    CLI::App app{"ima-sign: sign, hash, verify and clear security.ima; sign tar streams; apply manifests", tool};
    ima::CommonOptions common;
    ima::add_common_options(app, common);
    app.require_subcommand(1);
    std::vector<std::unique_ptr<Command>> commands;
    for (auto make : {make_sign, make_hash, make_verify, make_clear, make_tar, make_apply, make_sign_hash}) {
        commands.push_back(make());
        commands.back()->setup(app, common);
    }
    return ima::run_cli(app, argc, argv, [&] {
        for (auto& c : commands)
            if (c->selected) return c->run();
        return 2;
    });
}
