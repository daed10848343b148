// ima-attest verify: signatures in the list against certificates, file
// digests against a reference manifest, template digests against the data.
#include <iostream>

#include "command.hpp"
#include "ima/attest/verify_list.hpp"
#include "ima/error.hpp"
#include "ima/file_io.hpp"
#include "ima/manifest.hpp"
#include "ima/printable.hpp"

namespace ima::attest::cli {
namespace {

using nlohmann::json;

class VerifyCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        common_ = &common;
        auto* sub = app.add_subcommand(
            "verify", "Check the list's signatures against certificates and its file digests against a manifest");
        log_.add_to(sub);
        sub->add_option("-c,--cert", certs_, "Certificate or public key the signatures may come from (repeatable)")
            ->allow_extra_args(false);
        sub->add_option("--manifest", manifest_, "Reference manifest written by ima-sign sign --manifest");
        sub->add_option(
               "--root", opts_.root,
               "Where the signed root was on the measured machine (list paths under it map to manifest paths); "
               "auto: the prefix that maps the most paths")
            ->capture_default_str();
        sub->add_flag("--require-signatures", opts_.require_signatures,
                      "A measured file without a signature in the list is a failure (needs -c)");
        sub->add_flag("--json", json_, "One JSON document on stdout");
        sub->callback([this] { selected = true; });
    }

    int run() override {
        if (certs_.empty() && manifest_.empty())
            throw UsageError("verify: nothing to check: give -c CERT and/or --manifest FILE");
        if (opts_.require_signatures && certs_.empty()) throw UsageError("--require-signatures needs -c CERT");
        std::vector<VerifyKey> keys = load_verify_keys(certs_);
        Manifest manifest;
        if (!manifest_.empty()) {
            manifest = load_manifest(manifest_);
            opts_.manifest = &manifest;
        }
        if (!certs_.empty()) opts_.keys = &keys;
        auto l = log_.load();
        VerifyReport rep = verify_list(l->list, opts_);
        if (json_) {
            print_json(document(rep));
            return rep.ok() ? 0 : 1;
        }
        std::string out;
        // Names come from the measured machine: escaped, so that none can end a line.
        auto line = [&](size_t index, const std::string& path, const std::string& what) {
            out += "entry " + std::to_string(index) + " " + (path.empty() ? "-" : printable(path)) + ": " +
                   printable(what) + "\n";
        };
        if (common_->verbose > 0)
            for (const auto& p : rep.passed) line(p.index, p.path, "ok: " + p.what);
        for (const auto& f : rep.findings) line(f.index, f.path, std::string(finding_name(f.what)) + ": " + f.detail);
        print_raw(out);
        if (!common_->quiet) {
            std::string sum = "verify: " + std::to_string(rep.entries) + " entries";
            if (opts_.keys) sum += ", " + std::to_string(rep.signatures_good) + " good signatures";
            if (opts_.manifest)
                sum += ", " + std::to_string(rep.manifest_matched) + " files match the manifest (root " + rep.root +
                       ", " + std::to_string(rep.not_measured.size()) + " of its files not measured, " +
                       std::to_string(rep.outside_root) + " entries outside the root)";
            sum += ", " + std::to_string(rep.findings.size()) + " problem" + (rep.findings.size() == 1 ? "" : "s");
            std::cerr << tool << ": " << sum << '\n';
        }
        return rep.ok() ? 0 : 1;
    }

private:
    json document(const VerifyReport& rep) const {
        json findings = json::array();
        for (const auto& f : rep.findings)
            findings.push_back(
                {{"index", f.index}, {"path", f.path}, {"problem", finding_name(f.what)}, {"detail", f.detail}});
        json passed = json::array();
        for (const auto& p : rep.passed) passed.push_back({{"index", p.index}, {"path", p.path}, {"check", p.what}});
        json doc = {{"log", log_.path},     {"entries", rep.entries}, {"violations", rep.violations},
                    {"findings", findings}, {"passed", passed},       {"ok", rep.ok()}};
        if (opts_.keys) doc["good_signatures"] = rep.signatures_good;
        if (opts_.manifest)
            doc["manifest"] = {{"path", manifest_},
                               {"root", rep.root},
                               {"matched", rep.manifest_matched},
                               {"outside_root", rep.outside_root},
                               {"not_measured", rep.not_measured}};
        return doc;
    }

    const CommonOptions* common_ = nullptr;
    LogArgs log_;
    std::vector<std::string> certs_;
    std::string manifest_;
    VerifyOptions opts_;
    bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> make_verify() {
    return std::make_unique<VerifyCmd>();
}

}  // namespace ima::attest::cli
