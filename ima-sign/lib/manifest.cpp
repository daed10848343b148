#include "ima/sign/manifest.hpp"

#include <algorithm>

#include "ima/error.hpp"
#include "ima/manifest.hpp"
#include "ima/printable.hpp"

namespace ima::sign {

std::vector<FileRecord> checked_records(std::vector<FileRecord> records) {
    std::stable_sort(records.begin(), records.end(), [](const auto& a, const auto& b) { return a.rel < b.rel; });
    std::vector<FileRecord> out;
    out.reserve(records.size());
    for (auto& r : records) {
        if (!is_safe_relative_path(r.rel))
            throw FormatError(printable(r.path) + ": '" + printable(r.rel) +
                              "' is not a relative path inside the root: it cannot be listed");
        if (!is_utf8(r.rel))
            throw FormatError(printable(r.path) + ": the name is not UTF-8, which a JSON document cannot hold");
        if (!out.empty() && out.back().rel == r.rel)
            out.back() = std::move(r);
        else
            out.push_back(std::move(r));
    }
    return out;
}

nlohmann::json manifest_json(std::vector<FileRecord> records, HashAlgo algo, const std::string& root) {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& r : checked_records(std::move(records)))
        files.push_back({{"path", r.rel}, {"digest", to_hex(r.digest)}, {"security.ima", to_hex(r.value)}});
    nlohmann::json doc = {{"version", 1}, {"hash_algo", hash_algo_info(algo).name}, {"files", std::move(files)}};
    if (!root.empty()) {
        if (!is_utf8(root))
            throw FormatError(printable(root) + ": the folder name is not UTF-8, which a JSON document cannot hold");
        doc["root"] = root;
    }
    return doc;
}

}  // namespace ima::sign
