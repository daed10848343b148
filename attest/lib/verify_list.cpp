#include "ima/attest/verify_list.hpp"

#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "ima/error.hpp"
#include "ima/measurement/fields.hpp"
#include "ima/measurement/replay.hpp"
#include "ima/measurement/signatures.hpp"

namespace ima::attest {

using namespace ima::measurement;

namespace {

Finding finding_of(SigStatus s) {
    switch (s) {
        case SigStatus::bad: return Finding::bad_signature;
        case SigStatus::unknown_key: return Finding::unknown_key;
        case SigStatus::malformed: return Finding::malformed_signature;
        default: return Finding::unsupported_signature;
    }
}

std::string normalize_root(const std::string& root) {
    if (root == "auto") return root;
    if (root.empty() || root.front() != '/')
        throw UsageError("--root: '" + root + "' is neither 'auto' nor an absolute path");
    std::string r = root;
    while (r.size() > 1 && r.back() == '/') r.pop_back();
    return r == "/" ? "" : r;
}

struct Checker {
    const MeasurementList& list;
    const VerifyOptions& opts;
    VerifyReport& rep;
    std::string root;
    std::unordered_map<std::string, const ManifestFile*> by_path;
    std::set<std::string> seen;

    void find(const Entry& e, const std::string& path, Finding f, std::string detail) {
        rep.findings.push_back({e.index, path, f, std::move(detail)});
    }
    void pass(const Entry& e, const std::string& path, std::string what) {
        rep.passed.push_back({e.index, path, std::move(what)});
    }

    // Returns true when a known key signed the entry.
    bool check_signatures(const Entry& e, const std::string& path) {
        bool good = false;
        for (const SignatureCheck& c : check_entry_signatures(e, list.order, *opts.keys)) {
            ++rep.signatures_checked;
            std::string key = c.keyid ? ", key " + keyid_hex(*c.keyid) : "";
            if (c.status == SigStatus::good) {
                ++rep.signatures_good;
                good = good || c.kind != SigKind::evm;
                pass(e, path, std::string(sig_kind_name(c.kind)) + key);
            } else {
                find(e, path, finding_of(c.status), std::string(sig_kind_name(c.kind)) + ": " + c.detail);
            }
        }
        return good;
    }

    void check_manifest(const Entry& e, const std::string& path, const DigestField& d, bool signed_by_known_key) {
        if (path.empty() || path.front() != '/') return;
        std::string rel;
        if (root.empty()) {
            rel = path.substr(1);
        } else if (path.size() > root.size() + 1 && path.compare(0, root.size(), root) == 0 &&
                   path[root.size()] == '/') {
            rel = path.substr(root.size() + 1);
        } else {
            ++rep.outside_root;
            return;
        }
        auto it = by_path.find(rel);
        if (it == by_path.end()) {
            if (signed_by_known_key)
                find(e, path, Finding::unexpected_signed_file, "signed, but not in the manifest");
            else
                find(e, path, Finding::unknown_file, "not in the manifest");
            return;
        }
        seen.insert(rel);
        ++rep.manifest_compared;
        const ManifestFile& m = *it->second;
        if (!d.type.empty() && d.type != "ima") {
            find(e, path, Finding::algorithm_mismatch, "the list has a " + d.type + " digest");
            return;
        }
        if (!d.algo || *d.algo != opts.manifest->algo) {
            find(e, path, Finding::algorithm_mismatch,
                 "the list has a " + d.algo_name + " digest, the manifest " + hash_algo_info(opts.manifest->algo).name);
            return;
        }
        if (!std::equal(d.digest.begin(), d.digest.end(), m.digest.begin(), m.digest.end())) {
            find(e, path, Finding::digest_mismatch, "measured " + to_hex(d.digest) + ", manifest " + to_hex(m.digest));
            return;
        }
        ++rep.manifest_matched;
        pass(e, path, "digest matches the manifest");
    }

