// ima-attest replay: replay the list into each PCR bank and compare with the
// TPM's values; name the first entry where they part ways when it can be found.
#include <iostream>

#include "command.hpp"
#include "ima/measurement/fields.hpp"
#include "ima/measurement/replay.hpp"
#include "ima/printable.hpp"

namespace ima::attest::cli {
namespace {

using nlohmann::json;
using namespace ima::measurement;

std::string entry_label(const MeasurementList& list, size_t index) {
    const Entry& e = list.entries[index - 1];
    return "entry " + std::to_string(index) + " (" +
           printable(entry_event_name(e).value_or(std::string(e.template_name))) + ")";
}

std::string pcr_list(const std::vector<unsigned>& pcrs) {
    std::string s;
    for (unsigned p : pcrs) s += (s.empty() ? "" : ", ") + std::to_string(p);
    return s;
}

class ReplayCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        common_ = &common;
        auto* sub = app.add_subcommand("replay", "Replay the list into every PCR bank and compare with the TPM");
        log_.add_to(sub);
        source_.add_to(sub, false);
        sub->add_option("--bank", bank_, "sha1, sha256, sha384, sha512 or all (every bank the source has)")
            ->capture_default_str();
        sub->add_flag("--ignore-violations", ignore_violations_,
                      "Accept a list with violations (files changed while open or measured)");
        sub->add_flag("--json", json_, "One JSON document on stdout");
        sub->callback([this] { selected = true; });
    }

    int run() override {
        std::vector<HashAlgo> wanted = parse_bank_option(bank_);
        // The PCRs first, then the list: a list read later holds at least
        // every measurement the PCRs cover (the kernel appends, then extends).
        PcrValues pcrs = source_.src.read(wanted);
        std::vector<HashAlgo> banks = select_banks(wanted, pcrs);
        auto l = log_.load();
        const MeasurementList& list = l->list;
        ReplayResult r = replay(list, ReplayOptions{banks, &pcrs});
        bool ok = r.entries > 0 && r.bad_template_digest.empty() && (r.violations.empty() || ignore_violations_);
        for (const auto& b : r.banks) ok = ok && b.matched;
        if (!common_->quiet)
            for (const auto& name : list.unknown_templates)
                print_warning(tool, "template '" + name + "' is unknown: its entries are replayed, not interpreted");
        if (json_)
            print_json(document(list, pcrs, r, ok));
        else
            print_text(list, pcrs, r, ok);
        return ok ? 0 : 1;
    }

private:
    void print_text(const MeasurementList& list, const PcrValues& pcrs, const ReplayResult& r, bool ok) const {
        std::string out;
        if (r.entries == 0)
            out += "the list holds no entries: nothing ties the PCR values to a measurement (" + pcrs.source + ")\n";
        for (const auto& b : r.banks) {
            const char* name = hash_algo_info(b.bank).name;
            if (b.matched) {
                out += std::string(name) + ": match: PCR " + pcr_list(r.pcrs);
                if (b.matched_entries == r.entries)
                    out += " (" + std::to_string(r.entries) + " entries, " + extend_rule_name(b.rule) + ")\n";
                else
                    out += " after entry " + std::to_string(b.matched_entries) + " of " + std::to_string(r.entries) +
                           " (" + extend_rule_name(b.rule) + "; the " + std::to_string(r.entries - b.matched_entries) +
                           " later entries are not covered by the PCR values)\n";
                continue;
            }
            if (r.entries == 0) continue;
            for (unsigned p : b.mismatched_pcrs)
                out += std::string(name) + ": MISMATCH: PCR " + std::to_string(p) + ": replayed " +
                       to_hex(b.replayed.at(p)) + ", expected " + to_hex(pcrs.bank(b.bank)->at(p)) + " (" +
                       pcrs.source + ")\n";
            if (b.recorded_matches && !r.bad_template_digest.empty())
                out += std::string(name) +
                       ": the PCR values match the recorded template digests: the list was altered after it was "
                       "measured, first at " +
                       entry_label(list, r.bad_template_digest.front()) + "\n";
        }
        for (size_t i : r.bad_template_digest)
            out += entry_label(list, i) + ": the recorded template digest does not match the entry's data\n";
        bool any_mismatch = false;
        for (const auto& b : r.banks) any_mismatch = any_mismatch || !b.matched;
        if (any_mismatch && r.entries > 0 && r.bad_template_digest.empty())
            out +=
                "the list and the PCR values part ways at an entry that cannot be singled out (every recorded template "
                "digest matches its data): entries are missing, reordered, or were rewritten with new digests\n";
        if (!r.violations.empty()) {
            std::string which;
            for (size_t k = 0; k < r.violations.size() && k < 5; ++k)
                which += (k ? ", " : "") + std::to_string(r.violations[k]);
            if (r.violations.size() > 5) which += ", ...";
            out += std::to_string(r.violations.size()) + " violation" + (r.violations.size() == 1 ? "" : "s") +
                   " (entr" + (r.violations.size() == 1 ? "y " : "ies ") + which +
                   "): a file changed while it was open or measured; replayed as all-ones" +
                   (ignore_violations_ ? ", ignored\n" : "; not accepted without --ignore-violations\n");
        }
        if (!common_->quiet || !ok) print_raw(out);
    }

    json document(const MeasurementList& list, const PcrValues& pcrs, const ReplayResult& r, bool ok) const {
        json banks = json::array();
        for (const auto& b : r.banks) {
            json values = json::object();
            for (unsigned p : r.pcrs)
                values[std::to_string(p)] = {{"replayed", to_hex(b.replayed.at(p))},
                                             {"expected", to_hex(pcrs.bank(b.bank)->at(p))}};
            json j = {{"bank", hash_algo_info(b.bank).name},
                      {"matched", b.matched},
                      {"rule", extend_rule_id(b.rule)},
                      {"pcrs", values}};
            if (b.matched) j["matched_entries"] = b.matched_entries;
            if (b.recorded_matches) j["recorded_digests_match"] = true;
            banks.push_back(std::move(j));
        }
        json bad = json::array();
        for (size_t i : r.bad_template_digest)
            bad.push_back({{"index", i}, {"name", entry_event_name(list.entries[i - 1]).value_or("")}});
        return {{"log", log_.path},
                {"pcr_source", pcrs.source},
                {"entries", r.entries},
                {"byte_order", byte_order_name(list.order)},
                {"banks", banks},
                {"violations", r.violations},
                {"ignore_violations", ignore_violations_},
                {"bad_template_digests", bad},
                {"unknown_templates", list.unknown_templates},
                {"ok", ok}};
    }

    const CommonOptions* common_ = nullptr;
    LogArgs log_;
    SourceArgs source_;
    std::string bank_ = "all";
    bool ignore_violations_ = false;
    bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> make_replay() {
    return std::make_unique<ReplayCmd>();
}

}  // namespace ima::attest::cli
