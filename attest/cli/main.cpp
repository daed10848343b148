// ima-attest: the verifier's side of IMA remote attestation. Each subcommand
// lives in cmd_<name>.cpp; this file only dispatches.
#include <cstdlib>

#include "command.hpp"

int main(int argc, char** argv) {
    using namespace ima::attest::cli;
    // tpm2-tss logs its own errors on stderr; our one error line says it all
    // (a TSS2_LOG the user set wins).
    setenv("TSS2_LOG", "all+NONE", 0);
    CLI::App app{
        "ima-attest: show and replay IMA measurement lists against TPM PCRs, check boot_aggregate, "
        "signatures and reference manifests, TPM quotes, attestation keys and credentials",
        tool};
    return ima::run_subcommands(app, argc, argv,
                                {make_show, make_replay, make_verify, make_boot_aggregate, make_pcrs, make_check_quote,
                                 make_ak, make_credential, make_quote, make_check});
}
