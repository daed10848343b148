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

// The inodes of the regular files opendir/readdir (evmctl's walk) sees, recursively.
void reference(const fs::path& dir, std::vector<ino_t>& out) {
    DIR* d = opendir(dir.c_str());
    ASSERT_NE(d, nullptr);
    struct stat dst {};
    ASSERT_EQ(stat(dir.c_str(), &dst), 0);
    while (dirent* e = readdir(d)) {
        if (!std::strcmp(e->d_name, ".") || !std::strcmp(e->d_name, "..")) continue;
        if (e->d_type == DT_REG) out.push_back(e->d_ino);
        if (e->d_type == DT_DIR) reference(dir / e->d_name, out);
    }
    closedir(d);
}

}  // namespace

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
    std::vector<ino_t> order;
    reference(t.root, order);
    ASSERT_EQ(order.size(), 200u);
    std::string want;
    for (ino_t ino : order) want += std::to_string(ino) + "\n";
    EXPECT_EQ(out.str(), want);
    EXPECT_EQ(err.str(), "");
}

TEST(Tree, HardLinksPrintOncePerPathAsEvmctlVisitsThem) {
    TempTree t;
    t.file("a");
    t.file("d/x");
    fs::create_hard_link(t.root / "a", t.root / "b");
    fs::create_hard_link(t.root / "a", t.root / "d" / "c");
    std::ostringstream out, err;
    Console con(out, err, "evmctl");
    int calls = 0;
    auto op = [&](const WalkFile& f, std::string& o) {
        ++calls;
        o += std::to_string(f.st.st_ino) + "\n";
    };
    EXPECT_EQ(run_recursive(t.root.string(), RecurseOptions{}, op, con), 0);
    EXPECT_EQ(calls, 2);  // a, b and d/c are one inode, signed once; d/x
    std::vector<ino_t> order;
    reference(t.root, order);
    ASSERT_EQ(order.size(), 4u);
    std::string want;
    for (ino_t ino : order) want += std::to_string(ino) + "\n";
    EXPECT_EQ(out.str(), want);  // one line per name, in evmctl's order
}

TEST(Tree, AFailingFileIsReportedButTheStatusStaysZero) {
    TempTree t;
    t.file("ok");
    t.file("bad");
    std::ostringstream out, err;
    Console con(out, err, "evmctl");
    auto op = [](const WalkFile& f, std::string& o) {
        if (f.path.ends_with("bad")) throw error(f.path + ": broken");
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
