#include "ima/tree_walk.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <set>

#include "test_util.hpp"

using namespace ima;

namespace {

// "d<dir>/f<file>", built by appends (GCC 12 misreports "lit" + temporaries at -O3).
std::string numbered(int dir, int file) {
    std::string s = "d";
    s += std::to_string(dir);
    s += "/f";
    s += std::to_string(file);
    return s;
}

struct Seen {
    std::mutex m;
    std::set<std::string> rel;
};

WalkSummary walk(const std::vector<std::string>& ops, Seen& seen, WalkOptions o = {}) {
    return walk_files(ops, o, [&](const WalkFile& f) {
        EXPECT_TRUE(S_ISREG(f.st.st_mode));
        std::lock_guard lk(seen.m);
        EXPECT_TRUE(seen.rel.insert(f.rel).second) << f.rel << " visited twice";
    });
}

// a tree with every kind of entry the walker must handle
struct Tree : test::TempDir {
    Tree() {
        file("a.txt", "a");
        file("sub/b.bin", "b");
        file("sub/deep/c", "c");
        file("skip/x.o", "x");
        EXPECT_EQ(symlink("a.txt", (path() + "/link-to-file").c_str()), 0);
        EXPECT_EQ(symlink("/etc", (path() + "/link-to-dir").c_str()), 0);
        EXPECT_EQ(link((path() + "/a.txt").c_str(), (path() + "/sub/hard").c_str()), 0);
        EXPECT_EQ(mkfifo((path() + "/fifo").c_str(), 0644), 0);
    }
};

}  // namespace

TEST(TreeWalk, VisitsRegularFilesOnlyAndHardLinksOnce) {
    Tree t;
    Seen seen;
    WalkSummary s = walk({t.path()}, seen);
    EXPECT_TRUE(s.failures.empty());
    EXPECT_EQ(s.files, 4u);
    // a.txt and sub/hard are one inode: exactly one of them is visited
    EXPECT_EQ(seen.rel.count("a.txt") + seen.rel.count("sub/hard"), 1u);
    EXPECT_TRUE(seen.rel.count("sub/deep/c"));
    EXPECT_FALSE(seen.rel.count("link-to-file"));
    EXPECT_FALSE(seen.rel.count("fifo"));
    for (const auto& r : seen.rel) EXPECT_EQ(r.find("link-to-dir"), std::string::npos);
}

TEST(TreeWalk, ExcludesByNameAndByRelativePath) {
    Tree t;
    Seen seen;
    WalkOptions o;
    o.excludes = {"*.o", "sub/deep"};
    walk({t.path()}, seen, o);
    EXPECT_FALSE(seen.rel.count("skip/x.o"));
    EXPECT_FALSE(seen.rel.count("sub/deep/c"));
    EXPECT_TRUE(seen.rel.count("sub/b.bin"));
}

TEST(TreeWalk, SymlinkAndSpecialOperandsAreFailuresOfThatOperand) {
    Tree t;
    Seen seen;
    WalkSummary s =
        walk({t.path() + "/link-to-file", t.path() + "/fifo", t.path() + "/missing", t.path() + "/a.txt"}, seen);
    ASSERT_EQ(s.failures.size(), 3u);
    std::sort(s.failures.begin(), s.failures.end(), [](auto& a, auto& b) { return a.path < b.path; });
    EXPECT_EQ(s.failures[0].message, t.path() + "/fifo: not a regular file");
    EXPECT_EQ(s.failures[1].message, t.path() + "/link-to-file: is a symbolic link (not followed)");
    EXPECT_EQ(s.failures[2].message, t.path() + "/missing: No such file or directory");
    EXPECT_EQ(s.exit_status(), 3);           // a missing operand is an environment error
    EXPECT_EQ(seen.rel.count("a.txt"), 1u);  // named from the folder that holds the operands
    EXPECT_EQ(s.root, lexically_absolute(t.path()));
}

TEST(TreeWalk, CallbackErrorsAreCollectedAndTheWalkGoesOn) {
    Tree t;
    WalkSummary s = walk_files({t.path()}, {}, [](const WalkFile& f) {
        if (f.rel == "sub/b.bin") throw FormatError("bad value");
    });
    ASSERT_EQ(s.failures.size(), 1u);
    EXPECT_EQ(s.failures[0].message, t.path() + "/sub/b.bin: bad value");
    EXPECT_EQ(s.exit_status(), 1);
    EXPECT_EQ(s.files, 4u);
}

TEST(TreeWalk, ManyFilesOnManyThreadsEachOnce) {
    test::TempDir d;
    for (int i = 0; i < 2000; ++i) d.file(numbered(i % 37, i), "x");
    Seen seen;
    std::atomic<size_t> progress{0};
    WalkOptions o;
    o.jobs = 8;
    o.progress = &progress;
    WalkSummary s = walk({d.path()}, seen, o);
    EXPECT_EQ(seen.rel.size(), 2000u);
    EXPECT_EQ(progress.load(), 2000u);
    EXPECT_EQ(s.files, 2000u);
}

TEST(TreeWalk, DeepTreeDoesNotExhaustTheStack) {
    test::TempDir d;
    std::string rel;
    for (int i = 0; i < 300; ++i) rel += "d/";
    d.file(rel + "leaf", "x");
    Seen seen;
    WalkSummary s = walk({d.path()}, seen);
    EXPECT_TRUE(s.failures.empty());
    EXPECT_EQ(seen.rel.size(), 1u);
}
