// The pieces every ima-attest subcommand shares: the subcommand makers, the
// measurement list argument with its byte order, the PCR source options and
// JSON output. One file a subcommand (cmd_*.cpp) holds its options and run().
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ima/attest/pcr_source.hpp"
#include "ima/cli.hpp"
#include "ima/error.hpp"
#include "ima/file_io.hpp"
#include "ima/manifest.hpp"
#include "ima/measurement/list.hpp"
#include "ima/tpm/ak_file.hpp"

namespace ima::attest::cli {

inline const std::string tool = "ima-attest";
inline const std::string default_log = "/sys/kernel/security/ima/binary_runtime_measurements";

using Command = Subcommand;

std::unique_ptr<Command> make_show();
std::unique_ptr<Command> make_replay();
std::unique_ptr<Command> make_verify();
std::unique_ptr<Command> make_boot_aggregate();
std::unique_ptr<Command> make_pcrs();
std::unique_ptr<Command> make_check_quote();
std::unique_ptr<Command> make_ak();
std::unique_ptr<Command> make_credential();
std::unique_ptr<Command> make_quote();
std::unique_ptr<Command> make_check();

// LOG and how to read it.
struct LogArgs {
    std::string path = default_log;
    std::string byte_order = "auto";
    bool canonical = false;
    std::string log_algo;  // empty: from the file name

    void add_to(CLI::App* sub, bool positional = true);
    // Reads and parses the list. Throws IoError, FormatError, UsageError.
    std::unique_ptr<measurement::LoadedList> load() const;
};

// --pcrs/--tpm/--tcti/--sysfs (and --eventlog where it applies).
struct SourceArgs {
    PcrSource src;
    void add_to(CLI::App* sub, bool with_eventlog);
};

// --nonce: hex, not empty. Throws UsageError.
Bytes parse_nonce(const std::string& hex);

// `parse` over the bytes of `path`, read as `opts`, its FormatErrors named by
// the file ("<stdin>" for -).
template <class Parse>
auto read_parsed(const std::string& path, const ReadOptions& opts, Parse parse) {
    Bytes data = read_bounded(path, opts);
    try {
        return parse(ByteView(data));
    } catch (const FormatError& e) {
        throw FormatError((path == "-" ? std::string("<stdin>") : path) + ": " + e.what());
    }
}

// AK.json at `path` (64 KiB at most), its errors named by the file.
tpm::AkFile read_ak_file(const std::string& path);

// The reference manifest at `path` (ima-sign sign --manifest), its errors
// named by the file.
Manifest load_manifest(const std::string& path);

// One JSON document on stdout; bytes that are not UTF-8 (paths) are replaced.
void print_json(const nlohmann::json& doc);

// Writes text to stdout as it is (paths are bytes).
void print_raw(const std::string& text);

}  // namespace ima::attest::cli
