#include "ima/attest/check.hpp"

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <algorithm>

#include "ima/error.hpp"
#include "ima/measurement/boot_aggregate.hpp"
#include "ima/measurement/eventlog.hpp"
#include "ima/measurement/fields.hpp"
#include "ima/measurement/replay.hpp"
#include "ima/ossl.hpp"
#include "ima/printable.hpp"
#include "ima/quote/quote.hpp"

namespace ima::attest {

namespace {

using measurement::PcrMap;
using measurement::PcrValues;

// The PCRs the event log is judged on: the firmware's, the boot loader's and
// shim's MOK state (IMA's PCR 10 is the list's).
constexpr unsigned kBootPcrs[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 14};

std::string bank_name(HashAlgo h) {
    return hash_algo_info(h).name;
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += sep;
        out += p;
    }
    return out;
}

// Entries [from, to) of `list`, the list's other fields kept.
measurement::MeasurementList entries_between(const measurement::MeasurementList& list, size_t from, size_t to) {
    measurement::MeasurementList part;
    part.order = list.order;
    part.digest_algo = list.digest_algo;
    part.templates = list.templates;
    part.unknown_templates = list.unknown_templates;
    part.entries.assign(list.entries.begin() + static_cast<std::ptrdiff_t>(from),
                        list.entries.begin() + static_cast<std::ptrdiff_t>(to));
    return part;
}

class Checker {
public:
    explicit Checker(const CheckInput& in) : in_(in), ev_(*in.evidence) {}

    CheckReport run() {
        const bool ak_ok = check_ak();
        // An AK.json whose public area does not parse has no key to check with.
        if (name_.empty()) return std::move(rep_);
        const bool quote_ok = check_quote_parts();
        if (quote_ok && ak_ok) check_state();
        // Nothing is replayed against values no verified quote covers.
        if (ak_ok && quote_ok && rep_.trusted()) {
            if (ev_.ima_log) check_ima_list();
            if (ev_.eventlog) check_event_log();
        }
        return std::move(rep_);
    }

private:
    void add(std::string name, bool ok, std::string detail) {
        rep_.checks.push_back({std::move(name), ok, std::move(detail)});
    }

    bool check_ak() {
        try {
            ak_pub_ = tpm::parse_public(in_.ak->ak_public);
            name_ = tpm::name_of(ak_pub_);
        } catch (const FormatError& e) {
            add("ak name", false, std::string("AK.json's public area: ") + e.what());
            return false;
        }
        const bool same = name_ == ev_.ak_name;
        add("ak name", same,
            same ? to_hex(name_)
                 : "the evidence is from AK " + to_hex(ev_.ak_name) + ", not the enrolled " + to_hex(name_));
        std::vector<std::string> problems = tpm::ak_problems(ak_pub_);
        add("ak attributes", problems.empty(),
            problems.empty() ? "restricted signing key, fixedTPM, fixedParent, sensitiveDataOrigin"
                             : join(problems, "; "));
        bool ok = same && problems.empty();
        if (in_.ek_cas && !in_.ek_cas->empty()) {
            std::string why;
            if (!in_.ak->ek_certificate) {
                why = "AK.json holds no EK certificate (the TPM's NV had none)";
            } else {
                try {
                    why = ek_certificate_problem(*in_.ak->ek_certificate, tpm::parse_public(in_.ak->ek_public),
                                                 *in_.ek_cas);
                } catch (const FormatError& e) {
                    why = std::string("AK.json's EK public area: ") + e.what();
                }
            }
            add("ek certificate", why.empty(), why.empty() ? "chains to an --ek-ca and holds the AK file's EK" : why);
            ok = ok && why.empty();
        }
        return ok;
    }

