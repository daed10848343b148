// ima-sign's operations on files and trees: sign, hash, verify, clear.
#pragma once

#include "ima/key.hpp"
#include "ima/sign/write_values.hpp"
#include "ima/signature.hpp"

namespace ima::sign {

// v2: over the file digest; v3: over the ima_file_id of the file digest;
// verity: v3 over the ima_file_id of the fs-verity digest (type 0x06).
enum class SigVersion { v2, v3, verity };

// security.ima = signature v2 (or v3 over the ima_file_id) of each file digest.
WalkSummary sign_files(const std::vector<std::string>& paths, const PrivateKey& key, KeyId keyid, SigVersion version,
                       const WriteRequest& req, const RecordFn& on_record, const FailureFn& on_failure);

// The check --skip-signed makes: true when `existing` is a signature of this
// version (type 0x03 v2 or v3, or 0x06), hash algorithm and key id, whose
// signature verifies with `pub` over `digest` (the file digest, or its
// fs-verity digest for SigVersion::verity). Anything else (a digest value,
// another key, algorithm or version, a malformed value, a signature over
// other contents) is false. `pub` must outlive the check.
KeepFn keep_if_signed(EVP_PKEY* pub, KeyId keyid, SigVersion version, HashAlgo algo);

// security.ima = the digest value `evmctl ima_hash` writes (0x01 sha1, else 0x04 + algo).
WalkSummary hash_files(const std::vector<std::string>& paths, const WriteRequest& req, const RecordFn& on_record,
                       const FailureFn& on_failure);

struct VerifyRecord {
    std::string path;
    std::string kind;  // "signature", "digest", ...
    HashAlgo algo;
    std::optional<KeyId> keyid;
    std::optional<std::string> key_source;
};
using VerifyFn = std::function<void(const VerifyRecord&)>;

enum class ValueSource { xattr, sigfile };

// Checks each file's security.ima (or FILE.sig) against its contents and the
// keys. A file that fails is reported through on_failure (VerifyError: "bad
// signature", "no key for key id ...", "digest mismatch", "no security.ima").
WalkSummary verify_files(const std::vector<std::string>& paths, const std::vector<VerifyKey>& keys, XattrNamespace ns,
                         ValueSource source, const WalkOptions& walk, const VerifyFn& on_ok,
                         const FailureFn& on_failure);

// Checks one value against an open file. Throws VerifyError (also for a
// digest value of an algorithm this OpenSSL lacks: md4, rmd128...),
// FormatError (a malformed or non-IMA value, the file changed while it was
// hashed), IoError (reading the file), CryptoError when OpenSSL cannot run
// the check.
VerifyRecord verify_value(ByteView value, int fd, const std::string& path, const std::vector<VerifyKey>& keys);

// Removes security.ima from each file; `removed` counts the files that had one.
WalkSummary clear_files(const std::vector<std::string>& paths, XattrNamespace ns, const WalkOptions& walk,
                        std::atomic<size_t>& removed, const FailureFn& on_failure);

}  // namespace ima::sign
