// ima-attest boot-aggregate: IMA's boot_aggregate from PCRs 0-9 (a TPM, a
// PCR file, sysfs or a replayed firmware event log), optionally checked
// against the list's boot_aggregate entry.
#include <iostream>

#include "command.hpp"
#include "ima/error.hpp"
#include "ima/measurement/boot_aggregate.hpp"

namespace ima::attest::cli {
namespace {

using nlohmann::json;
using namespace ima::measurement;

class BootAggregateCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        common_ = &common;
        auto* sub = app.add_subcommand("boot-aggregate",
                                       "Compute boot_aggregate per bank (as evmctl ima_boot_aggregate prints it)");
        source_.add_to(sub, true);
        sub->add_option("--bank", bank_, "sha1, sha256, sha384, sha512 or all")->capture_default_str();
        log_.add_to(sub, false);
        log_.path.clear();
        sub->add_flag("--json", json_, "One JSON document on stdout");
        sub->callback([this] { selected = true; });
    }

    int run() override {
        std::vector<HashAlgo> wanted = parse_bank_option(bank_);
        PcrValues pcrs = source_.src.read(wanted);
        std::vector<HashAlgo> banks = select_banks(wanted, pcrs);
        std::map<HashAlgo, Bytes> agg;
        for (HashAlgo b : banks) {
            try {
                agg[b] = boot_aggregate(b, *pcrs.bank(b));
            } catch (const FormatError& e) {
                throw Error(ErrorKind::env, pcrs.source + ": " + e.what());
            }
        }
        json doc = {{"pcr_source", pcrs.source}};
        std::string out;
        for (const auto& [b, d] : agg) {
            out += std::string(hash_algo_info(b).name) + ":" + to_hex(d) + "\n";
            doc["boot_aggregate"][hash_algo_info(b).name] = to_hex(d);
        }
        int status = 0;
        if (!log_.path.empty()) status = compare(pcrs, agg, out, doc);
        if (json_)
            print_json(doc);
        else
            print_raw(out);
        return status;
    }

private:
    // Compares with the list's boot_aggregate entry: its algorithm picks the bank.
    int compare(const PcrValues& pcrs, std::map<HashAlgo, Bytes>& agg, std::string& out, json& doc) const {
        auto l = log_.load();
        auto entry = find_boot_aggregate(l->list);
        if (!entry) throw FormatError(log_.path + ": no boot_aggregate entry");
        const DigestField& d = entry->digest;
        if (!d.algo) throw FormatError(log_.path + ": boot_aggregate with unknown algorithm '" + d.algo_name + "'");
        if (!agg.count(*d.algo)) {
            const PcrMap* bank = pcrs.bank(*d.algo);
            if (!bank)
                throw Error(ErrorKind::env,
                            pcrs.source + ": no " + d.algo_name + " PCRs for the list's boot_aggregate");
            agg[*d.algo] = boot_aggregate(*d.algo, *bank);
        }
        Bytes logged(d.digest.begin(), d.digest.end());
        bool match = agg[*d.algo] == logged;
        out +=
            std::string("boot_aggregate of the list (entry ") + std::to_string(entry->entry->index) + "): " +
            (match ? "match (" + d.algo_name + ")" : "MISMATCH: the list has " + d.algo_name + ":" + to_hex(logged)) +
            "\n";
        doc["log"] = {{"path", log_.path}, {"algo", d.algo_name}, {"digest", to_hex(logged)}, {"match", match}};
        return match ? 0 : 1;
    }

    const CommonOptions* common_ = nullptr;
    SourceArgs source_;
    LogArgs log_;
    std::string bank_ = "all";
    bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> make_boot_aggregate() {
    return std::make_unique<BootAggregateCmd>();
}

}  // namespace ima::attest::cli
