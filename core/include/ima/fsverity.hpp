// fs-verity file digests computed in user space, as `fsverity digest` prints
// them and as the kernel measures files with verity enabled
// (Documentation/filesystems/fsverity.rst, fs/verity/hash_algs.c, open.c):
// a Merkle tree over 4 KiB blocks (the last one zero-padded), no salt, and
// the digest of the 256-byte fsverity_descriptor that holds its root hash.
#pragma once

#include <sys/stat.h>

#include <string>
#include <vector>

#include "ima/bytes.hpp"
#include "ima/digest.hpp"
#include "ima/hash_algo.hpp"

namespace ima {

// True for the algorithms fs-verity knows (sha256, sha512).
bool is_fsverity_algo(HashAlgo algo);

// Streams file contents in; finish() returns the fs-verity file digest.
// Memory: one block per tree level. Throws UsageError for an algorithm
// fs-verity does not know (or this OpenSSL lacks), CryptoError as Hasher.
class FsverityHasher {
public:
    explicit FsverityHasher(HashAlgo algo = HashAlgo::sha256);
    void update(ByteView data);
    Bytes finish();

private:
    void push_hash(size_t level, const Bytes& h);
    void hash_block(size_t level, ByteView block);
    HashAlgo algo_;
    Hasher hasher_;
    size_t digest_size_;
    uint64_t data_size_ = 0;
    Bytes data_block_;                   // the data block being filled
    std::vector<Bytes> levels_;          // per tree level: the block of hashes being filled
    std::vector<uint64_t> level_count_;  // per tree level: hashes pushed so far
};

// The fs-verity digest of a regular file read through `fd` (same contract as
// digest_fd: constant memory, "file changed while it was hashed"). Throws
// UsageError for an algorithm fs-verity does not know (or this OpenSSL
// lacks), IoError on a read error, FormatError when the file changed while
// it was hashed, CryptoError if OpenSSL fails.
Bytes fsverity_digest_fd(int fd, HashAlgo algo, const std::string& path, const struct stat* known = nullptr);

}  // namespace ima
