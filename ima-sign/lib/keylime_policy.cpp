#include "ima/sign/keylime_policy.hpp"

#include <ctime>
#include <map>

#include "ima/error.hpp"
#include "ima/sign/manifest.hpp"

namespace ima::sign {

nlohmann::json keylime_policy_json(const std::vector<FileRecord>& records, HashAlgo algo) {
    if (algo != HashAlgo::sha1 && algo != HashAlgo::sha256 && algo != HashAlgo::sha384 && algo != HashAlgo::sha512)
        throw UsageError(std::string("a Keylime runtime policy holds sha1, sha256, sha384 or sha512 digests, not ") +
                         hash_algo_info(algo).name);
    // A sorted map: the same tree gives the same document.
    std::map<std::string, std::vector<std::string>> digests;
    for (const auto& r : checked_records(records)) digests["/" + r.rel].push_back(to_hex(r.digest));
    char stamp[32];
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return {
        {"meta", {{"version", 1}, {"generator", 0}, {"timestamp", stamp}}},
        {"release", 0},
        {"digests", digests},
        {"excludes", nlohmann::json::array()},
        {"keyrings", nlohmann::json::object()},
        // The template hash of the measurement list: sha1 unless the kernel
        // was told otherwise (ima_hash= changes the file hash, not this one).
        {"ima", {{"ignored_keyrings", nlohmann::json::array()}, {"log_hash_alg", "sha1"}, {"dm_policy", nullptr}}},
        {"ima-buf", nlohmann::json::object()},
        {"verification-keys", ""},
    };
}

}  // namespace ima::sign
