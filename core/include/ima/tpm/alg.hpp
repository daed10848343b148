// TPM 2.0 algorithm identifiers (TCG Algorithm Registry, TPM2_ALG_*) of the
// hash algorithms a PCR bank or an event log digest can use, beside the
// kernel's numbering (ima/hash_algo.hpp).
#pragma once

#include <cstdint>
#include <optional>

#include "ima/hash_algo.hpp"

namespace ima::tpm {

inline constexpr uint16_t alg_sha1 = 0x0004;
inline constexpr uint16_t alg_sha256 = 0x000B;
inline constexpr uint16_t alg_sha384 = 0x000C;
inline constexpr uint16_t alg_sha512 = 0x000D;
inline constexpr uint16_t alg_sm3_256 = 0x0012;
inline constexpr uint16_t alg_sha3_256 = 0x0027;
inline constexpr uint16_t alg_sha3_384 = 0x0028;
inline constexpr uint16_t alg_sha3_512 = 0x0029;

// The kernel's algorithm for a TPM algorithm id; nullopt for any other id.
std::optional<HashAlgo> hash_algo_from_tpm_alg(uint16_t alg);
// The TPM algorithm id of a hash algorithm; nullopt when the TPM has none.
std::optional<uint16_t> tpm_alg_from_hash_algo(HashAlgo algo);

}  // namespace ima::tpm
