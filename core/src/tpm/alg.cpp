#include "ima/tpm/alg.hpp"

#include <array>
#include <utility>

namespace ima::tpm {

namespace {
constexpr std::array<std::pair<uint16_t, HashAlgo>, 8> kAlgs = {{
    {alg_sha1, HashAlgo::sha1},
    {alg_sha256, HashAlgo::sha256},
    {alg_sha384, HashAlgo::sha384},
    {alg_sha512, HashAlgo::sha512},
    {alg_sm3_256, HashAlgo::sm3_256},
    {alg_sha3_256, HashAlgo::sha3_256},
    {alg_sha3_384, HashAlgo::sha3_384},
    {alg_sha3_512, HashAlgo::sha3_512},
}};
}  // namespace

std::optional<HashAlgo> hash_algo_from_tpm_alg(uint16_t alg) {
    for (auto [id, a] : kAlgs)
        if (id == alg) return a;
    return std::nullopt;
}

std::optional<uint16_t> tpm_alg_from_hash_algo(HashAlgo algo) {
    for (auto [id, a] : kAlgs)
        if (a == algo) return id;
    return std::nullopt;
}

}  // namespace ima::tpm
