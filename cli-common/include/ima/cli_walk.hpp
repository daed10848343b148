// Options and output shared by the tools that walk trees and sign (ima-sign,
// evm-tool): the tree options, the signing key options, the failure log and
// the summary line.
#pragma once

#include <atomic>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ima/cli.hpp"
#include "ima/key.hpp"
#include "ima/tree_walk.hpp"
#include "ima/xattr_io.hpp"

namespace ima {

// -j, --xattr-user, --cross-fs, --exclude, --json and the PATH operands.
struct TreeArgs {
    const CommonOptions* base = nullptr;
    std::vector<std::string> paths;
    unsigned jobs = 0;
    bool xattr_user = false;
    bool cross_fs = false;
    bool json = false;
    std::vector<std::string> excludes;

    // `xattr_user_help` says which user.* names --xattr-user writes.
    void add_to(CLI::App* sub,
                const std::string& xattr_user_help = "Use user.* instead of security.* (unprivileged tests)");
    WalkOptions walk(std::atomic<size_t>* progress) const;
    XattrNamespace ns() const { return xattr_user ? XattrNamespace::user : XattrNamespace::security; }
    bool quiet() const { return base && base->quiet; }
    bool verbose() const { return base && base->verbose > 0; }
};

// -k, --pass-file, --allow-short-rsa, and (with_cert) -c and --keyid.
struct KeyArgs {
    std::string key;
    std::string cert;
    std::string keyid;
    std::string pass_file;
    bool allow_short_rsa = false;

    void add_to(CLI::App* sub, bool with_cert = true);
    // The key, and the key id that goes into the header: from --keyid, else the
    // certificate's subjectKeyIdentifier, else computed from the public key.
    std::pair<PrivateKey, KeyId> load() const;
};

// Prints each failure as it happens and collects it for --json.
struct FailureLog {
    std::string tool;
    bool as_json;
    nlohmann::json items = nlohmann::json::array();
    FailureFn fn();
};

// Prints the summary line "<tool>: <verb> N files[, K kept][, M failed]" on
// stderr (or the JSON document on stdout, with "kept" when `kept` is given)
// and returns the walk's exit status.
int finish_walk(const TreeArgs& a, const char* verb, size_t done, const WalkSummary& s, nlohmann::json doc,
                const FailureLog& fails, std::optional<size_t> kept = std::nullopt);

}  // namespace ima
