// ima-sign tar: sign every regular file of a tar stream (IN and OUT may be -).
#include <fcntl.h>
#include <langinfo.h>
#include <unistd.h>

#include <cerrno>
#include <clocale>
#include <cstring>
#include <iostream>
#include <optional>

#include "command.hpp"
#include "ima/evm/inputs.hpp"
#include "ima/fd.hpp"
#include "ima/file_io.hpp"
#include "ima/printable.hpp"
#include "ima/sign/keylime_policy.hpp"
#include "ima/sign/manifest.hpp"
#include "ima/sign/tar_sign.hpp"
#include "ima/signer_pool.hpp"

namespace ima::sign::cli {
namespace {

using nlohmann::json;

// OUT as a file: an unnamed temporary file in OUT's folder that appears
// under OUT's name only when the whole stream was signed, so a failed or
// killed run leaves no half-written archive and no temporary file behind.
class Output {
public:
    explicit Output(const std::string& path) : path_(path) {
        if (path == "-") {
            if (isatty(STDOUT_FILENO))
                throw UsageError("refusing to write a tar stream to a terminal (give OUT or redirect)");
            return;
        }
        file_.emplace(path, 0666);
    }
    int fd() const { return file_ ? file_->fd() : STDOUT_FILENO; }
    const std::string& name() const { return file_ ? path_ : stdout_name; }
    bool to_stdout() const { return !file_; }
    void commit() {
        if (file_) file_->commit();
    }

private:
    inline static const std::string stdout_name = "stdout";
    std::string path_;
    std::optional<AtomicFile> file_;
};

// libarchive writes pax path names as UTF-8 only when the locale lets it
// convert them; in the C locale it marks them hdrcharset=BINARY, which GNU
// tar warns about. Names that are not valid UTF-8 stay BINARY either way.
void use_utf8_names() {
    setlocale(LC_CTYPE, "");
    if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0) setlocale(LC_CTYPE, "C.UTF-8");
}

class TarCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        a_.base = &common;
        auto* sub = app.add_subcommand("tar", "Sign every regular file of a tar stream into PAX xattr records");
        k_.add_to(sub, true);
        sub->add_option("-a,--hash-algo", a_.algo, "Hash algorithm (sha1, sha224, sha256, sha384, sha512, sm3)");
        sub->add_flag("--sigv3", sigv3_, "Signature v3 over the ima_file_id of the file digest");
        sub->add_flag("--evm-portable", evm_portable_,
                      "Also write security.evm: a portable EVM signature over the header's uid, gid, mode and xattrs");
        sub->add_flag("--skip-signed", skip_signed_,
                      "Keep an entry's SCHILY.xattr.security.ima when it is already a signature of this kind, "
                      "algorithm and key that verifies against -c CERT for its contents");
        sub->add_option("-j,--jobs", req_.jobs, "Hashing and signing threads (default: one per CPU)")
            ->check(CLI::Range(1u, 1024u));
        sub->add_option("--manifest", manifest_, "Write a JSON reference manifest of every signed file");
        sub->add_option("--keylime-policy", keylime_, "Write a Keylime runtime policy of every signed file");
        sub->add_option(
            "--target-root", target_root_,
            "Where the archive's root is extracted on the target, for the Keylime policy's paths (default /)");
        sub->add_flag("--json", a_.json, "A JSON summary on stdout (on stderr when OUT is -: stdout carries the tar)");
        sub->add_option("IN", in_, "Input tar stream, - for stdin")->required();
        sub->add_option("OUT", out_, "Output tar stream, - for stdout")->required();
        sub->callback([this] { selected = true; });
    }

    int run() override {
        use_utf8_names();
        if (!target_root_.empty() && keylime_.empty())
            throw UsageError("--target-root names paths in the Keylime policy: give --keylime-policy FILE");
        KeylimePolicyOptions kl;
        if (!target_root_.empty()) kl.target_root = checked_target_root(target_root_);
        if (!keylime_.empty() && sigv3_)
            print_warning(tool, "Keylime verifies signature v2 only: it will not check these signatures");
        if (skip_signed_ && k_.cert.empty())
            throw UsageError("--skip-signed needs -c CERT: existing signatures are checked against it");
        auto [key, keyid] = k_.load();
        req_.algo = parse_hash_algo(a_.algo);
        if (!is_signing_algo(req_.algo))
            throw UsageError("hash algorithm '" + a_.algo + "' cannot be used for IMA signatures");
        req_.version = sigv3_ ? SigVersion::v3 : SigVersion::v2;
        probe_signing(key, req_.algo);
        std::optional<Certificate> cert;
        if (!k_.cert.empty()) cert = load_certificate(k_.cert);
        if (skip_signed_) req_.keep_valid = keep_if_signed(cert->public_key(), keyid, req_.version, req_.algo);
        HardLinkNames link_names;  // (name, the name it links to)
        if (!keylime_.empty() || !manifest_.empty())
            req_.on_hardlink = [&link_names](const std::string& name, const std::string& target) {
                link_names.emplace_back(name, target);
            };
        if (!keylime_.empty()) {
            kl.verification_key = cert ? cert->public_key() : key.pkey.get();
            kl.keyid = keyid;
        }
        if (out_ != "-" && in_ == out_) throw UsageError("IN and OUT are the same file: " + in_);
        Fd in_owned;
        int in_fd = STDIN_FILENO;
        std::string in_name = "stdin";
        if (in_ != "-") {
            in_owned = Fd(open(in_.c_str(), O_RDONLY | O_CLOEXEC));
            if (!in_owned) throw IoError(in_, errno);
            in_fd = in_owned.get();
            in_name = in_;
        }
        // Portable EVM signatures need nothing but the header: no inode number,
        // generation or filesystem UUID (evm_crypto.c leaves them out).
        std::unique_ptr<SignerPool> evm_pool;
        if (evm_portable_) {
            evm_pool = std::make_unique<SignerPool>(key, keyid);
            HashAlgo algo = req_.algo;
            req_.evm = [&evm_pool, algo](const TarFileFacts& f) {
                evm::EvmInputs in;
                in.xattrs = f.xattrs;
                in.uid = f.uid;
                in.gid = f.gid;
                in.mode = f.mode;
                Bytes digest = evm::evm_digest(algo, in, evm::EvmKind::portable);
                auto signer = evm_pool->borrow();
                return signer->sign_xattr(algo, digest, XattrType::evm_portable, 2);
            };
        }
        if (const char* tmp = getenv("TMPDIR"); tmp && *tmp) req_.spool_dir = tmp;
        // Every output is opened before the stream is read: a missing folder
        // fails now, and none of them appears unless the whole run succeeds.
        std::optional<AtomicFile> manifest_out, keylime_out;
        if (!manifest_.empty()) manifest_out.emplace(manifest_);
        if (!keylime_.empty()) keylime_out.emplace(keylime_);
        Output out(out_);
        std::vector<FileRecord> records;
        const bool keep = !manifest_.empty() || !keylime_.empty();
        auto on_record = [&](const FileRecord& r) {
            if (a_.verbose())
                std::cerr << printable(r.path) << ' ' << to_hex(r.value) << (r.kept ? " (kept)" : "") << '\n';
            if (keep) records.push_back(r);
        };
        TarSummary s = sign_tar(in_fd, in_name, out.fd(), out.name(), key, keyid, req_, on_record);
        // The documents first (they can still refuse a name), the archive last.
        kl.aliases = link_names;
        if (keylime_out) keylime_out->write(json_text(keylime_policy_json(records, req_.algo, kl)) + "\n");
        if (manifest_out)
            manifest_out->write(json_text(manifest_json(std::move(records), req_.algo, {}, link_names)) + "\n");
        out.commit();
        if (keylime_out) keylime_out->commit();
        if (manifest_out) manifest_out->commit();
        if (a_.json) {
            json doc{
                {"command", "tar"}, {"entries", s.entries}, {"signed", s.signed_files}, {"keyid", keyid_hex(keyid)}};
            if (skip_signed_) doc["kept"] = s.kept;
            (out.to_stdout() ? std::cerr : std::cout) << doc.dump() << '\n';
        } else if (!a_.quiet()) {
            std::cerr << tool << ": signed " << s.signed_files << " of " << s.entries << " entries";
            if (skip_signed_) std::cerr << ", kept " << s.kept << " already signed";
            std::cerr << '\n';
        }
        return 0;
    }

private:
    WalkArgs a_;
    KeyArgs k_;
    TarRequest req_;
    bool sigv3_ = false, evm_portable_ = false, skip_signed_ = false;
    std::string in_, out_, manifest_, keylime_, target_root_;
};

}  // namespace

std::unique_ptr<Command> make_tar() {
    return std::make_unique<TarCmd>();
}

}  // namespace ima::sign::cli
