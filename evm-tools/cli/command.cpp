#include "command.hpp"

#include <charconv>
#include <cstdint>
#include <iostream>

namespace ima::evmtool::cli {

void WalkArgs::add_to(CLI::App* sub) {
    sub->add_option("-j,--jobs", jobs, "Worker threads (default: one per CPU)")->check(CLI::Range(1u, 1024u));
    sub->add_flag("--xattr-user", xattr_user, "Use user.* instead of security.* (unprivileged tests)");
    sub->add_flag("--cross-fs", cross_fs, "Descend into other filesystems");
    sub->add_option("--exclude", excludes,
                    "Skip files and folders matching GLOB (on the name, or on the relative path if GLOB has a '/')");
    sub->add_flag("--json", json, "One JSON document on stdout");
    sub->add_option("PATH", paths, "Files or directories")->required();
}

WalkOptions WalkArgs::walk(std::atomic<size_t>* progress) const {
    WalkOptions w;
    w.jobs = jobs;
    w.cross_fs = cross_fs;
    w.excludes = excludes;
    w.progress = progress;
    return w;
}

void InputArgs::add_to(CLI::App* sub) {
    auto* u = sub->add_option("--uuid", uuid, "Filesystem UUID to hash (default: the file's filesystem)");
    sub->add_flag("--no-uuid", no_uuid, "Leave the filesystem UUID out (kernels without EVM_ATTR_FSUUID)")->excludes(u);
    sub->add_option("--ino", ino, "Inode number to hash instead of the file's");
    sub->add_option("--generation", generation, "Inode generation to hash instead of FS_IOC_GETVERSION's");
    sub->add_option("--uid", uid, "Owner uid to hash instead of the file's");
    sub->add_option("--gid", gid, "Group gid to hash instead of the file's");
    sub->add_option("--mode", mode, "Mode to hash, octal (0755 keeps the file type; 100755 is the full i_mode)");
}

uint16_t parse_mode(const std::string& text) {
    if (text.empty() || text.size() > 7 || text.find_first_not_of("01234567") != std::string::npos)
        throw UsageError("invalid mode '" + text + "' (octal, for example 0755 or 100755)");
    unsigned long v = std::stoul(text, nullptr, 8);
    if (v > 0177777) throw UsageError("invalid mode '" + text + "' (more than 16 bits)");
    return static_cast<uint16_t>(v);
}

uint64_t parse_number(const std::string& option, const std::string& text, uint64_t max) {
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, 10);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v > max)
        throw UsageError("invalid " + option + " '" + text + "' (a decimal number up to " + std::to_string(max) + ")");
    return v;
}

evm::EvmOverrides InputArgs::overrides() const {
    evm::EvmOverrides o;
    constexpr uint64_t u32 = 0xffffffffu;
    if (ino) o.ino = parse_number("--ino", *ino, UINT64_MAX);
    if (generation) o.generation = static_cast<uint32_t>(parse_number("--generation", *generation, u32));
    if (uid) o.uid = static_cast<uint32_t>(parse_number("--uid", *uid, u32));
    if (gid) o.gid = static_cast<uint32_t>(parse_number("--gid", *gid, u32));
    if (mode) o.mode = parse_mode(*mode);
    if (no_uuid) {
        o.uuid_source = evm::UuidSource::none;
    } else if (!uuid.empty()) {
        o.uuid_source = evm::UuidSource::given;
        o.uuid = evm::parse_uuid(uuid);
    }
    return o;
}

void KeyArgs::add_to(CLI::App* sub) {
    sub->add_option("-k,--key", key, "Private key: PEM or DER (PKCS#8 or traditional), or a pkcs11: URI")->required();
    sub->add_option("--pass-file", pass_file,
                    "Read the key's passphrase from FILE (else IMAEVM_KEY_PASS, else a prompt)");
    auto* c =
        sub->add_option("-c,--cert", cert, "Certificate: key id from its subjectKeyIdentifier; must match the key");
    sub->add_option("--keyid", keyid, "Key id to put in the header (8 hex digits)")->excludes(c);
}

std::pair<PrivateKey, KeyId> KeyArgs::load() const {
    PassphraseSource pass;
    if (!pass_file.empty()) pass.pass_file = pass_file;
    PrivateKey k = load_private_key(key, pass);
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

int finish(const WalkArgs& a, const char* verb, size_t done, const WalkSummary& s, nlohmann::json doc,
           const FailureLog& fails) {
    if (a.json) {
        doc[std::string(verb)] = done;
        doc["failed"] = s.failures.size();
        doc["failures"] = fails.items;
        std::cout << doc.dump(2) << '\n';
    } else if (!a.quiet()) {
        std::cerr << tool << ": " << verb << ' ' << done << " file" << (done == 1 ? "" : "s");
        if (!s.failures.empty()) std::cerr << ", " << s.failures.size() << " failed";
        std::cerr << '\n';
    }
    return s.exit_status();
}

}  // namespace ima::evmtool::cli
