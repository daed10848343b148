// ima-attest quote: on the attested machine, a TPM2_Quote by the AK of
// AK.json over the verifier's nonce, the PCR values it covers, and the
// measurement lists and firmware event log read after it (a list only grows:
// the verifier finds the prefix that the quote covers), in one versioned
// JSON evidence document (binary fields base64):
//   {"version": 1, "type": "ima-attest evidence", "nonce": HEX, "ak_name": HEX,
//    "selection": SEL, "quote": {"message": B64, "signature": B64},
//    "pcrs": {BANK: {"N": HEX}},
//    "ima": {"staged": [B64...], "log": B64, "banks": {ALGO: B64}}, "eventlog": B64}
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>
#include <optional>

#include "command.hpp"
#include "ima/error.hpp"
#include "ima/file_io.hpp"
#include "ima/tpm/keys.hpp"

namespace ima::attest::cli {
namespace {

using nlohmann::json;

constexpr size_t kMaxList = size_t{1} << 30;       // a measurement list of millions of entries
constexpr size_t kMaxEventLog = 16 * 1024 * 1024;  // as the event log parser reads
const std::string kDefaultEventLog = "/sys/kernel/security/tpm0/binary_bios_measurements";

bool exists(const std::string& path) {
    return ::access(path.c_str(), F_OK) == 0;
}

class QuoteCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        common_ = &common;
        auto* sub = app.add_subcommand("quote", "Quote the PCRs with the AK and write the evidence for the verifier");
        sub->add_option("--ak", ak_, "AK.json made by ak create on this machine")->required();
        sub->add_option("--nonce", nonce_, "The verifier's nonce (hex, 1 to 64 bytes)")->required();
        sub->add_option("--pcrs", pcrs_, "PCR selection, tpm2-tools' syntax (default: 0-9,10,14 of every bank)");
        sub->add_option("--tcti", tcti_,
                        "TCTI of the TPM (default: $IMAEVM_TCTI, $TPM2TOOLS_TCTI, device:/dev/tpmrm0)");
        sub->add_option("--log", log_, "The IMA measurement list (default: the kernel's; left out when absent)");
        sub->add_option("--staged", staged_,
                        "A chunk of the list the kernel staged and deleted, saved before (repeatable, oldest first)")
            ->allow_extra_args(false);
        sub->add_option("--eventlog", eventlog_, "The TCG event log (default: the kernel's; left out when absent)");
        sub->add_option("--tpm2-files", tpm2_dir_,
                        "Also write DIR/message, DIR/signature, DIR/pcrs as tpm2_quote does");
        sub->add_option("-o,--output", out_, "The evidence document, - for stdout")->required();
        sub->callback([this] { selected = true; });
    }

    int run() override {
        const Bytes nonce = parse_nonce(nonce_);
        std::vector<quote::PcrBankSelection> sel;
        if (!pcrs_.empty()) sel = quote::parse_selection(pcrs_);
        tpm::AkFile ak = read_ak_file(ak_);
        tpm::Tpm t(tcti_.empty() ? tpm::default_tcti() : tcti_);
        if (sel.empty())
            for (HashAlgo h : t.pcr_banks())
                if (auto alg = tpm_alg_from_hash_algo(h)) sel.push_back({*alg, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14}});
        tpm::TpmQuote q = tpm::make_quote(t, ak, nonce, sel);

        json doc = {{"version", 1},
                    {"type", "ima-attest evidence"},
                    {"nonce", to_hex(nonce)},
                    {"ak_name", to_hex(tpm::name_of(tpm::parse_public(ak.ak_public)))},
                    {"selection", quote::selection_text(sel)},
                    {"quote", {{"message", tpm::to_base64(q.message)}, {"signature", tpm::to_base64(q.signature)}}}};
        json banks = json::object();
        size_t i = 0;
        for (const auto& b : sel)
            for (unsigned pcr : b.pcrs)
                banks[hash_algo_info(*hash_algo_from_tpm_alg(b.tpm_alg)).name][std::to_string(pcr)] =
                    to_hex(q.pcrs.values[i++]);
        doc["pcrs"] = banks;
        // Read after the quote: what was quoted is a prefix of them.
        add_logs(doc);
        std::string text = json_text(doc);
        text += '\n';
        if (!tpm2_dir_.empty()) write_tpm2_files(q);
        if (out_ == "-")
            print_raw(text);
        else
            write_atomic(out_, text, 0644);
        if (!common_->quiet)
            std::cerr << tool << ": quote: " << quote::selection_text(sel) << " quoted by AK "
                      << doc["ak_name"].get<std::string>() << (doc.contains("ima") ? ", with the IMA list" : "")
                      << (doc.contains("eventlog") ? ", with the event log" : "") << '\n';
        return 0;
    }

private:
    // A file named on the command line must be read; the kernel's default
    // is left out when this machine has none (no IMA, no event log).
    static std::optional<Bytes> read_log(const std::string& given, const std::string& fallback, size_t max) {
        const std::string& path = given.empty() ? fallback : given;
        if (given.empty() && !exists(path)) return std::nullopt;
        return read_bounded(path, ReadOptions{max});
    }

    void add_logs(json& doc) const {
        if (auto list = read_log(log_, default_log, kMaxList)) {
            doc["ima"] = {{"log", tpm::to_base64(*list)}, {"banks", json::object()}};
            if (!staged_.empty()) {
                json chunks = json::array();
                for (const auto& path : staged_)
                    chunks.push_back(tpm::to_base64(read_bounded(path, ReadOptions{kMaxList})));
                doc["ima"]["staged"] = chunks;
            }
            // The kernel's per-bank lists beside it (binary_runtime_measurements_ALGO).
            const std::string base = log_.empty() ? default_log : log_;
            for (const char* algo : {"sha1", "sha256", "sha384", "sha512"}) {
                const std::string bank = base + "_" + algo;
                if (exists(bank)) doc["ima"]["banks"][algo] = tpm::to_base64(read_bounded(bank, ReadOptions{kMaxList}));
            }
        }
        if (!staged_.empty() && !doc.contains("ima"))
            throw UsageError("--staged chunks need the live list they came from (--log)");
        if (auto ev = read_log(eventlog_, kDefaultEventLog, kMaxEventLog)) doc["eventlog"] = tpm::to_base64(*ev);
    }

    void write_tpm2_files(const tpm::TpmQuote& q) const {
        if (::mkdir(tpm2_dir_.c_str(), 0755) != 0 && errno != EEXIST)
            throw IoError("cannot create " + tpm2_dir_, errno);
        write_atomic(tpm2_dir_ + "/message", q.message, 0644);
        write_atomic(tpm2_dir_ + "/signature", q.signature, 0644);
        write_atomic(tpm2_dir_ + "/pcrs", quote::tpm2_pcrs_file(q.pcrs), 0644);
    }

    const CommonOptions* common_ = nullptr;
    std::string ak_, nonce_, pcrs_, tcti_, log_, eventlog_, tpm2_dir_, out_;
    std::vector<std::string> staged_;
};

}  // namespace

std::unique_ptr<Command> make_quote() {
    return std::make_unique<QuoteCmd>();
}

}  // namespace ima::attest::cli
