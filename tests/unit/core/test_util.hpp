// Helpers shared by the unit tests: fixture paths and a temporary folder.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace test {

inline std::string fixture(const std::string& rel) {
    return std::string(FIXTURES_DIR) + "/" + rel;
}

// A fresh folder under /tmp (a filesystem with user.* xattrs), removed at the end.
class TempDir {
public:
    TempDir() {
        std::string tmpl = "/tmp/imaevm-unit.XXXXXX";
        path_ = mkdtemp(tmpl.data());
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    const std::string& path() const { return path_; }
    std::string file(const std::string& name, const std::string& content) const {
        std::string p = path_ + "/" + name;
        std::filesystem::create_directories(std::filesystem::path(p).parent_path());
        std::ofstream(p, std::ios::binary) << content;
        return p;
    }

private:
    std::string path_;
};

}  // namespace test
