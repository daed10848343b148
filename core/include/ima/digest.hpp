// Digests: of bytes, and streaming from a file descriptor in constant memory.
#pragma once

#include <sys/stat.h>

#include <string>

#include "ima/bytes.hpp"
#include "ima/hash_algo.hpp"
#include "ima/ossl.hpp"

namespace ima {

// Incremental digest. Throws UsageError when this OpenSSL lacks the
// algorithm, CryptoError if OpenSSL fails.
class Hasher {
public:
    explicit Hasher(HashAlgo algo);
    void update(ByteView data);
    Bytes finish();  // the Hasher may be reused after finish()
    HashAlgo algo() const { return algo_; }

private:
    HashAlgo algo_;
    MdCtxPtr ctx_;
};

// Throws as Hasher.
Bytes digest_bytes(HashAlgo algo, ByteView data);

// Digest of a regular file read from `fd` (from offset 0, with pread) in
// 64 KiB chunks. `path` names the file in errors; `known` is an fstat of fd
// the caller already made (else one is made here). Throws IoError on a read
// error, UsageError/CryptoError as Hasher, and FormatError("file changed
// while it was hashed") when the size,
// mtime or ctime differ between that fstat and one after the read, so that no
// signature is made over contents that were never on disk as a whole.
Bytes digest_fd(int fd, HashAlgo algo, const std::string& path, const struct stat* known = nullptr);

// True when two fstat results of one file show the same contents: same
// size, mtime and ctime (what digest_fd and fsverity_digest_fd compare).
bool same_contents_stamp(const struct stat& a, const struct stat& b);

// Same, for several algorithms at once, reading the file once.
std::vector<Bytes> digest_fd_multi(int fd, const std::vector<HashAlgo>& algos, const std::string& path,
                                   const struct stat* known = nullptr);

}  // namespace ima
