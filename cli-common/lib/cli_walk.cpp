#include "ima/cli_walk.hpp"

#include <iostream>

namespace ima {

void TreeArgs::add_to(CLI::App* sub, const std::string& xattr_user_help) {
    sub->add_option("-j,--jobs", jobs, "Worker threads (default: one per CPU)")->check(CLI::Range(1u, 1024u));
    sub->add_flag("--xattr-user", xattr_user, xattr_user_help);
    sub->add_flag("--cross-fs", cross_fs, "Descend into other filesystems");
    sub->add_option("--exclude", excludes,
                    "Skip files and folders matching GLOB (on the name, or on the relative path if GLOB has a '/')")
        ->allow_extra_args(false);
    sub->add_flag("--json", json, "One JSON document on stdout");
    sub->add_option("PATH", paths, "Files or directories")->required();
}

WalkOptions TreeArgs::walk(std::atomic<size_t>* progress) const {
    WalkOptions w;
    w.jobs = jobs;
    w.cross_fs = cross_fs;
    w.excludes = excludes;
    w.progress = progress;
    return w;
}

void KeyArgs::add_to(CLI::App* sub, bool with_cert) {
    sub->add_option("-k,--key", key, "Private key: PEM or DER (PKCS#8 or traditional), or a pkcs11: URI")->required();
    sub->add_option("--pass-file", pass_file,
                    "Read the key's passphrase (or token PIN) from FILE (else IMAEVM_KEY_PASS, else a prompt)");
    sub->add_flag("--allow-short-rsa", allow_short_rsa,
                  "Sign with an RSA key of 1024 to 2047 bits (refused otherwise: too short)");
    if (with_cert) {
        auto* c =
            sub->add_option("-c,--cert", cert, "Certificate: key id from its subjectKeyIdentifier; must match the key");
        sub->add_option("--keyid", keyid, "Key id to put in the header (8 hex digits)")->excludes(c);
    }
}

std::pair<PrivateKey, KeyId> KeyArgs::load() const {
    PassphraseSource pass;
    if (!pass_file.empty()) pass.pass_file = pass_file;
    PrivateKey k = load_private_key(key, pass, KeyRules{allow_short_rsa});
    KeyId id = keyid_of_public_key(k.pkey.get());
    if (!cert.empty()) {
        Certificate c = load_certificate(cert);
        check_key_matches_certificate(k, c);
        id = keyid_of_certificate(c);
    }
    if (!keyid.empty()) id = parse_keyid(keyid);
    return {std::move(k), id};
}

FailureFn FailureLog::fn() {
    return [this](const FileFailure& f) {
        print_error(tool, f.message);
        if (as_json) items.push_back({{"path", f.path}, {"error", f.message}});
    };
}

int finish_walk(const TreeArgs& a, const char* verb, size_t done, const WalkSummary& s, nlohmann::json doc,
                const FailureLog& fails, std::optional<size_t> kept) {
    if (a.json) {
        doc[std::string(verb)] = done;
        if (kept) doc["kept"] = *kept;
        doc["failed"] = s.failures.size();
        doc["failures"] = fails.items;
        print_json(doc);
    } else if (!a.quiet()) {
        std::cerr << fails.tool << ": " << verb << ' ' << done << " file" << (done == 1 ? "" : "s");
        if (kept) std::cerr << ", kept " << *kept << " already signed";
        if (!s.failures.empty()) std::cerr << ", " << s.failures.size() << " failed";
        std::cerr << '\n';
    }
    return s.exit_status();
}

}  // namespace ima
