// The pieces every evm-tool subcommand shares: the Command interface, the
// walk, key and EVM-input options, and the summary printing. One file a
// subcommand (cmd_*.cpp) holds its options and its run().
#pragma once

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "evm_files.hpp"
#include "ima/cli.hpp"
#include "ima/core.hpp"

namespace ima::evmtool::cli {

inline const std::string tool = "evm-tool";

class Command {
public:
    virtual ~Command() = default;
    // Adds the subcommand to `app`; `common` holds -v/-q once parsed.
    virtual void setup(CLI::App& app, const CommonOptions& common) = 0;
    virtual int run() = 0;
    bool selected = false;
};

std::unique_ptr<Command> make_sign();
std::unique_ptr<Command> make_hmac();
std::unique_ptr<Command> make_verify();
std::unique_ptr<Command> make_show();

// Options of the commands that walk trees.
struct WalkArgs {
    const CommonOptions* base = nullptr;
    std::vector<std::string> paths;
    unsigned jobs = 0;
    bool xattr_user = false;
    bool cross_fs = false;
    bool json = false;
    std::vector<std::string> excludes;

    void add_to(CLI::App* sub);
    WalkOptions walk(std::atomic<size_t>* progress) const;
    XattrNamespace ns() const { return xattr_user ? XattrNamespace::user : XattrNamespace::security; }
    bool quiet() const { return base && base->quiet; }
    bool verbose() const { return base && base->verbose > 0; }
};

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

struct KeyArgs {
    std::string key;
    std::string cert;
    std::string keyid;
    std::string pass_file;

    void add_to(CLI::App* sub);
    // The key, and the key id that goes into the header: from --keyid, else the
    // certificate's subjectKeyIdentifier, else computed from the public key.
    std::pair<PrivateKey, KeyId> load() const;
};

// Parses an octal mode ("100755", "0755"). Throws UsageError.
uint16_t parse_mode(const std::string& text);
// Parses a decimal number up to `max` for option `option`. Throws UsageError.
uint64_t parse_number(const std::string& option, const std::string& text, uint64_t max);

// Prints each failure as it happens and collects it for --json.
struct FailureLog {
    bool as_json;
    nlohmann::json items = nlohmann::json::array();
    FailureFn fn();
};

// Prints the summary line (or the JSON document) and returns the exit status.
int finish(const WalkArgs& a, const char* verb, size_t done, const WalkSummary& s, nlohmann::json doc,
           const FailureLog& fails);

}  // namespace ima::evmtool::cli
