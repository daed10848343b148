// ima-sign: security.ima for files, trees, tar streams and digests. Each
// subcommand lives in cmd_<name>.cpp; this file only dispatches.
#include "command.hpp"

int main(int argc, char** argv) {
    using namespace ima::sign::cli;
    CLI::App app{"ima-sign: sign, hash, verify and clear security.ima; sign tar streams; apply manifests", tool};
    return ima::run_subcommands(app, argc, argv,
                                {make_sign, make_hash, make_verify, make_clear, make_tar, make_apply, make_sign_hash});
}
