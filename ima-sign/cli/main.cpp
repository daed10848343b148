// ima-sign: security.ima for files, trees and digests. One function a
// subcommand: parse with CLI11, call the library, print.
#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "ima/cli.hpp"
#include "ima/core.hpp"
#include "ima/progress.hpp"
#include "manifest.hpp"
#include "sign_files.hpp"
#include "sign_hash.hpp"

namespace {

using namespace ima;
using namespace ima::sign;
using nlohmann::json;

const std::string tool = "ima-sign";

struct Common {
    CommonOptions base;
    std::vector<std::string> paths;
    std::string algo = "sha256";
    unsigned jobs = 0;
    bool xattr_user = false;
    bool cross_fs = false;
    bool json = false;
    std::vector<std::string> excludes;
};

struct KeyOptions {
    std::string key;
    std::string cert;
    std::string keyid;
    std::string pass_file;
};

void add_walk_options(CLI::App* sub, Common& c) {
    sub->add_option("-a,--hash-algo", c.algo, "Hash algorithm (sha1, sha224, sha256, sha384, sha512, sm3)");
    sub->add_option("-j,--jobs", c.jobs, "Worker threads (default: one per CPU)")->check(CLI::Range(1u, 1024u));
    sub->add_flag("--xattr-user", c.xattr_user, "Use user.ima instead of security.ima");
    sub->add_flag("--cross-fs", c.cross_fs, "Descend into other filesystems");
    sub->add_option("--exclude", c.excludes,
                    "Skip files and folders matching GLOB (on the name, or on the relative path if GLOB has a '/')");
    sub->add_flag("--json", c.json, "One JSON document on stdout");
    sub->add_option("PATH", c.paths, "Files or directories")->required();
}

void add_key_options(CLI::App* sub, KeyOptions& k) {
    sub->add_option("-k,--key", k.key, "Private key (PEM or DER, PKCS#8 or traditional)")->required();
    sub->add_option("--pass-file", k.pass_file,
                    "Read the key's passphrase from FILE (else IMAEVM_KEY_PASS, else a prompt)");
}

WalkOptions walk_options(const Common& c, std::atomic<size_t>* progress) {
    WalkOptions w;
    w.jobs = c.jobs;
    w.cross_fs = c.cross_fs;
    w.excludes = c.excludes;
    w.progress = progress;
    return w;
}

XattrNamespace ns_of(const Common& c) {
    return c.xattr_user ? XattrNamespace::user : XattrNamespace::security;
}

PassphraseSource pass_source(const KeyOptions& k) {
    PassphraseSource p;
    if (!k.pass_file.empty()) p.pass_file = k.pass_file;
    return p;
}

// The key, and the key id that goes into the header: from --keyid, else the
// certificate's subjectKeyIdentifier, else computed from the public key.
std::pair<PrivateKey, KeyId> load_signing_key(const KeyOptions& k) {
    PrivateKey key = load_private_key(k.key, pass_source(k));
    KeyId id = keyid_of_public_key(key.pkey.get());
    if (!k.cert.empty()) {
        Certificate cert = load_certificate(k.cert);
        check_key_matches_certificate(key, cert);
        id = keyid_of_certificate(cert);
    }
    if (!k.keyid.empty()) id = parse_keyid(k.keyid);
    return {std::move(key), id};
}

// Prints each failure as it happens and collects it for --json.
struct FailureLog {
    bool as_json;
    json items = json::array();
    FailureFn fn() {
        return [this](const FileFailure& f) {
            print_error(tool, f.message);
            if (as_json) items.push_back({{"path", f.path}, {"error", f.message}});
        };
    }
};

int finish(const Common& c, const char* verb, size_t done, const WalkSummary& s, json doc, const FailureLog& fails) {
    if (c.json) {
        doc[std::string(verb)] = done;
        doc["failed"] = s.failures.size();
        doc["failures"] = fails.items;
        std::cout << doc.dump(2) << '\n';
    } else if (!c.base.quiet) {
        std::cerr << tool << ": " << verb << ' ' << done << " file" << (done == 1 ? "" : "s");
        if (!s.failures.empty()) std::cerr << ", " << s.failures.size() << " failed";
        std::cerr << '\n';
    }
    return s.exit_status();
}

struct SignCmd {
    Common c;
    KeyOptions k;
    bool sigv3 = false, sigfile = false, dry_run = false;
    std::string manifest;