    bool check_quote_parts() {
        try {
            attest_ = quote::parse_attest(ev_.message);
        } catch (const FormatError& e) {
            add("quote message", false, e.what());
            return false;
        }
        quote::QuoteSignature sig;
        try {
            sig = quote::parse_quote_signature(ev_.signature);
        } catch (const FormatError& e) {
            add("quote signature", false, e.what());
            return false;
        }
        // The values in the quote's own selection order; one missing is no quote.
        quote::QuotedPcrs pcrs;
        pcrs.selection = attest_.selection;
        std::vector<std::string> missing;
        for (const auto& b : attest_.selection) {
            auto h = hash_algo_from_tpm_alg(b.tpm_alg);
            const PcrMap* map = nullptr;
            if (h) {
                auto it = ev_.pcrs.find(*h);
                if (it != ev_.pcrs.end()) map = &it->second;
            }
            for (unsigned p : b.pcrs) {
                auto v = map ? map->find(p) : PcrMap::const_iterator{};
                if (!map || v == map->end()) {
                    missing.push_back(tpm::tpm_alg_name(b.tpm_alg) + ":" + std::to_string(p));
                    pcrs.values.emplace_back();
                } else {
                    pcrs.values.push_back(v->second);
                }
            }
        }
        if (!missing.empty()) {
            add("pcr values", false, "the quote covers " + join(missing, ", ") + ", which the evidence does not carry");
            return false;
        }
        PKeyPtr key = tpm::public_key(ak_pub_);
        bool ok = true;
        for (auto& c : quote::check_quote(ev_.message, attest_, sig, pcrs, key.get(), in_.nonce)) {
            ok = ok && c.ok;
            add(c.name, c.ok, c.detail);
        }
        if (!ok) return false;
        // Proven from here on: the values the quote's digest covers.
        size_t i = 0;
        proven_.source = "the quote";
        for (const auto& b : attest_.selection)
            for (unsigned p : b.pcrs) proven_.banks[*hash_algo_from_tpm_alg(b.tpm_alg)][p] = pcrs.values[i++];
        rep_.next.ak_name = name_;
        rep_.next.clock = attest_.clock;
        rep_.next.reset_count = attest_.reset_count;
        rep_.next.restart_count = attest_.restart_count;
        return true;
    }

    void check_state() {
        const VerifierState* s = in_.state;
        if (!s) return;
        std::string why;
        if (s->ak_name != name_)
            why = "the state is AK " + to_hex(s->ak_name) + "'s, not this one's";
        else if (attest_.reset_count < s->reset_count)
            why = "reset count " + std::to_string(attest_.reset_count) + " is behind the state's " +
                  std::to_string(s->reset_count) + ": an old quote";
        else if (attest_.reset_count == s->reset_count && attest_.restart_count < s->restart_count)
            why = "restart count " + std::to_string(attest_.restart_count) + " is behind the state's " +
                  std::to_string(s->restart_count) + ": an old quote";
        else if (attest_.reset_count == s->reset_count && attest_.restart_count == s->restart_count &&
                 attest_.clock <= s->clock)
            why = "clock " + std::to_string(attest_.clock) + " is not ahead of the state's " +
                  std::to_string(s->clock) + ": an old quote replayed";
        same_boot_ = why.empty() && attest_.reset_count == s->reset_count && attest_.restart_count == s->restart_count;
        add("state", why.empty(),
            why.empty() ? (same_boot_ ? "clock ahead of the last trusted quote, the same boot"
                                      : "a new boot since the last trusted quote (reset or restart count ahead)")
                        : why);
    }

