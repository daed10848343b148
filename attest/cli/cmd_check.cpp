// ima-attest check: the verifier's one verdict on a node's evidence (from
// `ima-attest quote`): the AK, the quote, the state kept between checks, the
// IMA list and the event log replayed against the quoted PCRs, and the
// entries the quote proved judged by signatures and manifest as `verify`
// judges them. One line per failed check on stdout, a summary on stderr;
// exit 0 trusted, 1 not. The state is written (atomically) only when trusted.
#include <unistd.h>

#include <iostream>

#include "command.hpp"
#include "ima/attest/check.hpp"
#include "ima/error.hpp"
#include "ima/file_io.hpp"
#include "ima/manifest.hpp"
#include "ima/printable.hpp"

namespace ima::attest::cli {
namespace {

using nlohmann::json;

constexpr size_t kMaxStateFile = 64 * 1024;
constexpr size_t kMaxCaBundle = 16 * 1024 * 1024;

class CheckCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        common_ = &common;
        auto* sub = app.add_subcommand("check", "Judge a node's evidence: AK, quote, state, IMA list and event log");
        sub->add_option("EVIDENCE", evidence_, "The evidence document from ima-attest quote (- for stdin)")->required();
        sub->add_option("--nonce", nonce_, "The nonce (hex) sent to the node for this quote")->required();
        sub->add_option("--ak", ak_, "The node's enrolled AK.json")->required();
        sub->add_option("--ek-ca", ek_cas_, "CA certificates (PEM bundle or DER) the EK certificate must chain to")
            ->allow_extra_args(false);
        sub->add_option("--state", state_, "The node's state file: read when present, written when trusted");
        sub->add_option("-c,--cert", certs_, "Certificate or public key the list's signatures may come from")
            ->allow_extra_args(false);
        sub->add_option("--manifest", manifest_, "Reference manifest written by ima-sign sign --manifest");
        sub->add_option("--root", root_, "Where the signed root was on the node (see verify)")->capture_default_str();
        sub->add_flag("--require-signatures", require_signatures_,
                      "A measured file without a signature in the list is a failure (needs -c)");
        sub->add_flag("--json", json_, "One JSON document on stdout: every check and its outcome");
        sub->callback([this] { selected = true; });
    }

    int run() override {
        if (require_signatures_ && certs_.empty()) throw UsageError("--require-signatures needs -c CERT");
        CheckInput in;
        in.nonce = parse_nonce(nonce_);
        tpm::AkFile ak = read_ak_file(ak_);
        in.ak = &ak;
        std::vector<Certificate> cas;
        for (const auto& path : ek_cas_) {
            Bytes data = read_bounded(path, ReadOptions{kMaxCaBundle});
            auto certs = parse_certificates(data, path);
            for (auto& c : certs) cas.push_back(std::move(c));
        }
        in.ek_cas = &cas;
        std::vector<VerifyKey> keys = load_verify_keys(certs_);
        if (!certs_.empty()) in.verify.keys = &keys;
        Manifest manifest;
        if (!manifest_.empty()) {
            manifest = load_manifest(manifest_);
            in.verify.manifest = &manifest;
        }
        in.verify.root = root_;
        in.verify.require_signatures = require_signatures_;
        std::optional<VerifierState> state;
        if (!state_.empty() && ::access(state_.c_str(), F_OK) == 0) {
            Bytes text = read_bounded(state_, ReadOptions{kMaxStateFile});
            try {
                state = parse_verifier_state(text);
            } catch (const FormatError& e) {
                throw FormatError(state_ + ": " + e.what());
            }
            in.state = &*state;
        }
        Evidence ev;
        {
            const std::string shown = evidence_ == "-" ? std::string("<stdin>") : evidence_;
            Bytes text = read_bounded(evidence_, ReadOptions{.max_bytes = kMaxEvidenceBytes, .allow_stdin = true});
            try {
                ev = parse_evidence(text);
            } catch (const FormatError& e) {
                throw FormatError(shown + ": " + e.what());
            }
        }
        in.evidence = &ev;
        CheckReport rep = check_evidence(in);
        const bool trusted = rep.trusted();
        if (trusted && !state_.empty()) write_atomic(state_, verifier_state_json(rep.next), 0600);
        if (json_)
            print_json(document(rep));
        else
            print_raw(text(rep));
        if (!common_->quiet) std::cerr << tool << ": check: " << summary(rep) << '\n';
        return trusted ? 0 : 1;
    }

private:
    std::string text(const CheckReport& rep) const {
        std::string out;
        for (const auto& c : rep.checks)
            if (!c.ok || common_->verbose)
                out += "check: " + c.name + (c.ok ? ": ok: " : ": failed: ") + printable(c.detail) + "\n";
        if (rep.verify)
            for (const auto& f : rep.verify->findings)
                out += "entry " + std::to_string(f.index) + " " + (f.path.empty() ? "-" : printable(f.path)) + ": " +
                       finding_name(f.what) + ": " + printable(f.detail) + "\n";
        return out;
    }

    static std::string summary(const CheckReport& rep) {
        if (rep.trusted()) {
            std::string s = "trusted: " + std::to_string(rep.checks.size()) + " checks passed";
            if (rep.list_entries)
                s +=
                    ", " + std::to_string(rep.proven_entries) + " of " + std::to_string(rep.list_entries) +
                    " list entries proven by the quote" +
                    (rep.incremental ? " (" + std::to_string(rep.replayed_entries) + " replayed after the state)" : "");
            return s;
        }
        std::vector<std::string> names;
        for (const auto& c : rep.checks)
            if (!c.ok) names.push_back(c.name);
        std::string s = "not trusted: " + std::to_string(names.size()) + " of " + std::to_string(rep.checks.size()) +
                        " checks failed (";
        for (size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
        return s + ")";
    }

    json document(const CheckReport& rep) const {
        json checks = json::array();
        for (const auto& c : rep.checks) checks.push_back({{"check", c.name}, {"ok", c.ok}, {"detail", c.detail}});
        json doc = {{"command", "check"},
                    {"trusted", rep.trusted()},
                    {"checks", checks},
                    {"list_entries", rep.list_entries},
                    {"proven_entries", rep.proven_entries},
                    {"replayed_entries", rep.replayed_entries},
                    {"incremental", rep.incremental}};
        if (rep.verify) {
            json findings = json::array();
            for (const auto& f : rep.verify->findings)
                findings.push_back(
                    {{"index", f.index}, {"path", f.path}, {"problem", finding_name(f.what)}, {"detail", f.detail}});
            doc["findings"] = findings;
        }
        return doc;
    }

    const CommonOptions* common_ = nullptr;
    std::string evidence_, nonce_, ak_, state_, manifest_, root_ = "auto";
    std::vector<std::string> ek_cas_, certs_;
    bool require_signatures_ = false, json_ = false;
};

}  // namespace

std::unique_ptr<Command> make_check() {
    return std::make_unique<CheckCmd>();
}

}  // namespace ima::attest::cli
