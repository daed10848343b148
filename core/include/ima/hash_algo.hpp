// The kernel's hash algorithm table (include/uapi/linux/hash_info.h): the
// HASH_ALGO_* numbers that go on the wire, with OpenSSL's names and the TPM's
// algorithm ids beside them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

typedef struct evp_md_st EVP_MD;

namespace ima {

enum class HashAlgo : uint8_t {
    md4 = 0,           // HASH_ALGO_MD4
    md5 = 1,           // HASH_ALGO_MD5
    sha1 = 2,          // HASH_ALGO_SHA1
    ripemd160 = 3,     // HASH_ALGO_RIPE_MD_160
    sha256 = 4,        // HASH_ALGO_SHA256
    sha384 = 5,        // HASH_ALGO_SHA384
    sha512 = 6,        // HASH_ALGO_SHA512
    sha224 = 7,        // HASH_ALGO_SHA224
    ripemd128 = 8,     // HASH_ALGO_RIPE_MD_128
    ripemd256 = 9,     // HASH_ALGO_RIPE_MD_256
    ripemd320 = 10,    // HASH_ALGO_RIPE_MD_320
    wp256 = 11,        // HASH_ALGO_WP_256
    wp384 = 12,        // HASH_ALGO_WP_384
    wp512 = 13,        // HASH_ALGO_WP_512
    tgr128 = 14,       // HASH_ALGO_TGR_128
    tgr160 = 15,       // HASH_ALGO_TGR_160
    tgr192 = 16,       // HASH_ALGO_TGR_192
    sm3_256 = 17,      // HASH_ALGO_SM3_256
    streebog256 = 18,  // HASH_ALGO_STREEBOG_256
    streebog512 = 19,  // HASH_ALGO_STREEBOG_512
    sha3_256 = 20,     // HASH_ALGO_SHA3_256
    sha3_384 = 21,     // HASH_ALGO_SHA3_384
    sha3_512 = 22,     // HASH_ALGO_SHA3_512
};

struct HashAlgoInfo {
    HashAlgo id;
    const char* name;          // the kernel's name (hash_algo_name[]), as in logs and policies
    const char* openssl_name;  // nullptr when OpenSSL has no such digest
    unsigned digest_size;
    uint16_t tpm_alg;  // TPM2_ALG_* of the TCG Algorithm Registry (PCR banks, event logs); 0: none
};

// Every entry of the table, in kernel order.
const std::vector<HashAlgoInfo>& hash_algos();
// TPM 2.0 algorithm ids of the hash algorithms a PCR bank can use.
inline constexpr uint16_t tpm_alg_sha1 = 0x0004;
inline constexpr uint16_t tpm_alg_sha256 = 0x000B;

// The kernel's algorithm for a TPM algorithm id; nullopt for any other id.
std::optional<HashAlgo> hash_algo_from_tpm_alg(uint16_t alg);
// The TPM algorithm id of a hash algorithm; nullopt when the TPM has none.
std::optional<uint16_t> tpm_alg_from_hash_algo(HashAlgo algo);

// The entry for a wire number; nullopt for a number the kernel does not define.
std::optional<HashAlgoInfo> hash_algo_from_number(unsigned number);
// The entry for an algorithm. Throws FormatError "hash algorithm number N is
// unknown" for a value outside the table.
const HashAlgoInfo& hash_algo_info(HashAlgo algo);
// Looks up "sha256", "SHA256", "sm3" ("sm3" is the kernel's "sm3" = sm3_256).
// Throws UsageError "unknown hash algorithm 'x'" or "... not supported by OpenSSL".
HashAlgo parse_hash_algo(std::string_view name);
// The algorithms a user may choose for signing and hashing here.
bool is_signing_algo(HashAlgo algo);
// Whether this OpenSSL computes the digest (the kernel names some it may
// lack: md4, wp256, tgr128...). Never throws for a value in the table.
bool openssl_has(HashAlgo algo);
// OpenSSL's digest (fetched once, cached); throws UsageError when OpenSSL lacks it.
const EVP_MD* evp_md(HashAlgo algo);

}  // namespace ima
