// ima-attest check: the verifier's one verdict on a node's evidence (from
// `ima-attest quote`): the AK, the quote, the state kept between checks, the
// IMA list and the event log replayed against the quoted PCRs, and the
// entries the quote proved judged by signatures and manifest as `verify`
// judges them. One line per failed check on stdout, a summary on stderr;
// exit 0 trusted, 1 not. The state is written (atomically) only when trusted.
// --batch judges many nodes in one process (a fleet's verifier), one line of
// JOBS each: EVIDENCE NONCE AK [STATE].
#include <malloc.h>
#include <unistd.h>

#include <iostream>
#include <sstream>

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
constexpr size_t kMaxJobsFile = 64 * 1024 * 1024;

struct Job {
    std::string evidence, nonce, ak, state;
    Bytes nonce_bytes;  // `nonce` read, before any job runs
};

// The JOBS file: one job a line, fields separated by blanks, '#' lines and
// blank lines skipped. Throws UsageError naming the line.
std::vector<Job> parse_jobs(const std::string& path) {
    Bytes data = read_bounded(path, ReadOptions{.max_bytes = kMaxJobsFile, .nul = Nul::refuse, .allow_stdin = true});
    std::istringstream in(std::string(data.begin(), data.end()));
    std::vector<Job> jobs;
    std::string line;
    for (size_t n = 1; std::getline(in, line); ++n) {
        std::istringstream fields(line);
        std::vector<std::string> f;
        for (std::string w; fields >> w;) f.push_back(w);
        if (f.empty() || f[0][0] == '#') continue;
        if (f.size() < 3 || f.size() > 4)
            throw UsageError(path + ": line " + std::to_string(n) + ": not EVIDENCE NONCE AK [STATE]");
        jobs.push_back({f[0], f[1], f[2], f.size() == 4 ? f[3] : "", {}});
    }
    if (jobs.empty()) throw UsageError(path + ": no jobs");
    return jobs;
}

class CheckCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        common_ = &common;
        auto* sub = app.add_subcommand("check", "Judge a node's evidence: AK, quote, state, IMA list and event log");
        auto* ev =
            sub->add_option("EVIDENCE", one_.evidence, "The evidence document from ima-attest quote (- for stdin)");
        auto* nonce = sub->add_option("--nonce", one_.nonce, "The nonce (hex) sent to the node for this quote");
        auto* ak = sub->add_option("--ak", one_.ak, "The node's enrolled AK.json");
        sub->add_option("--ek-ca", ek_cas_, "CA certificates (PEM bundle or DER) the EK certificate must chain to")
            ->allow_extra_args(false);
        auto* state =
            sub->add_option("--state", one_.state, "The node's state file: read when present, written when trusted");
        auto* batch = sub->add_option("--batch", batch_,
                                      "Judge many nodes: a file (- for stdin) of lines EVIDENCE NONCE AK [STATE]");
        batch->excludes(ev)->excludes(nonce)->excludes(ak)->excludes(state);
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
        std::vector<Job> jobs;
        if (batch_.empty()) {
            if (one_.evidence.empty() || one_.nonce.empty() || one_.ak.empty())
                throw UsageError("check needs EVIDENCE, --nonce and --ak (or --batch JOBS)");
            one_.nonce_bytes = parse_nonce(one_.nonce);
        } else {
            jobs = parse_jobs(batch_);
            for (auto& j : jobs) j.nonce_bytes = parse_nonce(j.nonce);
        }
        for (const auto& path : ek_cas_) {
            Bytes data = read_bounded(path, ReadOptions{kMaxCaBundle});
            for (auto& c : parse_certificates(data, path)) cas_.push_back(std::move(c));
        }
        keys_ = load_verify_keys(certs_);
        if (!manifest_.empty()) manifest_data_ = load_manifest(manifest_);
        if (batch_.empty()) return run_one();
        return run_batch(jobs);
    }

