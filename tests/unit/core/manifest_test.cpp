// The reference manifest parser: a valid manifest, and each malformed field
// named in the error.
#include "ima/manifest.hpp"

#include <gtest/gtest.h>

#include "ima/error.hpp"

namespace {

ima::Manifest parse(const std::string& s) {
    return ima::parse_manifest({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

std::string error_of(const std::string& s) {
    try {
        parse(s);
    } catch (const ima::FormatError& e) {
        return e.what();
    }
    return "no error";
}

const std::string d256(64, 'a');

TEST(Manifest, ParsesFilesWithDigestsAndValues) {
    auto m = parse(R"({"version":1,"hash_algo":"sha256","files":[{"path":"usr/bin/ls","digest":")" + d256 +
                   R"(","security.ima":"0404)" + d256 + R"("}]})");
    EXPECT_EQ(m.algo, ima::HashAlgo::sha256);
    ASSERT_EQ(m.files.size(), 1u);
    EXPECT_EQ(m.files[0].path, "usr/bin/ls");
    EXPECT_EQ(m.files[0].digest.size(), 32u);
    EXPECT_EQ(m.files[0].ima_value.size(), 34u);
}

TEST(Manifest, NamesTheBrokenField) {
    EXPECT_EQ(error_of("{"), "not valid JSON");
    EXPECT_EQ(error_of("[]"), "not a JSON object");
    EXPECT_EQ(error_of(R"({"hash_algo":"sha256","files":[]})"), "manifest: missing \"version\"");
    EXPECT_EQ(error_of(R"({"version":1,"hash_algo":"sha256","files":{}})"), "files: not an array");
    EXPECT_EQ(error_of(R"({"version":1,"hash_algo":"sha256","files":[{"digest":")" + d256 + R"("}]})"),
              "files[0]: missing \"path\"");
    EXPECT_EQ(error_of(R"({"version":1,"hash_algo":"sha256","files":[{"path":"a/./b","digest":")" + d256 + R"("}]})"),
              "files[0].path: 'a/./b' is not a relative path inside the root");
    EXPECT_EQ(error_of(R"({"version":1,"hash_algo":"sha256","files":[{"path":"a","digest":"zz"}]})"),
              "files[0].digest: digest: not a hex digit at position 0");
}

TEST(Manifest, TheRootItWasSignedFromIsReadWhenGiven) {
    const std::string files = R"("files":[{"path":"a","digest":")" + d256 + R"("}])";
    EXPECT_EQ(parse(R"({"version":1,"hash_algo":"sha256",)" + files + "}").root, "");
    EXPECT_EQ(parse(R"({"version":1,"hash_algo":"sha256","root":"/build/rootfs",)" + files + "}").root,
              "/build/rootfs");
    EXPECT_EQ(error_of(R"({"version":1,"hash_algo":"sha256","root":"rootfs",)" + files + "}"),
              "root: 'rootfs' is not an absolute path");
    EXPECT_EQ(error_of(R"({"version":1,"hash_algo":"sha256","root":"",)" + files + "}"),
              "root: '' is not an absolute path");
    EXPECT_EQ(error_of(R"({"version":1,"hash_algo":"sha256","root":7,)" + files + "}"), "manifest.root: not a string");
}

TEST(Manifest, SafeRelativePaths) {
    EXPECT_TRUE(ima::is_safe_relative_path("usr/bin/ls"));
    for (const char* p : {"", "/abs", "..", "a/../b", "a//b", "a/", "./a"})
        EXPECT_FALSE(ima::is_safe_relative_path(p)) << p;
}

}  // namespace
