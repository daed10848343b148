#include "ima/digest.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "ima/error.hpp"
#include "ima/fd.hpp"
#include "test_util.hpp"

using namespace ima;

TEST(Digest, KnownVectors) {
    Bytes abc{'a', 'b', 'c'};
    EXPECT_EQ(to_hex(digest_bytes(HashAlgo::sha1, abc)), "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(to_hex(digest_bytes(HashAlgo::sha256, abc)),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Digest, FileDigestEqualsDigestOfContents) {
    test::TempDir d;
    std::string content(1 << 20, 'x');
    content += "tail";  // not a multiple of the chunk size
    std::string p = d.file("f", content);
    Fd fd(open(p.c_str(), O_RDONLY));
    EXPECT_EQ(digest_fd(fd.get(), HashAlgo::sha256, p), digest_bytes(HashAlgo::sha256, view(content)));
    auto both = digest_fd_multi(fd.get(), {HashAlgo::sha1, HashAlgo::sha512}, p);
    EXPECT_EQ(both[0], digest_bytes(HashAlgo::sha1, view(content)));
    EXPECT_EQ(both[1], digest_bytes(HashAlgo::sha512, view(content)));
}

TEST(Digest, HasherIsReusableAfterFinish) {
    Hasher h(HashAlgo::sha256);
    h.update(Bytes{'a'});
    Bytes first = h.finish();
    h.update(Bytes{'a'});
    EXPECT_EQ(h.finish(), first);
}

TEST(Digest, FileChangingWhileHashedIsRefused) {
    test::TempDir d;
    std::string p = d.path() + "/big";
    {
        Fd w(open(p.c_str(), O_CREAT | O_WRONLY, 0644));
        ASSERT_EQ(ftruncate(w.get(), 2LL << 30), 0);  // 2 GiB sparse: hashing takes a while
    }
    Fd fd(open(p.c_str(), O_RDONLY));
    std::atomic<bool> started{false};
    std::thread writer([&] {
        while (!started) std::this_thread::yield();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        Fd w(open(p.c_str(), O_WRONLY));
        ASSERT_EQ(pwrite(w.get(), "x", 1, 0), 1);
    });
    started = true;
    try {
        digest_fd(fd.get(), HashAlgo::sha1, p);
        writer.join();
        FAIL() << "a file written during hashing was accepted";
    } catch (const FormatError& e) {
        writer.join();
        EXPECT_EQ(std::string(e.what()), p + ": file changed while it was hashed");
    }
}
