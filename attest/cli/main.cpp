// ima-attest: the verifier's side of IMA remote attestation. Each subcommand
// lives in cmd_<name>.cpp; this file only dispatches.
#include "command.hpp"

int main(int argc, char** argv) {
    using namespace ima::attest::cli;
    CLI::App app{
        "ima-attest: show and replay IMA measurement lists against TPM PCRs, check boot_aggregate, "
        "signatures and reference manifests",
        tool};
    ima::CommonOptions common;
    ima::add_common_options(app, common);
    app.require_subcommand(1);
    std::vector<std::unique_ptr<Command>> commands;
    for (auto make : {make_show, make_replay, make_verify, make_boot_aggregate, make_pcrs}) {
        commands.push_back(make());
        commands.back()->setup(app, common);
    }
    return ima::run_cli(app, argc, argv, [&] {
        for (auto& c : commands)
            if (c->selected) return c->run();
        return 2;
    });
}
