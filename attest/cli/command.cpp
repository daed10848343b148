#include "command.hpp"

#include <cstdio>
#include <iostream>

#include "ima/error.hpp"
#include "ima/file_io.hpp"

namespace ima::attest::cli {

void LogArgs::add_to(CLI::App* sub, bool positional) {
    if (positional)
        sub->add_option("LOG", path, "Binary measurement list (default: " + default_log + "; - for stdin)");
    else
        sub->add_option("--log", path, "Binary measurement list to compare with");
    sub->add_option("--byte-order", byte_order,
                    "Integers in the list: auto (the first entry decides), host, little, big")
        ->check(CLI::IsMember({"auto", "host", "little", "big"}));
    sub->add_flag("--canonical", canonical, "The kernel ran with ima_canonical_fmt (little-endian)");
    sub->add_option("--log-algo", log_algo,
                    "Algorithm of the recorded template digests (default: sha1, or the _ALGO of "
                    "binary_runtime_measurements_ALGO)");
}

std::unique_ptr<measurement::LoadedList> LogArgs::load() const {
    measurement::ParseOptions o;
    if (canonical && byte_order != "auto" && byte_order != "little")
        throw UsageError("--canonical means little-endian; it conflicts with --byte-order " + byte_order);
    if (canonical || byte_order == "little")
        o.order = measurement::OrderChoice::little;
    else if (byte_order == "big")
        o.order = measurement::OrderChoice::big;
    else if (byte_order == "host")
        o.order = measurement::OrderChoice::host;
    o.digest_algo = log_algo.empty() ? measurement::digest_algo_from_file_name(path) : parse_hash_algo(log_algo);
    return measurement::load_measurement_list(path, o);
}

void SourceArgs::add_to(CLI::App* sub, bool with_eventlog) {
    auto* pcrs =
        sub->add_option("--pcrs", src.pcr_files,
                        "PCR values from FILE ('PCR-NN: hex' lines) or ALGO,FILE (repeatable; default bank sha1)")
            ->allow_extra_args(false);
    auto* tpm = sub->add_flag("--tpm", src.tpm, "Read the PCRs from the TPM through tpm2-tss");
    sub->add_option("--tcti", src.tcti,
                    "TCTI of the TPM: device:/dev/tpmrm0, swtpm:port=P ... (default: $IMAEVM_TCTI, $TPM2TOOLS_TCTI, "
                    "device:/dev/tpmrm0)");
    auto* sysfs = sub->add_flag("--sysfs", src.sysfs, "Read /sys/class/tpm/tpm0/pcr-ALGO/N (the default)");
    sub->add_option("--sysfs-dir", src.sysfs_dir, "The TPM's sysfs folder for --sysfs")->capture_default_str();
    pcrs->excludes(tpm)->excludes(sysfs);
    tpm->excludes(sysfs);
    if (with_eventlog) {
        auto* ev = sub->add_option("--eventlog", src.eventlog,
                                   "Replay a TCG event log (binary_bios_measurements) for PCRs 0-9");
        ev->excludes(pcrs)->excludes(tpm)->excludes(sysfs);
    }
}

Bytes parse_nonce(const std::string& hex) {
    Bytes nonce;
    try {
        nonce = from_hex(hex, "--nonce");
    } catch (const FormatError& e) {
        throw UsageError(e.what());
    }
    if (nonce.empty()) throw UsageError("--nonce is empty: a quote without a nonce proves no freshness");
    return nonce;
}

tpm::AkFile read_ak_file(const std::string& path) {
    constexpr size_t kMaxAkFile = 64 * 1024;
    return read_parsed(path, ReadOptions{kMaxAkFile}, tpm::parse_ak_json);
}

Manifest load_manifest(const std::string& path) {
    return read_parsed(path, ReadOptions{.max_bytes = kMaxManifestBytes, .nul = Nul::refuse}, parse_manifest);
}

void print_json(const nlohmann::json& doc) {
    std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void print_raw(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
}

}  // namespace ima::attest::cli
