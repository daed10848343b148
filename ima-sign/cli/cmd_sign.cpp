// ima-sign sign: security.ima = a signature over each file's digest.
#include <iostream>
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
        sub->add_option("--manifest", manifest_, "Write a JSON reference manifest of every signed file");
        sub->add_option("--keylime-policy", keylime_, "Write a Keylime runtime policy of every signed file");
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
        auto [key, keyid] = k_.load();
        WriteRequest req;
        req.algo = parse_hash_algo(a_.algo);
        if (!is_signing_algo(req.algo))
            throw UsageError("hash algorithm '" + a_.algo + "' cannot be used for IMA signatures");
        probe_signing(key, req.algo);
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
        }
        std::vector<FileRecord> records;
        const bool keep = !manifest_.empty() || !keylime_.empty();
        json files = json::array();
        size_t done = 0;
        auto on_record = [&](const FileRecord& r) {
            ++done;
            if ((dry_run_ || a_.verbose()) && !a_.json)
                std::cout << printable(r.path) << ' ' << to_hex(r.value) << '\n';
            if (a_.json) files.push_back({{"path", r.path}, {"security.ima", to_hex(r.value)}});
            if (keep) records.push_back(r);
        };
        FailureLog fails{tool, a_.json};
        SigVersion version = verity_ ? SigVersion::verity : sigv3_ ? SigVersion::v3 : SigVersion::v2;
        WalkSummary s = sign_files(a_.paths, key, keyid, version, req, on_record, fails.fn());
        if (keylime_out) {
            keylime_out->write(json_text(keylime_policy_json(records, req.algo)) + "\n");
            keylime_out->commit();
        }
        if (manifest_out) {
            manifest_out->write(json_text(manifest_json(std::move(records), req.algo)) + "\n");
            manifest_out->commit();
        }
        json doc = {{"command", "sign"}, {"hash_algo", a_.algo}, {"keyid", keyid_hex(keyid)}, {"files", files}};
        return finish_walk(a_, dry_run_ ? "would sign" : "signed", done, s, doc, fails);
    }

private:
    WalkArgs a_;
    KeyArgs k_;
    bool sigv3_ = false, verity_ = false, sigfile_ = false, dry_run_ = false;
    std::string manifest_, keylime_, policy_, root_;
};

}  // namespace

std::unique_ptr<Command> make_sign() {
    return std::make_unique<SignCmd>();
}

}  // namespace ima::sign::cli