private:
    int run_one() {
        CheckReport rep = check(one_);
        const bool trusted = rep.trusted();
        if (json_)
            print_json(document(rep));
        else
            print_raw(text(rep, ""));
        if (!common_->quiet) std::cerr << tool << ": check: " << summary(rep) << '\n';
        return trusted ? 0 : 1;
    }

    // Every job is judged; one that cannot be read is a node not trusted.
    int run_batch(const std::vector<Job>& jobs) {
        // Each job allocates and frees the same few large buffers (the
        // document, the list): kept by the allocator rather than handed back
        // to the kernel and faulted in again for the next node.
        mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest
        mallopt(M_TRIM_THRESHOLD, 512 << 20);
        size_t trusted = 0;
        json results = json::array();
        for (const auto& j : jobs) {
            const std::string who = printable(j.evidence);
            try {
                CheckReport rep = check(j);
                trusted += rep.trusted();
                if (json_) {
                    json d = document(rep);
                    d["evidence"] = j.evidence;
                    results.push_back(d);
                } else {
                    print_raw(who + ": " + summary(rep) + "\n" + text(rep, who + ": "));
                }
            } catch (const Error& e) {
                if (e.kind() == ErrorKind::usage) throw;
                if (json_)
                    results.push_back({{"evidence", j.evidence}, {"trusted", false}, {"error", e.what()}});
                else
                    print_raw(who + ": not trusted: error: " + printable(e.what()) + "\n");
            }
        }
        if (json_) print_json({{"command", "check"}, {"batch", results}});
        if (!common_->quiet)
            std::cerr << tool << ": check: " << trusted << " of " << jobs.size() << " nodes trusted" << '\n';
        return trusted == jobs.size() ? 0 : 1;
    }

    CheckReport check(const Job& j) const {
        CheckInput in;
        in.nonce = j.nonce_bytes;
        tpm::AkFile ak = read_ak_file(j.ak);
        in.ak = &ak;
        in.ek_cas = &cas_;
        if (!certs_.empty()) in.verify.keys = &keys_;
        if (!manifest_.empty()) in.verify.manifest = &manifest_data_;
        in.verify.root = root_;
        in.verify.require_signatures = require_signatures_;
        std::optional<VerifierState> state;
        if (!j.state.empty() && ::access(j.state.c_str(), F_OK) == 0) {
            state = read_parsed(j.state, ReadOptions{kMaxStateFile}, parse_verifier_state);
            in.state = &*state;
        }
        const Evidence ev =
            read_parsed(j.evidence, ReadOptions{.max_bytes = kMaxEvidenceBytes, .allow_stdin = true}, parse_evidence);
        in.evidence = &ev;
        CheckReport rep = check_evidence(in);
        if (rep.trusted() && !j.state.empty()) write_atomic(j.state, verifier_state_json(rep.next), 0600);
        return rep;
    }

    std::string text(const CheckReport& rep, const std::string& prefix) const {
        std::string out;
        for (const auto& c : rep.checks)
            if (!c.ok || common_->verbose)
                out += prefix + "check: " + c.name + (c.ok ? ": ok: " : ": failed: ") + printable(c.detail) + "\n";
        if (rep.verify)
            for (const auto& f : rep.verify->findings)
                out += prefix + "entry " + std::to_string(f.index) + " " + (f.path.empty() ? "-" : printable(f.path)) +
                       ": " + finding_name(f.what) + ": " + printable(f.detail) + "\n";
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
    Job one_;
    std::string batch_, manifest_, root_ = "auto";
    std::vector<std::string> ek_cas_, certs_;
    bool require_signatures_ = false, json_ = false;
    std::vector<Certificate> cas_;
    std::vector<VerifyKey> keys_;
    Manifest manifest_data_;
};

}  // namespace

std::unique_ptr<Command> make_check() {
    return std::make_unique<CheckCmd>();
}

}  // namespace ima::attest::cli
