#include "ima/tree_walk.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "ima/fd.hpp"
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

namespace {

// What readdir sees, depth first, descending at once (evmctl's recursion):
// the relative paths of the regular files, in that order.
void readdir_order(const std::string& dir, const std::string& rel, std::vector<std::string>& out) {
    DirStream d = DirStream::open(dir.c_str());
    ASSERT_TRUE(d);
    while (dirent* e = readdir(d.get())) {
        std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        std::string r = rel.empty() ? name : rel + "/" + name;
        if (e->d_type == DT_REG) out.push_back(r);
        if (e->d_type == DT_DIR) readdir_order(dir + "/" + name, r, out);
    }
}

}  // namespace

TEST(TreeWalk, DirectoryOrderNumbersFilesAsReaddirDepthFirst) {
    test::TempDir d;
    for (int i = 0; i < 40; ++i) {
        std::string name = "f";  // appended: GCC 12 misreports "lit" + temporaries at -O3
        name += std::to_string(i);
        d.file(name, "x");
    }
    for (int i = 0; i < 10; ++i) d.file(numbered(i, 0), "x");
    d.file("e/f/deep", "x");
    ASSERT_EQ(symlink("f1", (d.path() + "/link").c_str()), 0);
    std::vector<std::string> want;
    readdir_order(d.path(), "", want);
    ASSERT_EQ(want.size(), 51u);
    std::mutex m;
    std::map<size_t, std::string> got;
    std::set<size_t> ended;
    WalkOptions o;
    o.jobs = 4;
    o.order = WalkOrder::directory;
    o.after_each = [&](size_t seq) {
        std::lock_guard lk(m);
        EXPECT_TRUE(ended.insert(seq).second) << seq << " ended twice";
    };
    WalkSummary s = walk_files({d.path()}, o, [&](const WalkFile& f) {
        std::lock_guard lk(m);
        got[f.seq] = f.rel;
    });
    EXPECT_TRUE(s.failures.empty());
    std::vector<std::string> in_order;
    for (size_t i = 0; i < got.size(); ++i) {
        ASSERT_TRUE(got.count(i)) << "seq " << i << " missing";
        in_order.push_back(got[i]);
    }
    EXPECT_EQ(in_order, want);
    EXPECT_EQ(ended.size(), want.size());
}

TEST(TreeWalk, FurtherNamesOfAHardLinkAreNumberedAsAliases) {
    for (WalkOrder order : {WalkOrder::sorted, WalkOrder::directory}) {
        Tree t;
        std::mutex m;
        std::map<size_t, std::string> visited;
        std::vector<WalkAlias> aliases;
        std::vector<std::string> alias_paths;
        WalkOptions o;
        o.order = order;
        o.on_alias = [&](const WalkAlias& a) {
            aliases.push_back(a);
            alias_paths.push_back(a.path);
        };
        std::map<size_t, bool> linked;
        walk_files({t.path()}, o, [&](const WalkFile& f) {
            std::lock_guard lk(m);
            visited[f.seq] = f.rel;
            linked[f.seq] = f.linked;
        });
        ASSERT_EQ(aliases.size(), 1u);
        // the visited name is marked from the scan, so a caller keeps what an alias will need
        for (auto& [seq, l] : linked) EXPECT_EQ(l, seq == aliases[0].first) << visited[seq];
        // the alias points at the name that was visited, and takes the seq left free
        ASSERT_TRUE(visited.count(aliases[0].first));
        EXPECT_TRUE(visited[aliases[0].first] == "a.txt" || visited[aliases[0].first] == "sub/hard");
        EXPECT_FALSE(visited.count(aliases[0].seq));
        EXPECT_EQ(visited.size() + aliases.size(), 5u);
        EXPECT_TRUE(alias_paths[0].ends_with("/a.txt") || alias_paths[0].ends_with("/sub/hard"));
    }
}

TEST(TreeWalk, FileOperandsAreVisitedAsNamedEvenWhenHardLinked) {
    Tree t;  // a.txt and sub/hard are one inode
    Seen seen;
    WalkSummary s = walk({t.path() + "/a.txt", t.path() + "/sub/hard"}, seen);
    EXPECT_TRUE(s.failures.empty());
    EXPECT_EQ(s.files, 2u);
    EXPECT_EQ(seen.rel.size(), 2u);
}

TEST(TreeWalk, AfterEachEndsEveryQueuedFileAlsoTheOnesThatFail) {
    Tree t;
    std::mutex m;
    std::set<size_t> ended;
    WalkOptions o;
    o.after_each = [&](size_t seq) {
        std::lock_guard lk(m);
        ended.insert(seq);
    };
    WalkSummary s = walk_files({t.path()}, o, [](const WalkFile& f) {
        if (f.rel == "sub/b.bin") throw FormatError("bad value");
    });
    EXPECT_EQ(s.failures.size(), 1u);
    EXPECT_EQ(ended.size(), 4u);
}
