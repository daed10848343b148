#include "verify_ima.hpp"

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/file_id.hpp"
#include "ima/signature.hpp"
#include "ima/xattr_format.hpp"
#include "status.hpp"

namespace ima::evmctl {

namespace {

// signature_v2_hdr after the type byte: version, hash_algo, keyid[4], sig_size[2].
constexpr size_t v2_header = 1 + 1 + 1 + 4 + 2;
// The old v1 header (struct signature_hdr) after the type byte: version,
// timestamp[4], algo, hash, keyid[8], nmpi.
constexpr size_t v1_hash_offset = 1 + 1 + 4 + 1;
// evmctl 1.4 knows the kernel's numbers up to streebog512.
constexpr unsigned known_algos = static_cast<unsigned>(HashAlgo::streebog512) + 1;

}  // namespace

namespace {

// Throws the failure with evmctl's `status` for it (1 or 125), keeping the
// class the status is read from.
[[noreturn]] void fail_with(int status, const std::string& message) {
    if (status == status_bad) throw bad(message);
    throw error(message);
}

}  // namespace

void verify_value_signature(VerifyKeys& keys, Console& con, const std::string& path, ByteView value, HashAlgo algo,
                            ByteView signed_digest, int problem_status) {
    SignatureValue sv;
    try {
        sv = decode_signature(value, SigSize::ignored);  // evmctl reads no sig_size
    } catch (const Error& e) {
        fail_with(problem_status, path + ": invalid signature (" + e.what() + ")");
    }
    const VerifyKey* key = keys.find(sv.keyid, con);
    if (!key) fail_with(problem_status, path + ": no key for key id " + keyid_hex(sv.keyid));
    bool ok = false;
    try {
        ok = verify_digest(key->pkey.get(), algo, signed_digest, sv.sig);
    } catch (const Error& e) {
        fail_with(problem_status, path + ": verification failed: " + e.what());
    }
    if (!ok) throw bad(path + ": verification failed: bad signature");
}

HashAlgo signature_algo(ByteView value, const std::string& path) {
    if (value.size() < 2) throw bad(path + ": invalid signature (too short)");
    uint8_t version = value[1];
    if (version == 1) {
        if (value.size() <= v1_hash_offset) throw bad(path + ": invalid signature (too short)");
        switch (value[v1_hash_offset]) {
            case 0: return HashAlgo::sha1;
            case 1: return HashAlgo::sha256;
            default: throw bad(path + ": invalid signature (unknown v1 hash)");
        }
    }
    if (version == 2 || version == 3) {
        if (value.size() < 3 || value[2] >= known_algos)
            throw bad(path + ": invalid signature (unknown hash algorithm)");
        return static_cast<HashAlgo>(value[2]);
    }
    throw bad(path + ": invalid signature (version " + std::to_string(version) + ")");
}

namespace {

void check_type(const std::string& path, ByteView value) {
    if (value.empty() || (value[0] != static_cast<uint8_t>(XattrType::digsig) &&
                          value[0] != static_cast<uint8_t>(XattrType::verity_digsig)))
        throw bad(path + ": security.ima has no signature");
}

void check_signature(VerifyKeys& keys, Console& con, const std::string& path, ByteView value, HashAlgo algo,
                     ByteView digest, bool v3_allowed = false) {
    const bool v3 = v3_allowed && value[1] == 3;
    if (value[1] != 2 && !v3)
        throw bad(path + ": signature version " + std::to_string(value[1]) + " is not supported (only version 2)");
    if (value.size() < v2_header) throw bad(path + ": invalid signature (truncated header)");
    const auto type = static_cast<XattrType>(value[0]);
    verify_value_signature(keys, con, path, value, algo,
                           v3 ? sigv3_signed_digest(type, algo, digest) : Bytes(digest.begin(), digest.end()),
                           status_bad);
}

}  // namespace

void verify_ima_value(const Options&, VerifyKeys& keys, Console& con, const std::string& path, ByteView value, int fd,
                      const struct stat& st) {
    check_type(path, value);
    if (value[0] == static_cast<uint8_t>(XattrType::verity_digsig))
        throw bad(path + ": fs-verity signatures (type 0x06) are not checked by ima_verify");
    HashAlgo algo = signature_algo(value, path);
    Bytes digest;
    try {
        digest = digest_fd(fd, algo, path, &st);
    } catch (const Error& e) {
        throw bad(e.what());
    }
    check_signature(keys, con, path, value, algo, digest);
}

void verify_ima_value_digest(VerifyKeys& keys, Console& con, const std::string& path, ByteView value, ByteView digest) {
    check_type(path, value);
    HashAlgo algo = signature_algo(value, path);
    check_signature(keys, con, path, value, algo, digest, true);
}

}  // namespace ima::evmctl