    void setup(CLI::App& app) {
        auto* sub = app.add_subcommand("sign", "Sign file digests into security.ima");
        add_key_options(sub, k);
        auto* cert = sub->add_option("-c,--cert", k.cert,
                                     "Certificate: key id from its subjectKeyIdentifier; must match the key");
        sub->add_option("--keyid", k.keyid, "Key id to put in the header (8 hex digits)")->excludes(cert);
        sub->add_flag("--sigv3", sigv3, "Signature v3 over the ima_file_id");
        sub->add_flag("--sigfile", sigfile, "Write FILE.sig beside each file instead of the xattr");
        sub->add_flag("--dry-run", dry_run, "Compute and print, write nothing");
        sub->add_option("--manifest", manifest, "Write a JSON reference manifest of every signed file");
        add_walk_options(sub, c);
        sub->callback([this] { run_ = true; });
    }
    bool run_ = false;

    int run() {
        auto [key, keyid] = load_signing_key(k);
        WriteRequest req;
        req.algo = parse_hash_algo(c.algo);
        if (!is_signing_algo(req.algo))
            throw UsageError("hash algorithm '" + c.algo + "' cannot be used for IMA signatures");
        req.ns = ns_of(c);
        req.output = sigfile ? Output::sigfile : Output::xattr;
        req.write = dry_run ? Write::dry_run : Write::yes;
        Progress progress("signing", !c.base.quiet && !c.json);
        req.walk = walk_options(c, progress.counter());
        std::vector<FileRecord> records;
        json files = json::array();
        size_t done = 0;
        auto on_record = [&](const FileRecord& r) {
            ++done;
            if (dry_run || c.base.verbose) std::cout << r.path << ' ' << to_hex(r.value) << '\n';
            if (c.json) files.push_back({{"path", r.path}, {"security.ima", to_hex(r.value)}});
            if (!manifest.empty()) records.push_back(r);
        };
        FailureLog fails{c.json};
        WalkSummary s =
            sign_files(c.paths, key, keyid, sigv3 ? SigVersion::v3 : SigVersion::v2, req, on_record, fails.fn());
        if (!manifest.empty()) write_text_file(manifest, manifest_json(std::move(records), req.algo).dump(1) + "\n");
        json doc = {{"command", "sign"}, {"hash_algo", c.algo}, {"keyid", keyid_hex(keyid)}, {"files", files}};
        return finish(c, dry_run ? "would sign" : "signed", done, s, doc, fails);
    }
};

struct HashCmd {
    Common c;
    bool run_ = false;
    void setup(CLI::App& app) {
        auto* sub = app.add_subcommand("hash", "Write the file digest into security.ima (as evmctl ima_hash)");
        add_walk_options(sub, c);
        sub->callback([this] { run_ = true; });
    }
    int run() {
        WriteRequest req;
        req.algo = parse_hash_algo(c.algo);
        req.ns = ns_of(c);
        Progress progress("hashing", !c.base.quiet && !c.json);
        req.walk = walk_options(c, progress.counter());
        json files = json::array();
        size_t done = 0;
        auto on_record = [&](const FileRecord& r) {
            ++done;
            if (c.base.verbose) std::cout << r.path << ' ' << to_hex(r.value) << '\n';
            if (c.json) files.push_back({{"path", r.path}, {"security.ima", to_hex(r.value)}});
        };
        FailureLog fails{c.json};
        WalkSummary s = hash_files(c.paths, req, on_record, fails.fn());
        return finish(c, "hashed", done, s, {{"command", "hash"}, {"hash_algo", c.algo}, {"files", files}}, fails);
    }
};

struct VerifyCmd {
    Common c;
    std::vector<std::string> certs;
    bool sigfile = false;
    bool run_ = false;
    void setup(CLI::App& app) {
        auto* sub = app.add_subcommand("verify", "Check security.ima against the file and the certificates");
        sub->add_option("-c,--cert", certs, "Certificate or public key (repeatable)");
        sub->add_flag("--sigfile", sigfile, "Read FILE.sig instead of the xattr");
        add_walk_options(sub, c);
        sub->callback([this] { run_ = true; });
    }
    int run() {
        auto keys = load_verify_keys(certs);
        Progress progress("verifying", !c.base.quiet && !c.json);
        json files = json::array();
        size_t done = 0;
        auto on_ok = [&](const VerifyRecord& r) {
            ++done;
            std::string what =
                r.kind + " " + hash_algo_info(r.algo).name + (r.keyid ? " key " + keyid_hex(*r.keyid) : "");
            if (!c.json && !c.base.quiet) std::cout << r.path << ": ok (" << what << ")\n";
            if (c.json) {
                json f = {
                    {"path", r.path}, {"status", "ok"}, {"type", r.kind}, {"hash_algo", hash_algo_info(r.algo).name}};
                if (r.keyid) f["keyid"] = keyid_hex(*r.keyid);
                files.push_back(f);
            }
        };
        FailureLog fails{c.json};
        WalkSummary s = verify_files(c.paths, keys, ns_of(c), sigfile ? ValueSource::sigfile : ValueSource::xattr,
                                     walk_options(c, progress.counter()), on_ok, fails.fn());
        return finish(c, "verified", done, s, {{"command", "verify"}, {"files", files}}, fails);
    }
};

struct ClearCmd {
    Common c;
    bool run_ = false;
    void setup(CLI::App& app) {
        auto* sub = app.add_subcommand("clear", "Remove security.ima");
        sub->add_option("-j,--jobs", c.jobs, "Worker threads")->check(CLI::Range(1u, 1024u));
        sub->add_flag("--xattr-user", c.xattr_user, "Use user.ima instead of security.ima");
        sub->add_flag("--cross-fs", c.cross_fs, "Descend into other filesystems");
        sub->add_option("--exclude", c.excludes, "Skip files matching GLOB");
        sub->add_flag("--json", c.json, "One JSON document on stdout");
        sub->add_option("PATH", c.paths, "Files or directories")->required();
        sub->callback([this] { run_ = true; });
    }
    int run() {
        std::atomic<size_t> removed{0};
        FailureLog fails{c.json};
        WalkSummary s = clear_files(c.paths, ns_of(c), walk_options(c, nullptr), removed, fails.fn());
        return finish(c, "cleared", removed.load(), s, {{"command", "clear"}}, fails);
    }
};

struct SignHashCmd {
    KeyOptions k;
    std::string algo = "sha256";
    bool sigv3 = false, verity = false;
    bool run_ = false;
    void setup(CLI::App& app) {
        auto* sub = app.add_subcommand("sign-hash", "Sign digests read from stdin (as evmctl sign_hash)");
        add_key_options(sub, k);
        sub->add_option("-a,--hash-algo", algo, "Hash algorithm of sha256sum-style lines");
        auto* v3 = sub->add_flag("--sigv3", sigv3, "Signature v3 over the ima_file_id of a regular file");
        sub->add_flag("--veritysig", verity, "Signature v3 over the fs-verity file id (fsverity digest lines)")
            ->excludes(v3);
        sub->callback([this] { run_ = true; });
    }
    int run() {
        HashAlgo a = parse_hash_algo(algo);
        auto [key, keyid] = load_signing_key(k);
        Signer signer(key, keyid);
        SignHashMode mode = verity ? SignHashMode::verity : sigv3 ? SignHashMode::v3 : SignHashMode::v2;
        sign_hash_stream(std::cin, std::cout, signer, a, mode);
        return 0;
    }
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"ima-sign: sign, hash, verify and clear security.ima", tool};
    ima::CommonOptions common;
    ima::add_common_options(app, common);
    app.require_subcommand(1);
    SignCmd sign;
    HashCmd hash;
    VerifyCmd verify;
    ClearCmd clear;
    SignHashCmd sign_hash;
    sign.setup(app);
    hash.setup(app);
    verify.setup(app);
    clear.setup(app);
    sign_hash.setup(app);
    return ima::run_cli(app, argc, argv, [&] {
        for (auto* c : {&sign.c, &hash.c, &verify.c, &clear.c}) c->base = common;
        if (sign.run_) return sign.run();
        if (hash.run_) return hash.run();
        if (verify.run_) return verify.run();
        if (clear.run_) return clear.run();
        if (sign_hash.run_) return sign_hash.run();
        return 2;
    });
}
