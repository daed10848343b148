// ima-attest pcrs: read PCR values and print them as --pcrs files hold them.
#include "command.hpp"

namespace ima::attest::cli {
namespace {

using nlohmann::json;
using namespace ima::measurement;

class PcrsCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        common_ = &common;
        auto* sub = app.add_subcommand("pcrs", "Print PCR values ('# ALGO' then 'PCR-NN: hex' lines, as --pcrs reads)");
        source_.add_to(sub, true);
        sub->add_option("--bank", bank_, "sha1, sha256, sha384, sha512 or all")->capture_default_str();
        sub->add_flag("--json", json_, "One JSON document on stdout");
        sub->callback([this] { selected = true; });
    }

    int run() override {
        std::vector<HashAlgo> wanted = parse_bank_option(bank_);
        PcrValues pcrs = source_.src.read(wanted);
        std::vector<HashAlgo> banks = select_banks(wanted, pcrs);
        if (json_) {
            json doc = {{"pcr_source", pcrs.source}, {"banks", json::object()}};
            for (HashAlgo b : banks) {
                json values = json::object();
                for (const auto& [n, v] : *pcrs.bank(b)) values[std::to_string(n)] = to_hex(v);
                doc["banks"][hash_algo_info(b).name] = values;
            }
            print_json(doc);
            return 0;
        }
        std::string out;
        for (HashAlgo b : banks)
            out += "# " + std::string(hash_algo_info(b).name) + "\n" + format_pcr_lines(*pcrs.bank(b));
        print_raw(out);
        return 0;
    }

private:
    const CommonOptions* common_ = nullptr;
    SourceArgs source_;
    std::string bank_ = "all";
    bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> make_pcrs() {
    return std::make_unique<PcrsCmd>();
}

}  // namespace ima::attest::cli
