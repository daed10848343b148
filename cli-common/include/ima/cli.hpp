// What every command-line tool shares: common options, the single place that
// catches errors and maps them to exit statuses, and error lines on stderr.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace ima {

struct CommonOptions {
    int verbose = 0;
    bool quiet = false;
};

// Adds --version, -v/--verbose (repeatable), -q/--quiet.
void add_common_options(CLI::App& app, CommonOptions& opts);

// Parses argv with `app`, then runs `dispatch`. Prints help/version (exit 0),
// usage errors (exit 2) and any ima::Error as one line
// "<tool>: error: <message>" with the error's exit status.
int run_cli(CLI::App& app, int argc, char** argv, const std::function<int()>& dispatch);

// One subcommand of a tool (cmd_<name>.cpp): its options and its run().
class Subcommand {
public:
    virtual ~Subcommand() = default;
    // Adds the subcommand to `app`; `common` holds -v/-q once parsed.
    virtual void setup(CLI::App& app, const CommonOptions& common) = 0;
    virtual int run() = 0;
    bool selected = false;
};

using SubcommandMaker = std::unique_ptr<Subcommand> (*)();

// The whole main() of a tool made of subcommands: the common options, one
// subcommand required, each set up in the order given, then run_cli.
int run_subcommands(CLI::App& app, int argc, char** argv, std::initializer_list<SubcommandMaker> makers);

// "<tool>: error: <message>" on stderr, one line: control characters and
// bytes that are not UTF-8 in the message are escaped (ima/printable.hpp).
void print_error(const std::string& tool, const std::string& message);
// "<tool>: warning: <message>" on stderr, escaped the same way.
void print_warning(const std::string& tool, const std::string& message);

// A JSON document as text, strings that are not UTF-8 (file names) with
// U+FFFD in place of the bad bytes; print_json writes it and a newline on stdout.
std::string json_text(const nlohmann::json& doc);
void print_json(const nlohmann::json& doc);

// Raises the soft RLIMIT_NOFILE to the hard limit (the tree walker keeps a
// descriptor per folder with queued files). run_cli calls it at start-up.
void raise_fd_limit();

}  // namespace ima
