#include "ima/policy/kernel_config.hpp"

#include <cctype>

#include "ima/error.hpp"

namespace ima::policy {

char KernelConfig::tristate(std::string_view option) const {
    auto it = values.find(option);
    if (it == values.end()) return 'n';
    if (it->second == "y") return 'y';
    if (it->second == "m") return 'm';
    return 'n';
}

namespace {

bool is_option_name(std::string_view s) {
    if (s.size() < 8 || s.substr(0, 7) != "CONFIG_") return false;
    for (char c : s)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;  // CONFIG_MTD_NETtel exists
    return true;
}

}  // namespace

KernelConfig parse_kernel_config(ByteView text, const std::string& source) {
    KernelConfig c;
    c.source = source;
    std::string_view all(reinterpret_cast<const char*>(text.data()), text.size());
    if (all.find('\0') != std::string_view::npos) throw FormatError("holds a NUL byte: not a kernel configuration");
    size_t line_no = 0;
    for (size_t start = 0; start < all.size();) {
        size_t nl = all.find('\n', start);
        std::string_view line = all.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        start = nl == std::string_view::npos ? all.size() : nl + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) continue;
        std::string_view name, value;
        if (line.front() == '#') {
            // "# CONFIG_X is not set" records an answer; other comments do not.
            constexpr std::string_view not_set = " is not set";
            if (line.size() > 2 + not_set.size() && line.substr(line.size() - not_set.size()) == not_set &&
                is_option_name(line.substr(2, line.size() - 2 - not_set.size())))
                name = line.substr(2, line.size() - 2 - not_set.size()), value = "n";
            else
                continue;
        } else {
            size_t eq = line.find('=');
            if (eq == std::string_view::npos || !is_option_name(line.substr(0, eq)))
                throw FormatError("line " + std::to_string(line_no) + ": expected CONFIG_NAME=value");
            name = line.substr(0, eq);
            value = line.substr(eq + 1);
        }
        if (!c.values.emplace(std::string(name), std::string(value)).second)
            throw FormatError("line " + std::to_string(line_no) + ": " + std::string(name) + " is set twice");
    }
    if (c.values.empty()) throw FormatError("no CONFIG_ options: not a kernel configuration");
    return c;
}

std::string_view hash_config_option(std::string_view name) {
    static const std::pair<std::string_view, std::string_view> table[] = {
        {"md4", "CONFIG_CRYPTO_MD4"},
        {"md5", "CONFIG_CRYPTO_MD5"},
        {"sha1", "CONFIG_CRYPTO_SHA1"},
        {"rmd160", "CONFIG_CRYPTO_RMD160"},
        {"sha224", "CONFIG_CRYPTO_SHA256"},
        {"sha256", "CONFIG_CRYPTO_SHA256"},
        {"sha384", "CONFIG_CRYPTO_SHA512"},
        {"sha512", "CONFIG_CRYPTO_SHA512"},
        {"wp256", "CONFIG_CRYPTO_WP512"},
        {"wp384", "CONFIG_CRYPTO_WP512"},
        {"wp512", "CONFIG_CRYPTO_WP512"},
        {"sm3", "CONFIG_CRYPTO_SM3_GENERIC"},
        {"streebog256", "CONFIG_CRYPTO_STREEBOG"},
        {"streebog512", "CONFIG_CRYPTO_STREEBOG"},
        {"sha3-256", "CONFIG_CRYPTO_SHA3"},
        {"sha3-384", "CONFIG_CRYPTO_SHA3"},
        {"sha3-512", "CONFIG_CRYPTO_SHA3"},
    };
    for (const auto& [n, opt] : table)
        if (n == name) return opt;
    return {};
}

}  // namespace ima::policy
