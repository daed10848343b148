#include "ima/sign/manifest.hpp"

#include <algorithm>
#include <unordered_map>

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

nlohmann::json manifest_json(std::vector<FileRecord> records, HashAlgo algo, const std::string& root,
                             const HardLinkNames& aliases) {
    std::vector<FileRecord> listed = checked_records(std::move(records));
    if (!aliases.empty()) {
        std::unordered_map<std::string, size_t> by_rel;
        for (size_t i = 0; i < listed.size(); ++i) by_rel.emplace(listed[i].rel, i);
        std::vector<FileRecord> more;
        for (const auto& [name, first] : aliases) {
            auto it = by_rel.find(first);
            if (it == by_rel.end()) continue;
            FileRecord r = listed[it->second];
            r.path = name;
            r.rel = name;
            more.push_back(std::move(r));
        }
        for (auto& r : more) listed.push_back(std::move(r));
        listed = checked_records(std::move(listed));
    }
    nlohmann::json files = nlohmann::json::array();
    for (const auto& r : listed)
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
