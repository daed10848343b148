#include "ima/hash_algo.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>

#include "ima/error.hpp"

namespace ima {

const std::vector<HashAlgoInfo>& hash_algos() {
    static const std::vector<HashAlgoInfo> table = {
        {HashAlgo::md4, "md4", "MD4", 16, 0},
        {HashAlgo::md5, "md5", "MD5", 16, 0},
        {HashAlgo::sha1, "sha1", "SHA1", 20, 0x0004},
        {HashAlgo::ripemd160, "rmd160", "RIPEMD160", 20, 0},
        {HashAlgo::sha256, "sha256", "SHA256", 32, 0x000B},
        {HashAlgo::sha384, "sha384", "SHA384", 48, 0x000C},
        {HashAlgo::sha512, "sha512", "SHA512", 64, 0x000D},
        {HashAlgo::sha224, "sha224", "SHA224", 28, 0},
        {HashAlgo::ripemd128, "rmd128", nullptr, 16, 0},
        {HashAlgo::ripemd256, "rmd256", nullptr, 32, 0},
        {HashAlgo::ripemd320, "rmd320", nullptr, 40, 0},
        {HashAlgo::wp256, "wp256", nullptr, 32, 0},
        {HashAlgo::wp384, "wp384", nullptr, 48, 0},
        {HashAlgo::wp512, "wp512", "WHIRLPOOL", 64, 0},
        {HashAlgo::tgr128, "tgr128", nullptr, 16, 0},
        {HashAlgo::tgr160, "tgr160", nullptr, 20, 0},
        {HashAlgo::tgr192, "tgr192", nullptr, 24, 0},
        {HashAlgo::sm3_256, "sm3", "SM3", 32, 0x0012},
        {HashAlgo::streebog256, "streebog256", nullptr, 32, 0},
        {HashAlgo::streebog512, "streebog512", nullptr, 64, 0},
        {HashAlgo::sha3_256, "sha3-256", "SHA3-256", 32, 0x0027},
        {HashAlgo::sha3_384, "sha3-384", "SHA3-384", 48, 0x0028},
        {HashAlgo::sha3_512, "sha3-512", "SHA3-512", 64, 0x0029},
    };
    return table;
}

std::optional<HashAlgoInfo> hash_algo_from_number(unsigned number) {
    if (number >= hash_algos().size()) return std::nullopt;
    return hash_algos()[number];
}

const HashAlgoInfo& hash_algo_info(HashAlgo algo) {
    auto n = static_cast<unsigned>(algo);
    if (n >= hash_algos().size()) throw FormatError("hash algorithm number " + std::to_string(n) + " is unknown");
    return hash_algos()[n];
}

std::optional<HashAlgo> hash_algo_from_tpm_alg(uint16_t alg) {
    if (alg == 0) return std::nullopt;
    for (const auto& info : hash_algos())
        if (info.tpm_alg == alg) return info.id;
    return std::nullopt;
}

std::optional<uint16_t> tpm_alg_from_hash_algo(HashAlgo algo) {
    uint16_t id = hash_algo_info(algo).tpm_alg;
    return id ? std::optional<uint16_t>(id) : std::nullopt;
}

HashAlgo parse_hash_algo(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == "sm3_256" || lower == "sm3-256") lower = "sm3";
    for (const auto& info : hash_algos()) {
        if (lower == info.name) {
            if (!info.openssl_name) throw UsageError("hash algorithm '" + lower + "' is not supported by OpenSSL");
            evp_md(info.id);  // throws when this OpenSSL build lacks it
            return info.id;
        }
    }
    throw UsageError("unknown hash algorithm '" + std::string(name) + "'");
}

bool is_signing_algo(HashAlgo algo) {
    switch (algo) {
        case HashAlgo::sha1:
        case HashAlgo::sha224:
        case HashAlgo::sha256:
        case HashAlgo::sha384:
        case HashAlgo::sha512:
        case HashAlgo::sm3_256: return true;
        default: return false;
    }
}

namespace {

// OpenSSL's digest or nullptr, fetched once per algorithm: EVP_MD_fetch is
// costly and the result is safe to share between threads.
const EVP_MD* fetched_md(HashAlgo algo) {
    static std::array<std::once_flag, 32> once;
    static std::array<EVP_MD*, 32> cache{};
    const auto& info = hash_algo_info(algo);
    auto n = static_cast<unsigned>(algo);
    std::call_once(once[n], [&] {
        if (info.openssl_name) cache[n] = EVP_MD_fetch(nullptr, info.openssl_name, nullptr);
        if (!cache[n]) drain_openssl_errors();
    });
    return cache[n];
}

}  // namespace

bool openssl_has(HashAlgo algo) {
    return fetched_md(algo) != nullptr;
}

const EVP_MD* evp_md(HashAlgo algo) {
    const EVP_MD* md = fetched_md(algo);
    if (!md)
        throw UsageError(std::string("hash algorithm '") + hash_algo_info(algo).name +
                         "' is not available in this OpenSSL");
    return md;
}

}  // namespace ima
