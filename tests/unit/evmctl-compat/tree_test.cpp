#include "tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "ima/fd.hpp"
#include "status.hpp"

using namespace ima;
using namespace ima::evmctl;
namespace fs = std::filesystem;

namespace {

struct TempTree {
    fs::path root;
    TempTree() {
        char tmpl[] = "/tmp/evmctl-tree-test.XXXXXX";
        root = mkdtemp(tmpl);
    }
    ~TempTree() { fs::remove_all(root); }
    void file(const std::string& rel, const std::string& text = "x") {
        fs::create_directories((root / rel).parent_path());
        std::ofstream(root / rel) << text;
    }
};

// What `find` with opendir/readdir (evmctl's walk) sees, recursively.
void reference(const fs::path& dir, std::vector<FileKey>& out) {
    DIR* d = opendir(dir.c_str());
    ASSERT_NE(d, nullptr);
    struct stat dst {};
    ASSERT_EQ(stat(dir.c_str(), &dst), 0);
    while (dirent* e = readdir(d)) {
        if (!std::strcmp(e->d_name, ".") || !std::strcmp(e->d_name, "..")) continue;
        if (e->d_type == DT_REG) out.push_back(FileKey{dst.st_dev, e->d_ino});
        if (e->d_type == DT_DIR) reference(dir / e->d_name, out);
    }
    closedir(d);
}

}  // namespace

TEST(Tree, VisitOrderIsReaddirDepthFirst) {
    TempTree t;
    for (int i = 0; i < 40; ++i) t.file(std::string("f").append(std::to_string(i)));
    for (int i = 0; i < 10; ++i) t.file(std::string("d/sub").append(std::to_string(i)).append("/g"));
    t.file("d/e/f/deep");
    fs::create_symlink("f1", t.root / "link");
    mkfifo((t.root / "fifo").c_str(), 0600);
    Fd dir(open(t.root.c_str(), O_RDONLY | O_DIRECTORY));
    std::vector<FileKey> want;
    reference(t.root, want);
    EXPECT_EQ(want.size(), 40u + 10u + 1u);
    EXPECT_EQ(evmctl_visit_order(dir.get(), false), want);
}

TEST(Tree, OutputFollowsTheVisitOrderWhateverTheWorkerOrder) {
    TempTree t;
    for (int i = 0; i < 200; ++i)
        t.file(std::string("d").append(std::to_string(i % 7)).append("/f").append(std::to_string(i)),
               std::to_string(i));
    std::ostringstream out, err;
    Console con(out, err, "evmctl");
    auto op = [](const WalkFile& f, std::string& o) { o += std::to_string(f.st.st_ino) + "\n"; };
    RecurseOptions ro;
    ro.jobs = 4;
    EXPECT_EQ(run_recursive(t.root.string(), ro, op, con), 0);
    Fd dir(open(t.root.c_str(), O_RDONLY | O_DIRECTORY));
    std::string want;
    for (const auto& k : evmctl_visit_order(dir.get(), false)) want += std::to_string(k.ino) + "\n";
    EXPECT_EQ(out.str(), want);
    EXPECT_EQ(err.str(), "");
}

TEST(Tree, HardLinksPrintOncePerPathAsEvmctlVisitsThem) {
    TempTree t;
    t.file("a");
    fs::create_hard_link(t.root / "a", t.root / "b");
    std::ostringstream out, err;
    Console con(out, err, "evmctl");
    int calls = 0;
    auto op = [&](const WalkFile&, std::string& o) {
        ++calls;
        o += "line\n";
    };
    EXPECT_EQ(run_recursive(t.root.string(), RecurseOptions{}, op, con), 0);
    EXPECT_EQ(calls, 1);  // one inode, signed once
    EXPECT_EQ(out.str(), "line\nline\n");
}

TEST(Tree, AFailingFileIsReportedButTheStatusStaysZero) {
    TempTree t;
    t.file("ok");
    t.file("bad");
    std::ostringstream out, err;
    Console con(out, err, "evmctl");
    auto op = [](const WalkFile& f, std::string& o) {
        if (f.path.ends_with("bad")) throw Failure(125, f.path + ": broken");
        o += "fine\n";
    };
    EXPECT_EQ(run_recursive(t.root.string(), RecurseOptions{}, op, con), 0);
    EXPECT_EQ(out.str(), "fine\n");
    EXPECT_NE(err.str().find("bad: broken"), std::string::npos);
}

TEST(Tree, AnOperandThatIsNotADirectoryIs125) {
    TempTree t;
    t.file("plain");
    std::ostringstream out, err;
    Console con(out, err, "evmctl");
    auto op = [](const WalkFile&, std::string&) {};
    EXPECT_EQ(run_recursive((t.root / "plain").string(), RecurseOptions{}, op, con), 125);
    EXPECT_EQ(run_recursive((t.root / "missing").string(), RecurseOptions{}, op, con), 125);
}

TEST(Tree, TypeWithoutFSelectsNoFile) {
    TempTree t;
    t.file("a");
    std::ostringstream out, err;
    Console con(out, err, "evmctl");
    int calls = 0;
    auto op = [&](const WalkFile&, std::string&) { ++calls; };
    RecurseOptions ro;
    ro.files = false;
    EXPECT_EQ(run_recursive(t.root.string(), ro, op, con), 0);
    EXPECT_EQ(calls, 0);
}
