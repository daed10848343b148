#include "ima/sign/sign_files.hpp"

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/file_id.hpp"
#include "ima/fsverity.hpp"
#include "ima/signer_pool.hpp"

namespace ima::sign {

WalkSummary sign_files(const std::vector<std::string>& paths, const PrivateKey& key, KeyId keyid, SigVersion version,
                       const WriteRequest& req, const RecordFn& on_record, const FailureFn& on_failure) {
    SignerPool pool(key, keyid);
    WriteRequest r = req;
    if (version == SigVersion::verity) {
        if (!is_fsverity_algo(req.algo))
            throw UsageError(std::string("fs-verity digests use sha256 or sha512, not ") +
                             hash_algo_info(req.algo).name);
        r.digest = DigestKind::fsverity;
    }
    auto make = [&](ByteView digest) {
        auto signer = pool.borrow();
        if (version == SigVersion::verity) {
            Bytes signed_digest = sigv3_signed_digest(XattrType::verity_digsig, req.algo, digest);
            return signer->sign_xattr(req.algo, signed_digest, XattrType::verity_digsig, 3);
        }
        if (version == SigVersion::v3) {
            Bytes signed_digest = sigv3_signed_digest(XattrType::digsig, req.algo, digest);
            return signer->sign_xattr(req.algo, signed_digest, XattrType::digsig, 3);
        }
        return signer->sign_xattr(req.algo, digest);
    };
    return write_values(paths, r, make, on_record, on_failure);
}

KeepFn keep_if_signed(EVP_PKEY* pub, KeyId keyid, SigVersion version, HashAlgo algo) {
    const XattrType type = version == SigVersion::verity ? XattrType::verity_digsig : XattrType::digsig;
    const uint8_t sig_version = version == SigVersion::v2 ? 2 : 3;
    return [=](ByteView existing, ByteView digest) {
        XattrValue decoded;
        try {
            decoded = decode_xattr(existing);
        } catch (const FormatError&) {
            return false;
        }
        const auto* s = std::get_if<SignatureValue>(&decoded);
        if (!s || s->type != type || s->version != sig_version || s->algo != algo || s->keyid != keyid) return false;
        if (sig_version == 2) return verify_digest(pub, algo, digest, s->sig);
        return verify_digest(pub, algo, sigv3_signed_digest(type, algo, digest), s->sig);
    };
}

WalkSummary hash_files(const std::vector<std::string>& paths, const WriteRequest& req, const RecordFn& on_record,
                       const FailureFn& on_failure) {
    auto make = [&](ByteView digest) {
        return encode_digest(DigestValue{req.algo, Bytes(digest.begin(), digest.end())});
    };
    return write_values(paths, req, make, on_record, on_failure);
}

static std::string algo_name(HashAlgo a) {
    return hash_algo_info(a).name;
}

VerifyRecord verify_value(ByteView value, int fd, const std::string& path, const std::vector<VerifyKey>& keys) {
    XattrValue decoded;
    try {
        decoded = decode_xattr(value);
    } catch (const FormatError& e) {
        throw FormatError(path + ": malformed security.ima: " + e.what());
    }
    if (auto* d = std::get_if<DigestValue>(&decoded)) {
        // The value names the algorithm: one this OpenSSL cannot compute is
        // the file's failure to verify, not a usage error.
        if (!openssl_has(d->algo))
            throw VerifyError(path + ": digest uses " + algo_name(d->algo) + ", which cannot be computed here");
        Bytes actual = digest_fd(fd, d->algo, path);
        if (actual != d->digest) throw VerifyError(path + ": " + algo_name(d->algo) + " digest mismatch");
        return VerifyRecord{path, "digest", d->algo, std::nullopt, std::nullopt};
    }
    if (std::holds_alternative<HmacValue>(decoded))
        throw FormatError(path + ": security.ima holds an EVM HMAC (type 0x02), not an IMA value");
    if (std::holds_alternative<SignatureV1Value>(decoded))
        throw VerifyError(path + ": signature v1 (obsolete RSA format) is not supported");
    const auto& s = std::get<SignatureValue>(decoded);
    if (s.type == XattrType::evm_portable)
        throw FormatError(path + ": security.ima holds an EVM portable signature (type 0x05)");
    if (s.type == XattrType::verity_digsig && (s.version != 3 || !is_fsverity_algo(s.algo)))
        throw VerifyError(path + ": fs-verity signature (type 0x06) must be version 3 with sha256 or sha512");
    if (!is_signing_algo(s.algo)) throw VerifyError(path + ": signature uses unsupported hash " + algo_name(s.algo));
    const VerifyKey* key = find_verify_key(keys, s.keyid);
    if (!key) throw VerifyError(path + ": no certificate for key id " + keyid_hex(s.keyid));
    // An fs-verity signature covers the file's fs-verity digest, computed here
    // in user space as the kernel would read it from a verity-enabled file.
    Bytes digest =
        s.type == XattrType::verity_digsig ? fsverity_digest_fd(fd, s.algo, path) : digest_fd(fd, s.algo, path);
    Bytes signed_digest = s.version == 3 ? sigv3_signed_digest(s.type, s.algo, digest) : digest;
    if (!verify_digest(key->pkey.get(), s.algo, signed_digest, s.sig))
        throw VerifyError(path + ": bad signature (key id " + keyid_hex(s.keyid) + ", " + algo_name(s.algo) + ")");
    const char* kind = s.type == XattrType::verity_digsig ? "fsverity-signature"
                       : s.version == 3                   ? "signature-v3"
                                                          : "signature";
    return VerifyRecord{path, kind, s.algo, s.keyid, key->source};
}

WalkSummary verify_files(const std::vector<std::string>& paths, const std::vector<VerifyKey>& keys, XattrNamespace ns,
                         ValueSource source, const WalkOptions& walk, const VerifyFn& on_ok,
                         const FailureFn& on_failure) {
    const std::string name = xattr_name(ns, "ima");
    std::mutex m;
    auto each = [&](const WalkFile& f) {
        std::optional<Bytes> value;
        if (source == ValueSource::sigfile) {
            if (is_sigfile_output(f.path)) return;
            value = read_sigfile(f.path);
            if (!value) throw VerifyError(f.path + ": no " + f.path + ".sig");
        } else {
            value = get_xattr(f.fd, name, f.path);
            if (!value) throw VerifyError(f.path + ": no " + name);
        }
        VerifyRecord r = verify_value(*value, f.fd, f.path, keys);
        if (on_ok) {
            std::lock_guard lk(m);
            on_ok(r);
        }
    };
    return walk_files(paths, walk, each, on_failure);
}

WalkSummary clear_files(const std::vector<std::string>& paths, XattrNamespace ns, const WalkOptions& walk,
                        std::atomic<size_t>& removed, const FailureFn& on_failure) {
    const std::string name = xattr_name(ns, "ima");
    auto each = [&](const WalkFile& f) {
        if (remove_xattr(f.fd, name, f.path)) removed.fetch_add(1);
    };
    return walk_files(paths, walk, each, on_failure);
}

}  // namespace ima::sign
