// ima-sign sign: security.ima = a signature over each file's digest.
#include <iostream>
#include <map>
#include <optional>

#include "command.hpp"
#include "ima/file_io.hpp"
#include "ima/policy/offline_select.hpp"
#include "ima/printable.hpp"
#include "ima/progress.hpp"
#include "ima/sign/keylime_policy.hpp"
#include "ima/sign/manifest.hpp"
#include "ima/sign/policy_source.hpp"
#include "ima/sign/sign_files.hpp"

namespace ima::sign::cli {
namespace {

using nlohmann::json;

class SignCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        a_.base = &common;
        auto* sub = app.add_subcommand("sign", "Sign file digests into security.ima");
        k_.add_to(sub, true);
        auto* v3 = sub->add_flag("--sigv3", sigv3_, "Signature v3 over the ima_file_id of the file digest");
        sub->add_flag("--veritysig", verity_, "Signature v3 over the file's fs-verity digest (type 0x06)")
            ->excludes(v3);
        sub->add_flag("--sigfile", sigfile_, "Write FILE.sig beside each file instead of the xattr");
        sub->add_flag("--dry-run", dry_run_, "Compute and print, write nothing");
        sub->add_flag("--skip-signed", skip_signed_,
                      "Keep a file's value when it is already a signature of this kind, algorithm and key that "
                      "verifies against -c CERT for its contents");
        sub->add_option("--manifest", manifest_, "Write a JSON reference manifest of every signed file");
        sub->add_option("--keylime-policy", keylime_, "Write a Keylime runtime policy of every signed file");
        sub->add_option("--target-root", target_root_,
                        "Where the signed root is mounted on the target, for the Keylime policy's paths (default /)");
        sub->add_option("--policy", policy_, "Sign only the files this IMA policy would appraise on the target");
        sub->add_option("--root", root_,
                        "Name files relative to DIR in the manifest, the Keylime policy and --policy (default: the "
                        "directory operand, or the folder holding every operand)");
        a_.add_to(sub);
        sub->callback([this] { selected = true; });
    }

    int run() override {
        if (verity_ && (!manifest_.empty() || !keylime_.empty()))
            throw UsageError("--manifest and --keylime-policy hold file digests; they cannot be used with --veritysig");
        if (!target_root_.empty() && keylime_.empty())
            throw UsageError("--target-root names paths in the Keylime policy: give --keylime-policy FILE");
        KeylimePolicyOptions kl;
        if (!target_root_.empty()) kl.target_root = checked_target_root(target_root_);
        if (!keylime_.empty() && (sigv3_ || verity_))
            print_warning(tool, "Keylime verifies signature v2 only: it will not check these signatures");
        if (skip_signed_ && k_.cert.empty())
            throw UsageError("--skip-signed needs -c CERT: existing signatures are checked against it");
        auto [key, keyid] = k_.load();
        WriteRequest req;
        req.algo = parse_hash_algo(a_.algo);
        if (!is_signing_algo(req.algo))
            throw UsageError("hash algorithm '" + a_.algo + "' cannot be used for IMA signatures");
        probe_signing(key, req.algo);
        SigVersion version = verity_ ? SigVersion::verity : sigv3_ ? SigVersion::v3 : SigVersion::v2;
        std::optional<Certificate> cert;
        if (!k_.cert.empty()) cert = load_certificate(k_.cert);
        if (skip_signed_) req.keep_valid = keep_if_signed(cert->public_key(), keyid, version, req.algo);
        // The outputs are opened before any file is signed: a missing folder
        // or no permission fails now, not after the whole tree.
        std::optional<AtomicFile> manifest_out, keylime_out;
        if (!manifest_.empty()) manifest_out.emplace(manifest_);
        if (!keylime_.empty()) keylime_out.emplace(keylime_);
        req.ns = a_.ns();
        req.output = sigfile_ ? Output::sigfile : Output::xattr;
        req.write = dry_run_ ? Write::dry_run : Write::yes;
        Progress progress("signing", !a_.quiet() && !a_.json);
        req.walk = a_.walk(progress.counter());
        req.walk.root = root_;
        policy::Policy pol;
        if (!policy_.empty()) {
            pol = load_selection_policy(policy_);
            req.select = [&pol](const WalkFile& f) { return would_appraise_file(pol, f); };
            if (!keylime_.empty()) req.on_left_out = [&kl](const std::string& rel) { kl.left_out.push_back(rel); };
        }
        // IMA logs whichever name of a hard link was opened: the policy lists
        // every name the walk saw, with the digest of the one it signed.
        std::vector<std::pair<size_t, std::string>> aliases;  // (first seq, name)
        if (!keylime_.empty() || !manifest_.empty())
            req.walk.on_alias = [&aliases](const WalkAlias& a) { aliases.emplace_back(a.first, a.rel); };
        std::vector<FileRecord> records;
        const bool keep = !manifest_.empty() || !keylime_.empty();
        json files = json::array();
        size_t done = 0, kept = 0;
        auto on_record = [&](const FileRecord& r) {
            ++(r.kept ? kept : done);
            if ((dry_run_ || a_.verbose()) && !a_.json)
                std::cout << printable(r.path) << ' ' << to_hex(r.value) << (r.kept ? " (kept)" : "") << '\n';
            if (a_.json) {
                files.push_back({{"path", r.path}, {"security.ima", to_hex(r.value)}});
                if (skip_signed_) files.back()["kept"] = r.kept;
            }
            if (keep) records.push_back(r);
        };
        FailureLog fails{tool, a_.json};
        WalkSummary s = sign_files(a_.paths, key, keyid, version, req, on_record, fails.fn());
        HardLinkNames link_names;  // (further name, rel of the name signed)
        if (!aliases.empty()) {
            std::map<size_t, std::string> rel_of;
            for (const auto& r : records) rel_of.emplace(r.seq, r.rel);
            for (auto& [first, name] : aliases)
                if (auto it = rel_of.find(first); it != rel_of.end()) link_names.emplace_back(name, it->second);
        }
        if (keylime_out) {
            kl.aliases = link_names;
            kl.exclude_globs = a_.excludes;
            kl.verification_key = cert ? cert->public_key() : key.pkey.get();
            kl.keyid = keyid;
            keylime_out->write(json_text(keylime_policy_json(records, req.algo, kl)) + "\n");
            keylime_out->commit();
        }
        if (manifest_out) {
            manifest_out->write(json_text(manifest_json(std::move(records), req.algo, s.root, link_names)) + "\n");
            manifest_out->commit();
        }
        json doc = {{"command", "sign"}, {"hash_algo", a_.algo}, {"keyid", keyid_hex(keyid)}, {"files", files}};
        std::optional<size_t> kept_count;
        if (skip_signed_) kept_count = kept;
        return finish_walk(a_, dry_run_ ? "would sign" : "signed", done, s, doc, fails, kept_count);
    }

private:
    WalkArgs a_;
    KeyArgs k_;
    bool sigv3_ = false, verity_ = false, sigfile_ = false, dry_run_ = false, skip_signed_ = false;
    std::string manifest_, keylime_, policy_, root_, target_root_;
};

}  // namespace

std::unique_ptr<Command> make_sign() {
    return std::make_unique<SignCmd>();
}

}  // namespace ima::sign::cli
