#include "ima/fsverity.hpp"

#include <unistd.h>

#include <cerrno>
#include <memory>

#include "ima/digest.hpp"
#include "ima/error.hpp"

namespace ima {

namespace {
constexpr size_t block_size = 4096;
constexpr uint8_t log_block_size = 12;

// FS_VERITY_HASH_ALG_* (include/uapi/linux/fsverity.h).
uint8_t fsverity_algo_number(HashAlgo a) {
    switch (a) {
        case HashAlgo::sha256: return 1;
        case HashAlgo::sha512: return 2;
        default: throw UsageError(std::string("fs-verity supports sha256 and sha512, not ") + hash_algo_info(a).name);
    }
}
}  // namespace

bool is_fsverity_algo(HashAlgo algo) {
    return algo == HashAlgo::sha256 || algo == HashAlgo::sha512;
}

FsverityHasher::FsverityHasher(HashAlgo algo)
    : algo_((fsverity_algo_number(algo), algo)), hasher_(algo), digest_size_(hash_algo_info(algo).digest_size) {
    data_block_.reserve(block_size);
}

void FsverityHasher::hash_block(size_t level, ByteView block) {
    hasher_.update(block);
    if (block.size() < block_size) {
        static const uint8_t zeros[block_size] = {};
        hasher_.update({zeros, block_size - block.size()});
    }
    push_hash(level, hasher_.finish());
}

// Adds a hash to `level`; a full block of hashes is hashed into the next level.
void FsverityHasher::push_hash(size_t level, const Bytes& h) {
    if (levels_.size() <= level) {
        levels_.resize(level + 1);
        level_count_.resize(level + 1, 0);
    }
    levels_[level].insert(levels_[level].end(), h.begin(), h.end());
    ++level_count_[level];
    if (levels_[level].size() + digest_size_ > block_size) {
        Bytes full = std::move(levels_[level]);
        levels_[level].clear();
        hash_block(level + 1, full);
    }
}

void FsverityHasher::update(ByteView data) {
    data_size_ += data.size();
    while (!data.empty()) {
        size_t take = std::min(block_size - data_block_.size(), data.size());
        if (data_block_.empty() && take == block_size) {
            hash_block(0, data.first(block_size));  // whole block: no copy
        } else {
            data_block_.insert(data_block_.end(), data.begin(), data.begin() + take);
            if (data_block_.size() == block_size) {
                hash_block(0, data_block_);
                data_block_.clear();
            }
        }
        data = data.subspan(take);
    }
}

Bytes FsverityHasher::finish() {
    if (!data_block_.empty()) {
        hash_block(0, data_block_);
        data_block_.clear();
    }
    // The root is the one hash of the first level that has a single hash; the
    // partial blocks below it are zero-padded and hashed upwards first.
    Bytes root(64, 0);
    for (size_t level = 0; level < levels_.size(); ++level) {
        if (level_count_[level] == 1 && levels_[level].size() == digest_size_) {
            std::copy(levels_[level].begin(), levels_[level].end(), root.begin());
            break;
        }
        if (!levels_[level].empty()) {
            Bytes part = std::move(levels_[level]);
            levels_[level].clear();
            hash_block(level + 1, part);
        }
    }
    // struct fsverity_descriptor: version, hash_algorithm, log_blocksize,
    // salt_size, __le32 reserved, __le64 data_size, root_hash[64], salt[32],
    // reserved[144]: 256 bytes.
    Bytes desc(256, 0);
    desc[0] = 1;
    desc[1] = fsverity_algo_number(algo_);
    desc[2] = log_block_size;
    for (int i = 0; i < 8; ++i) desc[8 + i] = static_cast<uint8_t>(data_size_ >> (8 * i));
    std::copy(root.begin(), root.end(), desc.begin() + 16);
    Bytes out = digest_bytes(algo_, desc);
    levels_.clear();
    level_count_.clear();
    data_size_ = 0;
    return out;
}

Bytes fsverity_digest_fd(int fd, HashAlgo algo, const std::string& path, const struct stat* known) {
    FsverityHasher h(algo);
    struct stat before {};
    if (known)
        before = *known;
    else if (fstat(fd, &before) != 0)
        throw IoError(path, errno);
    constexpr size_t chunk = 256 * 1024;
    thread_local std::unique_ptr<uint8_t[]> buf(new uint8_t[chunk]);
    off_t off = 0;
    for (;;) {
        ssize_t n = pread(fd, buf.get(), chunk, off);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw IoError(path, errno);
        }
        if (n == 0) break;
        h.update({buf.get(), static_cast<size_t>(n)});
        off += n;
    }
    struct stat after {};
    if (fstat(fd, &after) != 0) throw IoError(path, errno);
    if (!same_contents_stamp(before, after) || off != after.st_size)
        throw FormatError(path + ": file changed while it was hashed");
    return h.finish();
}

}  // namespace ima