    void entry(const Entry& e) {
        std::string path = entry_event_name(e).value_or("");
        if (!e.desc) {
            find(e, path, Finding::unknown_template, "template '" + std::string(e.template_name) + "'");
            return;
        }
        if (!e.problem.empty()) {
            find(e, path, Finding::malformed_entry, e.problem);
            return;
        }
        if (e.is_violation()) {
            ++rep.violations;
            return;
        }
        if (template_digest(e, list.digest_algo) != Bytes(e.template_digest.begin(), e.template_digest.end()))
            find(e, path, Finding::bad_template_digest, "the recorded template digest does not match the entry's data");
        std::optional<DigestField> d;
        try {
            d = entry_file_digest(e);
        } catch (const FormatError& ex) {
            find(e, path, Finding::malformed_entry, ex.what());
            return;
        }
        const bool is_file = d && !path.empty() && path.front() == '/' && !e.field("buf");
        bool signed_by_known_key = false;
        if (opts.keys) {
            signed_by_known_key = check_signatures(e, path);
            bool has_sig =
                (e.field("sig") && !e.field("sig")->empty()) || (e.field("modsig") && !e.field("modsig")->empty());
            if (opts.require_signatures && is_file && !has_sig)
                find(e, path, Finding::unsigned_file, "no signature in the list");
        }
        if (opts.manifest && is_file) check_manifest(e, path, *d, signed_by_known_key);
    }
};

}  // namespace

const char* finding_name(Finding f) {
    switch (f) {
        case Finding::bad_signature: return "bad signature";
        case Finding::unknown_key: return "unknown key";
        case Finding::malformed_signature: return "malformed signature";
        case Finding::unsupported_signature: return "unsupported signature";
        case Finding::unsigned_file: return "unsigned file";
        case Finding::digest_mismatch: return "digest mismatch";
        case Finding::algorithm_mismatch: return "algorithm mismatch";
        case Finding::unknown_file: return "unknown file";
        case Finding::unexpected_signed_file: return "unexpected signed file";
        case Finding::bad_template_digest: return "bad template digest";
        case Finding::malformed_entry: return "malformed entry";
        case Finding::unknown_template: return "unknown template";
        case Finding::nothing_verified: return "nothing verified";
    }
    return "";
}

std::string detect_root(const MeasurementList& list, const Manifest& manifest) {
    std::unordered_set<std::string_view> paths;
    for (const ManifestFile& f : manifest.files) paths.insert(f.path);
    std::map<std::string, size_t> votes;
    for (const Entry& e : list.entries) {
        if (e.is_violation() || e.field("buf")) continue;
        auto name = entry_event_name(e);
        if (!name || name->empty() || name->front() != '/') continue;
        // Every component-aligned suffix: "/mnt/usr/bin/ls" -> "mnt/usr/bin/ls", "usr/bin/ls", "bin/ls", "ls".
        for (size_t slash = 0; slash != std::string::npos; slash = name->find('/', slash + 1)) {
            if (paths.count(std::string_view(*name).substr(slash + 1))) {
                ++votes[name->substr(0, slash)];
                break;
            }
        }
    }
    std::string best;
    size_t most = 0;
    for (const auto& [prefix, n] : votes)
        if (n > most || (n == most && prefix.size() < best.size())) best = prefix, most = n;
    return best.empty() ? "/" : best;
}

VerifyReport verify_list(const MeasurementList& list, const VerifyOptions& opts) {
    VerifyReport rep;
    rep.entries = list.entries.size();
    std::string root = normalize_root(opts.root);
    if (root == "auto") root = normalize_root(opts.manifest ? detect_root(list, *opts.manifest) : "/");
    rep.root = root.empty() ? "/" : root;
    Checker c{list, opts, rep, root, {}, {}};
    if (opts.manifest)
        for (const ManifestFile& f : opts.manifest->files) c.by_path.emplace(f.path, &f);
    for (const Entry& e : list.entries) c.entry(e);
    // Every file entry outside the manifest is already a finding; what is
    // left is a list that offered nothing to check at all.
    if (rep.signatures_checked == 0 && rep.manifest_compared == 0 && rep.findings.empty())
        rep.findings.push_back({0, "", Finding::nothing_verified,
                                rep.entries == 0 ? "the list holds no entries"
                                                 : "no entry carries a signature or names a file of the manifest"});
    if (opts.manifest)
        for (const ManifestFile& f : opts.manifest->files)
            if (!c.seen.count(f.path)) rep.not_measured.push_back(f.path);
    return rep;
}

}  // namespace ima::attest