    void check_ima_list() {
        measurement::MeasurementList list;
        try {
            list = measurement::parse_measurement_list(*ev_.ima_log);
        } catch (const FormatError& e) {
            add("ima list", false, std::string("not a measurement list: ") + e.what());
            return;
        }
        rep_.list_entries = list.entries.size();
        std::vector<HashAlgo> banks;
        for (HashAlgo h : measurement::replay_banks())
            if (const PcrMap* m = proven_.bank(h); m && m->count(measurement::kImaPcr)) banks.push_back(h);
        if (banks.empty()) {
            add("ima list", false, "the quote covers PCR 10 in no bank: the list proves nothing");
            return;
        }
        // Within the same boot the state's entries were judged: go on after them.
        const VerifierState* s = in_.state;
        size_t start = 0;
        if (s && same_boot_ && s->ima_entries > 0) {
            if (s->ima_entries > list.entries.size()) {
                add("ima list", false,
                    "the list holds " + std::to_string(list.entries.size()) + " entries, fewer than the " +
                        std::to_string(s->ima_entries) + " a trusted check replayed in this boot");
                return;
            }
            bool have = std::all_of(banks.begin(), banks.end(), [&](HashAlgo h) { return s->ima_pcrs.bank(h); });
            if (have) start = s->ima_entries;
        }
        measurement::MeasurementList tail = entries_between(list, start, list.entries.size());
        measurement::ReplayOptions opts{banks, &proven_};
        if (start > 0) {
            opts.initial = &s->ima_pcrs;
            opts.initial_entries = start;
            rep_.incremental = true;
        }
        measurement::ReplayResult r;
        try {
            r = measurement::replay(tail, opts);
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::env) throw;
            add("ima list", false, e.what());
            return;
        }
        rep_.replayed_entries = tail.entries.size();
        std::vector<std::string> failed;
        size_t proven = list.entries.size();
        for (const auto& b : r.banks) {
            if (b.matched) {
                proven = std::min(proven, b.matched_entries);
                continue;
            }
            std::string why = bank_name(b.bank) + ": PCR";
            for (unsigned p : b.mismatched_pcrs) why += " " + std::to_string(p);
            why += " not reproduced by any prefix of the list";
            if (b.recorded_matches) why += " (the recorded digests reproduce it, the entries' data does not)";
            failed.push_back(why);
        }
        for (size_t index : r.bad_template_digest) {
            const std::string path = measurement::entry_event_name(list.entries[index - 1]).value_or("");
            failed.push_back("entry " + std::to_string(index) + " " + (path.empty() ? "-" : printable(path)) +
                             ": its template digest does not match its data (changed after it was measured)");
        }
        if (!failed.empty()) {
            add("ima list", false, join(failed, "; "));
            return;
        }
        rep_.proven_entries = proven;
        std::vector<std::string> names;
        for (const auto& b : r.banks) names.push_back(bank_name(b.bank));
        std::string detail = join(names, ", ") + ": PCR 10 reproduced by entries ";
        detail += start > 0 ? std::to_string(start + 1) + "-" + std::to_string(proven) + " after the state's " +
                                  std::to_string(start)
                            : "1-" + std::to_string(proven);
        detail += " of " + std::to_string(list.entries.size()) + " (" +
                  measurement::extend_rule_name(r.banks.front().rule) + ")";
        if (proven == start) detail = join(names, ", ") + ": no entries since the state's " + std::to_string(start);
        add("ima list", true, detail);
        rep_.next.ima_entries = proven;
        for (HashAlgo h : banks)
            for (unsigned p : r.pcrs) rep_.next.ima_pcrs.banks[h][p] = proven_.bank(h)->at(p);
        if (start == 0) check_boot_aggregate(list, proven);
        check_entries(list, start, proven);
    }

    void check_boot_aggregate(const measurement::MeasurementList& list, size_t proven) {
        auto entry = measurement::find_boot_aggregate(list);
        if (!entry || entry->entry->index != 1 || proven < 1) {
            add("boot_aggregate", false, "the list does not start with a boot_aggregate entry");
            return;
        }
        const auto& d = entry->digest;
        if (!d.algo) {
            add("boot_aggregate", false, "algorithm '" + printable(d.algo_name) + "' is unknown");
            return;
        }
        const PcrMap* bank = proven_.bank(*d.algo);
        Bytes want;
        try {
            if (!bank) throw FormatError("the quote covers no " + bank_name(*d.algo) + " PCRs");
            want = measurement::boot_aggregate(*d.algo, *bank);
        } catch (const FormatError& e) {
            add("boot_aggregate", false, std::string(e.what()) + ": cannot compute it from the quoted PCRs");
            return;
        }
        const bool same = std::equal(want.begin(), want.end(), d.digest.begin(), d.digest.end());
        add("boot_aggregate", same,
            same ? bank_name(*d.algo) + ":" + to_hex(want) + " from the quoted PCRs"
                 : "the list holds " + bank_name(*d.algo) + ":" + to_hex(d.digest) + ", the quoted PCRs give " +
                       to_hex(want));
    }

