// The pieces every evm-tool subcommand shares: the subcommand makers and the
// EVM-input options (the tree and key options, failure log and summary are in
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
#include "ima/evm/evm_files.hpp"

namespace ima::evmtool::cli {

inline const std::string tool = "evm-tool";

using Command = Subcommand;
// The tree options; --xattr-user writes user.* names.
using WalkArgs = TreeArgs;

std::unique_ptr<Command> make_sign();
std::unique_ptr<Command> make_hmac();
std::unique_ptr<Command> make_verify();
std::unique_ptr<Command> make_show();

// --uuid/--no-uuid and the --ino/--generation/--uid/--gid/--mode overrides.
struct InputArgs {
    std::string uuid;
    bool no_uuid = false;
    // Kept as text and parsed strictly: CLI11 would wrap "-1" into an unsigned.
    std::optional<std::string> ino, generation, uid, gid, mode;

    void add_to(CLI::App* sub);
    // Throws UsageError for a bad UUID or mode.
    evm::EvmOverrides overrides() const;
};

// Parses an octal mode ("100755", "0755"). Throws UsageError.
uint16_t parse_mode(const std::string& text);
// Parses a decimal number up to `max` for option `option`. Throws UsageError.
uint64_t parse_number(const std::string& option, const std::string& text, uint64_t max);

}  // namespace ima::evmtool::cli
