#include "manifest.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "ima/error.hpp"
#include "ima/fd.hpp"

namespace ima::sign {

nlohmann::json manifest_json(std::vector<FileRecord> records, HashAlgo algo) {
    std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) { return a.rel < b.rel; });
    nlohmann::json files = nlohmann::json::array();
    for (const auto& r : records) {
        std::string rel = r.rel;
        while (rel.rfind("./", 0) == 0) rel.erase(0, 2);
        files.push_back({{"path", rel}, {"digest", to_hex(r.digest)}, {"security.ima", to_hex(r.value)}});
    }
    return {{"version", 1}, {"hash_algo", hash_algo_info(algo).name}, {"files", std::move(files)}};
}

void write_text_file(const std::string& path, const std::string& text) {
    std::string tmp = path + ".XXXXXX";
    Fd fd(mkostemp(tmp.data(), O_CLOEXEC));
    if (!fd) throw IoError(path, errno);
    size_t off = 0;
    while (off < text.size()) {
        ssize_t n = write(fd.get(), text.data() + off, text.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int e = errno;
            unlink(tmp.c_str());
            throw IoError(path, e);
        }
        off += static_cast<size_t>(n);
    }
    fchmod(fd.get(), 0644);
    if (rename(tmp.c_str(), path.c_str()) != 0) {
        int e = errno;
        unlink(tmp.c_str());
        throw IoError(path, e);
    }
}

}  // namespace ima::sign
