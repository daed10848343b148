// evm-tool: security.evm for files and trees. Each subcommand lives in
// cmd_<name>.cpp; this file only dispatches.
#include "command.hpp"

int main(int argc, char** argv) {
    using namespace ima::evmtool::cli;
    CLI::App app{"evm-tool: EVM signatures (immutable, portable) and HMACs in security.evm; verify; show", tool};
    ima::CommonOptions common;
    ima::add_common_options(app, common);
    app.require_subcommand(1);
    std::vector<std::unique_ptr<Command>> commands;
    for (auto make : {make_sign, make_hmac, make_verify, make_show}) {
        commands.push_back(make());
        commands.back()->setup(app, common);
    }
    return ima::run_cli(app, argc, argv, [&] {
        for (auto& c : commands)
            if (c->selected) return c->run();
        return 2;
    });
}
