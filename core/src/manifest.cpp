#include "ima/manifest.hpp"

#include <nlohmann/json.hpp>
#include <set>

#include "ima/error.hpp"
#include "ima/printable.hpp"
#include "ima/xattr_format.hpp"

namespace ima {

bool is_safe_relative_path(const std::string& rel) {
    if (rel.empty() || rel.front() == '/' || rel.find('\0') != std::string::npos) return false;
    size_t start = 0;
    while (start <= rel.size()) {
        size_t end = rel.find('/', start);
        if (end == std::string::npos) end = rel.size();
        std::string part = rel.substr(start, end - start);
        if (part.empty() || part == "." || part == "..") return false;
        start = end + 1;
    }
    return true;
}

namespace {

const nlohmann::json& field(const nlohmann::json& obj, const char* key, const std::string& where) {
    auto it = obj.find(key);
    if (it == obj.end()) throw FormatError(where + ": missing \"" + key + "\"");
    return *it;
}

std::string string_field(const nlohmann::json& obj, const char* key, const std::string& where) {
    const auto& v = field(obj, key, where);
    if (!v.is_string()) throw FormatError(where + "." + key + ": not a string");
    return v.get<std::string>();
}

}  // namespace

Manifest parse_manifest(ByteView text) {
    nlohmann::json doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded()) throw FormatError("not valid JSON");
    if (!doc.is_object()) throw FormatError("not a JSON object");
    const auto& version = field(doc, "version", "manifest");
    if (!version.is_number_integer() || version.get<long long>() != 1)
        throw FormatError("version: only version 1 is known");
    Manifest m;
    std::string algo = string_field(doc, "hash_algo", "manifest");
    try {
        m.algo = parse_hash_algo(algo);
    } catch (const Error& e) {
        throw FormatError(std::string("hash_algo: ") + e.what());
    }
    if (doc.contains("root")) {
        m.root = string_field(doc, "root", "manifest");
        if (m.root.empty() || m.root.front() != '/' || m.root.find('\0') != std::string::npos)
            throw FormatError("root: '" + printable(m.root) + "' is not an absolute path");
    }
    const auto& files = field(doc, "files", "manifest");
    if (!files.is_array()) throw FormatError("files: not an array");
    const size_t want = hash_algo_info(m.algo).digest_size;
    std::set<std::string> seen;
    m.files.reserve(files.size());
    for (size_t i = 0; i < files.size(); ++i) {
        const std::string where = "files[" + std::to_string(i) + "]";
        const auto& f = files[i];
        if (!f.is_object()) throw FormatError(where + ": not an object");
        ManifestFile mf;
        mf.path = string_field(f, "path", where);
        if (!is_safe_relative_path(mf.path))
            throw FormatError(where + ".path: '" + mf.path + "' is not a relative path inside the root");
        if (!seen.insert(mf.path).second) throw FormatError(where + ".path: '" + mf.path + "' appears twice");
        try {
            mf.digest = from_hex(string_field(f, "digest", where), "digest");
        } catch (const FormatError& e) {
            throw FormatError(where + ".digest: " + e.what());
        }
        if (mf.digest.size() != want)
            throw FormatError(where + ".digest: " + std::to_string(mf.digest.size()) + " bytes, " + algo + " needs " +
                              std::to_string(want));
        if (f.contains("security.ima")) {
            try {
                mf.ima_value = from_hex(string_field(f, "security.ima", where), "security.ima");
                decode_xattr(mf.ima_value);
            } catch (const FormatError& e) {
                throw FormatError(where + ".security.ima: " + e.what());
            }
        }
        m.files.push_back(std::move(mf));
    }
    return m;
}

}  // namespace ima
