// fs-verity digests against the fsverity tool (fsverity-utils), the reference
// for what the kernel computes over a verity-enabled file.
#include "ima/fsverity.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <random>

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/fd.hpp"
#include "test_util.hpp"

namespace {

std::string fsverity_tool_digest(const std::string& path, const char* algo) {
    std::string cmd = std::string("fsverity digest --hash-alg=") + algo + " --compact '" + path + "' 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return "popen failed";
    char buf[512] = {};
    std::string out;
    while (fgets(buf, sizeof buf, p)) out += buf;
    int rc = pclose(p);
    if (rc != 0) ADD_FAILURE() << "fsverity digest failed (install the fsverity package): " << out;
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

std::string random_bytes(size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng());
    return s;
}

// Sizes around the block and tree-level boundaries (128 sha256 hashes a block).
class FsverityDigest : public ::testing::TestWithParam<size_t> {};

TEST_P(FsverityDigest, MatchesFsverityToolForSha256AndSha512) {
    test::TempDir dir;
    std::string path = dir.file("f", random_bytes(GetParam(), static_cast<unsigned>(GetParam())));
    ima::Fd fd(open(path.c_str(), O_RDONLY));
    ASSERT_TRUE(fd);
    EXPECT_EQ(fsverity_tool_digest(path, "sha256"),
              ima::to_hex(ima::fsverity_digest_fd(fd.get(), ima::HashAlgo::sha256, path)));
    EXPECT_EQ(fsverity_tool_digest(path, "sha512"),
              ima::to_hex(ima::fsverity_digest_fd(fd.get(), ima::HashAlgo::sha512, path)));
}

INSTANTIATE_TEST_SUITE_P(Sizes, FsverityDigest,
                         ::testing::Values(0, 1, 4095, 4096, 4097, 64 * 4096, 128 * 4096, 128 * 4096 + 1, 129 * 4096,
                                           128 * 128 * 4096 + 5000));

// A change the file's size and mtime do not show (chmod, chown, a new xattr,
// a write that restores the old mtime) moves ctime: a digest taken across it
// is refused, by the fs-verity hasher as by digest_fd.
TEST(FsverityDigest, AChangeOnlyCtimeShowsWhileHashedIsRefused) {
    test::TempDir dir;
    std::string path = dir.file("f", random_bytes(10000, 3));
    ima::Fd fd(open(path.c_str(), O_RDONLY));
    ASSERT_TRUE(fd);
    struct stat before {
    }, now{};
    ASSERT_EQ(fstat(fd.get(), &before), 0);
    bool moved = false;
    for (int i = 0; i < 400 && !moved; ++i) {  // the clock behind ctime may be coarse: retry until it moves
        ASSERT_EQ(fchmod(fd.get(), i % 2 ? 0644 : 0600), 0);
        ASSERT_EQ(fstat(fd.get(), &now), 0);
        moved = now.st_ctim.tv_sec != before.st_ctim.tv_sec || now.st_ctim.tv_nsec != before.st_ctim.tv_nsec;
        if (!moved) usleep(5000);
    }
    ASSERT_TRUE(moved) << "ctime never moved";
    ASSERT_EQ(now.st_size, before.st_size);
    ASSERT_EQ(now.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
    ASSERT_EQ(now.st_mtim.tv_sec, before.st_mtim.tv_sec);
    EXPECT_FALSE(ima::same_contents_stamp(before, now));
    for (auto algo : {ima::HashAlgo::sha256, ima::HashAlgo::sha512}) {
        try {
            ima::fsverity_digest_fd(fd.get(), algo, path, &before);
            ADD_FAILURE() << "fs-verity digest across a ctime change was accepted";
        } catch (const ima::FormatError& e) {
            EXPECT_EQ(std::string(e.what()), path + ": file changed while it was hashed");
        }
    }
    EXPECT_THROW(ima::digest_fd(fd.get(), ima::HashAlgo::sha256, path, &before), ima::FormatError);
    // Against the stamp taken after the change, the same call succeeds.
    EXPECT_EQ(fsverity_tool_digest(path, "sha256"),
              ima::to_hex(ima::fsverity_digest_fd(fd.get(), ima::HashAlgo::sha256, path, &now)));
}

TEST(FsverityHasher, StreamingInOddPiecesGivesTheSameDigest) {
    std::string data = random_bytes(3 * 4096 + 123, 7);
    ima::FsverityHasher whole, pieces;
    whole.update({reinterpret_cast<const uint8_t*>(data.data()), data.size()});
    for (size_t i = 0; i < data.size(); i += 1000)
        pieces.update({reinterpret_cast<const uint8_t*>(data.data()) + i, std::min<size_t>(1000, data.size() - i)});
    EXPECT_EQ(whole.finish(), pieces.finish());
}

TEST(FsverityHasher, RefusesAlgorithmsFsverityDoesNotKnow) {
    // Braces: clang 14 reads FsverityHasher(HashAlgo::sha1) here as a declaration.
    EXPECT_THROW(ima::FsverityHasher{ima::HashAlgo::sha1}, ima::UsageError);
    EXPECT_FALSE(ima::is_fsverity_algo(ima::HashAlgo::sha384));
}

}  // namespace