    // Signatures and manifest over the entries the quote proved and no
    // earlier check judged.
    void check_entries(const measurement::MeasurementList& list, size_t start, size_t proven) {
        if (!in_.verify.keys && !in_.verify.manifest) return;
        if (proven == start) return;  // nothing new to judge
        VerifyReport v = verify_list(entries_between(list, start, proven), in_.verify);
        const size_t n = v.findings.size();
        std::string what = in_.verify.keys && in_.verify.manifest ? "signatures and manifest"
                           : in_.verify.keys                      ? "signatures"
                                                                  : "manifest";
        add(what, n == 0,
            n == 0 ? std::to_string(v.entries) + " entries judged, " + std::to_string(v.signatures_good) +
                         " good signatures, " + std::to_string(v.manifest_matched) + " files match the manifest"
                   : std::to_string(n) + " problem" + (n == 1 ? "" : "s") + " in " + std::to_string(v.entries) +
                         " entries");
        rep_.verify = std::move(v);
    }

    void check_event_log() {
        measurement::EventLog log;
        std::map<HashAlgo, PcrMap> replayed;
        try {
            log = measurement::parse_event_log(*ev_.eventlog);
            replayed = measurement::replay_event_log(log);
        } catch (const FormatError& e) {
            add("event log", false, std::string("not a TCG event log: ") + e.what());
            return;
        }
        std::vector<std::string> wrong, judged;
        for (const auto& [h, values] : replayed) {
            const PcrMap* quoted = proven_.bank(h);
            if (!quoted) continue;
            size_t n = 0;
            for (unsigned p : kBootPcrs) {
                auto q = quoted->find(p);
                if (q == quoted->end()) continue;
                ++n;
                if (values.at(p) != q->second) wrong.push_back(bank_name(h) + " PCR " + std::to_string(p));
            }
            if (n) judged.push_back(bank_name(h));
        }
        if (judged.empty()) {
            add("event log", false, "the quote covers none of PCRs 0-9 and 14 in a bank the log carries");
            return;
        }
        add("event log", wrong.empty(),
            wrong.empty() ? std::to_string(measurement::measured_events(log)) + " events replay to the quoted " +
                                join(judged, ", ") + " PCRs 0-9 and 14"
                          : "the log does not replay to the quoted " + join(wrong, ", "));
    }

    const CheckInput& in_;
    const Evidence& ev_;
    CheckReport rep_;
    tpm::PublicArea ak_pub_;
    Bytes name_;
    quote::Attest attest_;
    PcrValues proven_;
    bool same_boot_ = false;
};

}  // namespace

bool CheckReport::trusted() const {
    return !checks.empty() && std::all_of(checks.begin(), checks.end(), [](const auto& c) { return c.ok; });
}

std::string ek_certificate_problem(ByteView der, const tpm::PublicArea& ek, const std::vector<Certificate>& cas) {
    Certificate cert;
    try {
        cert = parse_certificate(der, "AK.json's EK certificate");
    } catch (const FormatError& e) {
        return e.what();
    }
    if (!tpm::certificate_holds(cert, ek)) return "the EK certificate's key is not the AK file's EK";
    X509StorePtr store(X509_STORE_new());
    X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!store || !ctx) throw CryptoError("EK certificate", "X509_STORE_new");
    for (const auto& ca : cas)
        if (X509_STORE_add_cert(store.get(), ca.x509.get()) != 1) drain_openssl_errors();  // a duplicate
    if (X509_STORE_CTX_init(ctx.get(), store.get(), cert.x509.get(), nullptr) != 1)
        throw CryptoError("EK certificate", "X509_STORE_CTX_init");
    if (X509_verify_cert(ctx.get()) == 1) return "";
    const int err = X509_STORE_CTX_get_error(ctx.get());
    drain_openssl_errors();
    return std::string("the EK certificate does not chain to an --ek-ca: ") + X509_verify_cert_error_string(err);
}

CheckReport check_evidence(const CheckInput& in) {
    return Checker(in).run();
}

}  // namespace ima::attest
