#include "ima/file_io.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "ima/error.hpp"
#include "test_util.hpp"

using namespace ima;

namespace {

std::vector<std::string> names_in(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename());
    std::sort(out.begin(), out.end());
    return out;
}

std::string contents(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST(ReadBounded, ReadsWholeFilesAndRefusesWhatIsLarger) {
    test::TempDir d;
    std::string p = d.file("f", std::string(1000, 'x'));
    EXPECT_EQ(read_bounded(p, ReadOptions{.max_bytes = 1000}).size(), 1000u);
    try {
        read_bounded(p, ReadOptions{.max_bytes = 999}, "manifest");
        FAIL();
    } catch (const FormatError& e) {
        EXPECT_EQ(std::string(e.what()), "manifest " + p + ": larger than 999 bytes");
    }
}

TEST(ReadBounded, RefusesDevicesFifosAndNulBytesWhenAsked) {
    test::TempDir d;
    try {
        read_bounded("/dev/zero", ReadOptions{.max_bytes = 1 << 20});
        FAIL() << "a device of endless zeros was read";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::env);
        EXPECT_EQ(std::string(e.what()), "/dev/zero: not a regular file");
    }
    std::string fifo = d.path() + "/fifo";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_THROW(read_bounded(fifo, ReadOptions{.max_bytes = 10}), Error);  // returns at once: O_NONBLOCK
    std::string nul = d.file("nul", std::string("a\0b", 3));
    EXPECT_THROW(read_bounded(nul, ReadOptions{.max_bytes = 10, .nul = Nul::refuse}), FormatError);
    EXPECT_EQ(read_bounded(nul, ReadOptions{.max_bytes = 10}).size(), 3u);
}

TEST(ReadBounded, TheCheckSeesTheBytesAsTheyArriveAndStopsTheRead) {
    test::TempDir d;
    std::string p = d.file("big", std::string(1 << 20, 'z'));
    size_t calls = 0;
    try {
        read_bounded(p, ReadOptions{.max_bytes = 1 << 30}, "", [&](ByteView so_far) {
            ++calls;
            if (so_far.size() >= 65536) throw FormatError("not what was expected");
        });
        FAIL();
    } catch (const FormatError& e) {
        EXPECT_EQ(std::string(e.what()), "not what was expected");
    }
    EXPECT_EQ(calls, 1u);  // the first 64 KiB decided
}

TEST(ReadBounded, NoSymlinkWhenAsked) {
    test::TempDir d;
    std::string target = d.file("t", "x");
    std::string link = d.path() + "/l";
    ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
    EXPECT_EQ(read_bounded(link, ReadOptions{.max_bytes = 10}).size(), 1u);
    try {
        read_bounded(link, ReadOptions{.max_bytes = 10, .follow_link = false});
        FAIL();
    } catch (const IoError& e) {
        EXPECT_EQ(e.err, ELOOP);
    }
}

TEST(ReadBounded, APipeOpenedNonBlockingIsReadWholeAndAFailedFcntlIsAnError) {
    int p[2];
    ASSERT_EQ(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // Write once the reader has met EAGAIN and cleared O_NONBLOCK on the
        // description both share (at most 10 s: a reader that never clears
        // it fails the check below).
        for (int i = 0; i < 10000 && (fcntl(p[0], F_GETFL) & O_NONBLOCK); ++i) usleep(1000);
        (void)!write(p[1], "late", 4);
        _exit(0);
    }
    close(p[1]);
    Bytes got = read_bounded_fd(p[0], "pipe", ReadOptions{.max_bytes = 16});
    EXPECT_EQ(std::string(got.begin(), got.end()), "late");
    EXPECT_EQ(fcntl(p[0], F_GETFL) & O_NONBLOCK, 0);
    close(p[0]);
    waitpid(child, nullptr, 0);
    // A descriptor that is not open: the error names it, no loop on EAGAIN.
    try {
        make_blocking(p[0], "pipe");
        FAIL();
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("pipe"), std::string::npos) << e.what();
    }
}

TEST(AtomicFile, AppearsOnlyAtCommitAndLeavesNothingOtherwise) {
    test::TempDir d;
    const std::string p = d.path() + "/out";
    {
        AtomicFile f(p);
        f.write("half");
        EXPECT_FALSE(std::filesystem::exists(p));
        EXPECT_TRUE(names_in(d.path()).empty()) << "a name appeared before commit";
    }  // dropped without commit
    EXPECT_TRUE(names_in(d.path()).empty());
    write_atomic(p, "first");
    write_atomic(p, "second");  // replaces an existing file
    EXPECT_EQ(contents(p), "second");
    EXPECT_EQ(names_in(d.path()), std::vector<std::string>{"out"});
}

TEST(AtomicFile, AKilledWriterLeavesNothingBehind) {
    test::TempDir d;
    const std::string p = d.path() + "/out";
    write_atomic(p, "old");
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        AtomicFile f(p);
        f.write(std::string(1 << 20, 'n'));
        raise(SIGKILL);  // no destructor, no atexit: as `kill -9` would
        _exit(1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status));
    EXPECT_EQ(names_in(d.path()), std::vector<std::string>{"out"});
    EXPECT_EQ(contents(p), "old");
}

TEST(AtomicFile, ASymlinkAtTheTargetIsReplacedNeverFollowed) {
    test::TempDir d;
    std::string victim = d.file("victim", "precious");
    const std::string p = d.path() + "/out";
    ASSERT_EQ(symlink(victim.c_str(), p.c_str()), 0);
    write_atomic(p, "new");
    EXPECT_EQ(contents(victim), "precious");
    struct stat st {};
    ASSERT_EQ(lstat(p.c_str(), &st), 0);
    EXPECT_TRUE(S_ISREG(st.st_mode));
    EXPECT_EQ(contents(p), "new");
}

TEST(AtomicFile, AMissingFolderFailsBeforeAnythingIsWritten) {
    test::TempDir d;
    try {
        AtomicFile f(d.path() + "/no/such/folder/out");
        FAIL();
    } catch (const IoError& e) {
        EXPECT_EQ(e.err, ENOENT);
        EXPECT_EQ(std::string(e.what()), d.path() + "/no/such/folder/out: No such file or directory");
    }
}

TEST(AtomicFile, NewFilesGetTheModeLessTheUmask) {
    test::TempDir d;
    mode_t old = umask(027);
    write_atomic(d.path() + "/f", "x", 0666);
    umask(old);
    struct stat st {};
    ASSERT_EQ(stat((d.path() + "/f").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST(AtomicFile, ItsTemporaryNamesAreKnownAndNothingElseIs) {
    EXPECT_EQ(atomic_temp_target(".one.sig.0123456789abcdef.tmp"), std::optional<std::string_view>("one.sig"));
    EXPECT_EQ(atomic_temp_target("..x.0123456789abcdef.tmp"), std::optional<std::string_view>(".x"));
    for (const char* other : {"one.sig", ".one.sig.tmp", ".one.sig.0123456789ABCDEF.tmp",
                              ".one.sig.0123456789abcde.tmp", "one.sig.0123456789abcdef.tmp",
                              ".one.sig.0123456789abcdef.tmpx", "..0123456789abcdef.tmp", ".0123456789abcdef.tmp", ""})
        EXPECT_FALSE(atomic_temp_target(other)) << other;
}
