// ima-attest: the verifier's side of IMA remote attestation. Each subcommand
// lives in cmd_<name>.cpp; this file only dispatches.
#include "command.hpp"

int main(int argc, char** argv) {
    using namespace ima::attest::cli;
    CLI::App app{
        "ima-attest: show and replay IMA measurement lists against TPM PCRs, check boot_aggregate, "
        "signatures and reference manifests",
        tool};
    return ima::run_subcommands(app, argc, argv, {make_show, make_replay, make_verify, make_boot_aggregate, make_pcrs});
}
