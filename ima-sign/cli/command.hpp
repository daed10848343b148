// The pieces every ima-sign subcommand shares: the subcommand makers and the
// walk options with -a (the key options, failure log and summary are in
// ima/cli_walk.hpp). One file a subcommand (cmd_*.cpp) holds its options and
// its run().
#pragma once

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ima/cli.hpp"
#include "ima/cli_walk.hpp"
#include "ima/core.hpp"
#include "ima/sign/write_values.hpp"

namespace ima::sign::cli {

inline const std::string tool = "ima-sign";

using Command = Subcommand;

std::unique_ptr<Command> make_sign();
std::unique_ptr<Command> make_hash();
std::unique_ptr<Command> make_verify();
std::unique_ptr<Command> make_clear();
std::unique_ptr<Command> make_sign_hash();
std::unique_ptr<Command> make_tar();
std::unique_ptr<Command> make_apply();

// The tree options, with -a for the commands that hash.
struct WalkArgs : TreeArgs {
    std::string algo = "sha256";

    void add_to(CLI::App* sub, bool with_algo = true);
};

}  // namespace ima::sign::cli
