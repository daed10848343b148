#include "ima/sign/keylime_policy.hpp"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cctype>
#include <ctime>
#include <map>
#include <set>

#include "ima/error.hpp"
#include "ima/manifest.hpp"
#include "ima/printable.hpp"
#include "ima/sign/manifest.hpp"

namespace ima::sign {

std::string checked_target_root(const std::string& dir) {
    if (dir.empty() || dir[0] != '/')
        throw UsageError(std::string("--target-root '").append(dir) + "' is not an absolute path");
    std::string out;
    size_t i = 1;
    while (i <= dir.size()) {
        size_t slash = dir.find('/', i);
        if (slash == std::string::npos) slash = dir.size();
        std::string part = dir.substr(i, slash - i);
        if (part == "." || part == "..")
            throw UsageError(std::string("--target-root '").append(dir).append("' has a '").append(part) +
                             "' component");
        if (!part.empty()) {
            out += '/';
            out += part;
        }
        i = slash + 1;
    }
    return out.empty() ? "/" : out;
}

std::string keylime_path(const std::string& target_root, const std::string& rel) {
    std::string out = target_root == "/" ? std::string() : target_root;
    out += '/';
    out += rel;
    for (char& c : out)
        if (c == ' ') c = '_';
    return out;
}

// Escaped for a Python regular expression: everything but letters, digits, "_" and "/".
static void append_escaped(std::string& out, char c) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '/' || static_cast<unsigned char>(c) >= 0x80))
        out += '\\';
    out += c;
}

// fnmatch(3) with flags 0 as a regex: '*' and '?' also match '/' (the
// walker matches a glob with '/' against the whole relative path), except
// in `name_only` globs, whose subject is one name.
static std::string glob_regex(const std::string& glob, bool name_only) {
    const std::string any = name_only ? "[^/]" : ".";
    std::string out;
    for (size_t i = 0; i < glob.size(); ++i) {
        char c = glob[i];
        if (c == '*') {
            out += any + "*";
        } else if (c == '?') {
            out += any;
        } else if (c == '\\' && i + 1 < glob.size()) {
            append_escaped(out, glob[++i]);
        } else if (c == '[') {
            // A bracket expression, when it is closed; else a literal '['.
            size_t j = i + 1;
            if (j < glob.size() && (glob[j] == '!' || glob[j] == '^')) ++j;
            if (j < glob.size() && glob[j] == ']') ++j;
            while (j < glob.size() && glob[j] != ']') ++j;
            if (j >= glob.size()) {
                out += "\\[";
                continue;
            }
            out += '[';
            size_t k = i + 1;
            if (glob[k] == '!' || glob[k] == '^') {
                out += '^';
                ++k;
            }
            for (; k < j; ++k) {
                if (glob[k] == '\\' || glob[k] == '[' || (glob[k] == ']' && k != i + 1)) out += '\\';
                out += glob[k];
            }
            out += ']';
            i = j;
        } else {
            append_escaped(out, c);
        }
    }
    return out;
}

static std::string escaped(const std::string& s) {
    std::string out;
    for (char c : s) append_escaped(out, c);
    return out;
}

static std::string root_prefix(const std::string& target_root) {
    return target_root == "/" ? std::string() : escaped(target_root);
}

std::string keylime_exclude_regex(const std::string& target_root, const std::string& glob) {
    std::string g = glob;
    for (char& c : g)
        if (c == ' ') c = '_';
    // Built by appends: GCC 12 at -O3 warns falsely (-Wrestrict) on "lit" + string.
    std::string out = "^";
    out += root_prefix(target_root);
    const bool name_only = glob.find('/') == std::string::npos;
    out += name_only ? "/(.*/)?" : "/";
    out += glob_regex(g, name_only);
    out += "(/.*)?$";
    return out;
}

// Keylime's verification-keys: the JSON text of one keyring, {"pubkeys":
// [base64 DER SubjectPublicKeyInfo], "keyids": [the key id as an integer]}.
static std::string verification_keys(EVP_PKEY* key, const KeyId& keyid) {
    unsigned char* der = nullptr;
    int len = i2d_PUBKEY(key, &der);
    if (len <= 0) throw CryptoError("the verification key", "i2d_PUBKEY");
    std::string b64(4 * ((static_cast<size_t>(len) + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), der, len);
    OPENSSL_free(der);
    b64.resize(static_cast<size_t>(n));
    uint32_t id = (uint32_t{keyid[0]} << 24) | (uint32_t{keyid[1]} << 16) | (uint32_t{keyid[2]} << 8) | keyid[3];
    return nlohmann::json{{"pubkeys", {b64}}, {"keyids", {id}}}.dump();
}

nlohmann::json keylime_policy_json(const std::vector<FileRecord>& records, HashAlgo algo,
                                   const KeylimePolicyOptions& opts) {
    if (algo != HashAlgo::sha1 && algo != HashAlgo::sha256 && algo != HashAlgo::sha384 && algo != HashAlgo::sha512)
        throw UsageError(std::string("a Keylime runtime policy holds sha1, sha256, sha384 or sha512 digests, not ") +
                         hash_algo_info(algo).name);
    const std::string root = checked_target_root(opts.target_root);
    // Sorted: the same tree gives the same document. Two names may meet in
    // one key ("a b" and "a_b"); the key then lists both digests.
    std::map<std::string, std::set<std::string>> digests;
    std::map<std::string, std::string> by_rel;
    for (const auto& r : checked_records(records)) {
        std::string hex = to_hex(r.digest);
        digests[keylime_path(root, r.rel)].insert(hex);
        by_rel[r.rel] = hex;
    }
    for (const auto& [name, first] : opts.aliases) {
        auto it = by_rel.find(first);
        if (it == by_rel.end()) continue;  // the file itself failed: no digest to list
        if (!is_safe_relative_path(name))
            throw FormatError(std::string("'").append(printable(name)) +
                              "' is not a relative path inside the root: it cannot be listed");
        if (!is_utf8(name))
            throw FormatError(printable(name) + ": the name is not UTF-8, which a JSON document cannot hold");
        digests[keylime_path(root, name)].insert(it->second);
    }
    nlohmann::json digest_json = nlohmann::json::object();
    for (const auto& [path, set] : digests) digest_json[path] = std::vector<std::string>(set.begin(), set.end());
    std::set<std::string> excludes;
    for (const auto& g : opts.exclude_globs) excludes.insert(keylime_exclude_regex(root, g));
    for (const auto& rel : opts.left_out) {
        if (!is_utf8(rel)) continue;  // not a name a JSON document can hold; Keylime then reports it
        std::string exact = "^";
        exact += escaped(keylime_path(root, rel));
        exact += '$';
        excludes.insert(std::move(exact));
    }
    char stamp[32];
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return {
        {"meta", {{"version", 1}, {"generator", keylime_generator}, {"timestamp", stamp}}},
        {"release", 0},
        {"digests", std::move(digest_json)},
        {"excludes", std::vector<std::string>(excludes.begin(), excludes.end())},
        {"keyrings", nlohmann::json::object()},
        // The template hash of the measurement list: sha1 unless the kernel
        // was told otherwise (ima_hash= changes the file hash, not this one).
        {"ima", {{"ignored_keyrings", nlohmann::json::array()}, {"log_hash_alg", "sha1"}, {"dm_policy", nullptr}}},
        {"ima-buf", nlohmann::json::object()},
        {"verification-keys", opts.verification_key ? verification_keys(opts.verification_key, opts.keyid) : ""},
    };
}

}  // namespace ima::sign
