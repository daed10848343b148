// evm-tool: security.evm for files and trees. Each subcommand lives in
// cmd_<name>.cpp; this file only dispatches.
#include "command.hpp"

int main(int argc, char** argv) {
    using namespace ima::evmtool::cli;
    CLI::App app{"evm-tool: EVM signatures (immutable, portable) and HMACs in security.evm; verify; show", tool};
    return ima::run_subcommands(app, argc, argv, {make_sign, make_hmac, make_verify, make_show});
}
