// The pieces every ima-sign subcommand shares: the Command interface, the
// walk and key options, and the summary printing. One file a subcommand
// (cmd_*.cpp) holds its options and its run().
#pragma once

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ima/cli.hpp"
#include "ima/core.hpp"
#include "write_values.hpp"

namespace ima::sign::cli {

inline const std::string tool = "ima-sign";

class Command {
public:
    virtual ~Command() = default;
    // Adds the subcommand to `app`; `common` holds -v/-q once parsed.
    virtual void setup(CLI::App& app, const CommonOptions& common) = 0;
    virtual int run() = 0;
    bool selected = false;
};

std::unique_ptr<Command> make_sign();
std::unique_ptr<Command> make_hash();
std::unique_ptr<Command> make_verify();
std::unique_ptr<Command> make_clear();
std::unique_ptr<Command> make_sign_hash();
std::unique_ptr<Command> make_tar();
std::unique_ptr<Command> make_apply();

// Options of the commands that walk trees.
struct WalkArgs {
    const CommonOptions* base = nullptr;
    std::vector<std::string> paths;
    std::string algo = "sha256";
    unsigned jobs = 0;
    bool xattr_user = false;
    bool cross_fs = false;
    bool json = false;
    std::vector<std::string> excludes;

    void add_to(CLI::App* sub, bool with_algo = true);
    WalkOptions walk(std::atomic<size_t>* progress) const;
    XattrNamespace ns() const { return xattr_user ? XattrNamespace::user : XattrNamespace::security; }
    bool quiet() const { return base && base->quiet; }
    bool verbose() const { return base && base->verbose > 0; }
};

struct KeyArgs {
    std::string key;
    std::string cert;
    std::string keyid;
    std::string pass_file;

    // -k and --pass-file; with_cert adds -c and --keyid.
    void add_to(CLI::App* sub, bool with_cert);
    // The key, and the key id that goes into the header: from --keyid, else the
    // certificate's subjectKeyIdentifier, else computed from the public key.
    std::pair<PrivateKey, KeyId> load() const;
};

// Prints each failure as it happens and collects it for --json.
struct FailureLog {
    bool as_json;
    nlohmann::json items = nlohmann::json::array();
    FailureFn fn();
};

// Prints the summary line (or the JSON document) and returns the exit status.
int finish(const WalkArgs& a, const char* verb, size_t done, const WalkSummary& s, nlohmann::json doc,
           const FailureLog& fails);

}  // namespace ima::sign::cli
