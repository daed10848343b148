// The tool's library: reading policy files, loading into a stand-in for
// securityfs, mountinfo, the printed words.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ima/error.hpp"
#include "ima/policy/load.hpp"
#include "ima/policy/path_facts.hpp"
#include "ima/policy/policy_file.hpp"
#include "ima/policy/report.hpp"

using namespace ima::policy;
namespace fs = std::filesystem;

namespace {
struct TempDir {
    fs::path path;
    TempDir() {
        char tmpl[] = "/tmp/policy-unit.XXXXXX";
        path = mkdtemp(tmpl);
    }
    ~TempDir() { fs::remove_all(path); }
};
std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
}  // namespace

TEST(PolicyCliLib, MountinfoGivesTheFilesystemType) {
    const std::string mi =
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
        "23 22 0:21 / /proc rw - proc proc rw\n"
        "40 22 0:45 / /home/u/remote rw,nosuid - fuse.sshfs u@h:/ rw\n"
        "bad line\n";
    EXPECT_EQ(mount_fstype_for(mi, 8, 1), "ext4");
    EXPECT_EQ(mount_fstype_for(mi, 0, 21), "proc");
    EXPECT_EQ(mount_fstype_for(mi, 0, 45), "fuse");
    EXPECT_FALSE(mount_fstype_for(mi, 9, 9));
    EXPECT_FALSE(mount_fstype_for("1 2 3:4 / / rw\n", 3, 4));
    EXPECT_FALSE(mount_fstype_for("", 0, 0));
}

TEST(PolicyCliLib, PathFactsOfARealFile) {
    TempDir d;
    fs::path f = d.path / "f";
    std::ofstream(f) << "x";
    PathFacts pf = path_facts(f.string());
    EXPECT_EQ(pf.uid, getuid());
    EXPECT_NE(pf.fsmagic, 0u);
    EXPECT_TRUE(pf.fsname);
    EXPECT_THROW(path_facts((d.path / "missing").string()), ima::IoError);
}

TEST(PolicyCliLib, ReadPolicyFileRefusesWhatIsNoPolicy) {
    TempDir d;
    std::ofstream(d.path / "ok") << "measure func=BPRM_CHECK\n";
    EXPECT_EQ(read_policy_file((d.path / "ok").string()), "measure func=BPRM_CHECK\n");
    std::ofstream(d.path / "nul", std::ios::binary) << std::string("measure\0", 8);
    EXPECT_THROW(read_policy_file((d.path / "nul").string()), ima::FormatError);
    try {
        read_policy_file(d.path.string());  // a folder: not a file the tool can read (exit 3)
        ADD_FAILURE() << "a folder was read as a policy";
    } catch (const ima::Error& e) {
        EXPECT_EQ(e.kind(), ima::ErrorKind::env);
    }
    EXPECT_THROW(read_policy_file((d.path / "missing").string()), ima::IoError);
}

TEST(PolicyCliLib, LoadWritesTheTextOrThePath) {
    TempDir d;
    fs::create_directories(d.path / "ima");
    fs::path target = d.path / "ima" / "policy";
    std::ofstream(target) << "";
    fs::path pol = d.path / "p";
    std::ofstream(pol) << "measure func=BPRM_CHECK";
    LoadResult r =
        load_policy(target.string(), pol.string(), "measure func=BPRM_CHECK", LoadMethod::text, LoadMode::load);
    EXPECT_EQ(slurp(target), "measure func=BPRM_CHECK\n");  // a rule ends with a newline
    EXPECT_EQ(r.writes, 1u);
    std::ofstream(target, std::ios::trunc) << "";
    r = load_policy(target.string(), pol.string(), "", LoadMethod::path, LoadMode::load);
    EXPECT_EQ(r.method, LoadMethod::path);
    EXPECT_EQ(slurp(target), fs::canonical(pol).string());
}

TEST(PolicyCliLib, LoadNamesAMissingTargetAndRefusesACheckItCannotTrust) {
    TempDir d;
    try {
        load_policy((d.path / "ima/policy").string(), "p", "measure\n", LoadMethod::text, LoadMode::load);
        FAIL() << "no error";
    } catch (const ima::Error& e) {
        EXPECT_EQ(e.exit_status(), 3);
        EXPECT_NE(std::string(e.what()).find("not there"), std::string::npos);
    }
    // A plain file takes the check's sentinel: it is not the kernel.
    fs::create_directories(d.path / "ima");
    std::ofstream(d.path / "ima/policy") << "";
    EXPECT_THROW(load_policy((d.path / "ima/policy").string(), "p", "measure\n", LoadMethod::text, LoadMode::check),
                 ima::Error);
}

TEST(PolicyCliLib, ReportWords) {
    Diagnostic d{Diagnostic::error, 3, 9, "bad-value", "func=X: not a hook"};
    EXPECT_EQ(diagnostic_line("p", d), "p:3:9: error: func=X: not a hook [bad-value]");
    auto j = lint_json("p", {d}, KernelVersion{6, 1, 0});
    EXPECT_EQ(j["errors"], 1);
    EXPECT_EQ(j["kernel"], "6.1");
    EXPECT_EQ(j["diagnostics"][0]["code"], "bad-value");
    Policy p = parse_policy("measure func=BPRM_CHECK pcr=11\nappraise func=BPRM_CHECK appraise_type=imasig\n");
    Event e;
    e.func = Func::bprm_check;
    e.fsmagic = 0x1021994;
    Decision dec = evaluate(p, e);
    std::string t = explain_text(e, dec);
    EXPECT_NE(t.find("event:    func=BPRM_CHECK mask=MAY_EXEC fsmagic=0x1021994 (tmpfs)"), std::string::npos) << t;
    EXPECT_NE(t.find("measure:  yes (line 1: measure func=BPRM_CHECK pcr=11), PCR 11"), std::string::npos) << t;
    EXPECT_NE(t.find("appraise: yes (line 2: appraise func=BPRM_CHECK appraise_type=imasig), signature required"),
              std::string::npos)
        << t;
    auto jj = explain_json(e, dec);
    EXPECT_EQ(jj["appraise"]["line"], 2);
    EXPECT_EQ(jj["measure"]["pcr"], 11);
}
