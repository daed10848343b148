// What EVM hashes, as plain data: the protected xattrs, the inode metadata
// and the filesystem UUID, laid out exactly as the kernel feeds them to the
// hash (security/integrity/evm/evm_crypto.c: evm_calc_hmac_or_hash and
// hmac_add_misc). Nothing here touches a file, so image builders, tar
// streams, fuzzers and tests can use it on values from anywhere.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ima/bytes.hpp"
#include "ima/hash_algo.hpp"

namespace ima::evm {

using Uuid = std::array<uint8_t, 16>;

// The three kinds of security.evm value, numbered as their type byte.
enum class EvmKind : uint8_t {
    hmac = 0x02,       // EVM_XATTR_HMAC: HMAC-SHA1 with the machine's EVM key
    immutable = 0x03,  // EVM_IMA_XATTR_DIGSIG: signature bound to this inode and filesystem
    portable = 0x05,   // EVM_XATTR_PORTABLE_DIGSIG: no inode number, generation or UUID
};
const char* evm_kind_name(EvmKind k);  // "hmac", "immutable", "portable"

// The xattrs EVM protects, full names, in the kernel's order
// (evm_config_default_xattrnames): security.selinux, security.SMACK64,
// security.SMACK64EXEC, security.SMACK64TRANSMUTE, security.SMACK64MMAP,
// security.apparmor, security.ima, security.capability.
const std::vector<std::string>& protected_xattrs();
bool is_protected_xattr(const std::string& name);

struct EvmInputs {
    // Full names ("security.ima") and values. Order does not matter and names
    // EVM does not protect are ignored; evm_message() puts them in the
    // kernel's order. A name listed twice counts once (the first).
    std::vector<std::pair<std::string, Bytes>> xattrs;
    uint64_t ino = 0;         // inode number (not used by portable signatures)
    uint32_t generation = 0;  // i_generation, as FS_IOC_GETVERSION reports it (not portable)
    uint32_t uid = 0;         // owner in the initial user namespace
    uint32_t gid = 0;
    uint16_t mode = 0;         // i_mode: file type and permission bits
    std::optional<Uuid> uuid;  // the filesystem UUID (sb->s_uuid); nullopt leaves it out

    const Bytes* xattr(const std::string& name) const;  // nullptr when absent
};

// struct h_misc as a 64-bit little-endian kernel lays it out (x86_64,
// aarch64, riscv64...): unsigned long ino, u32 generation, uid, gid, u16
// mode, and two bytes of padding, 24 bytes zeroed first. Portable
// signatures zero ino and generation.
//
// The kernel's struct h_misc as this 64-bit machine lays it out is `lp64`
// (24 bytes: unsigned long ino). evmctl can also make the others: `ilp32`
// (--m32: a 32-bit machine's, 20 bytes with a 32-bit ino) and `no_inode`
// (-i: uid, gid and mode only, 12 bytes).
enum class MiscLayout { lp64, ilp32, no_inode };
Bytes evm_misc(const EvmInputs& in, EvmKind kind, MiscLayout layout = MiscLayout::lp64);

// Every byte the kernel hashes, in order: the values of the protected
// xattrs present, h_misc, then the UUID (when in.uuid is set and the kind is
// not portable). Throws FormatError when no protected xattr is present (the
// kernel returns -ENODATA) or, for a portable signature, when security.ima is
// absent (the kernel returns -EPERM).
Bytes evm_message(const EvmInputs& in, EvmKind kind);

// The digest a type 3 or 5 signature signs, with `algo` (the algorithm that
// goes into the signature header). Throws as evm_message, UsageError when
// this OpenSSL lacks `algo`, or CryptoError.
Bytes evm_digest(HashAlgo algo, const EvmInputs& in, EvmKind kind);

// The 20-byte HMAC-SHA1 of a type 2 value. The kernel keys the HMAC with a
// 128-byte buffer holding the EVM key followed by zeros (evmkey,
// MAX_KEY_SIZE), so `key` (1 to 128 bytes) is zero-padded the same way.
// Throws UsageError for an empty or too long key, FormatError as
// evm_message, CryptoError on failure.
Bytes evm_hmac(ByteView key, const EvmInputs& in);

// The HMAC with OpenSSL digest `digest` ("SHA1"; evmctl's hmac takes -a's)
// over `message`, keyed as the kernel keys it: `key` (at most 128 bytes)
// zero-padded to 128 bytes, the padded copy wiped on every path. Throws
// UsageError for a key over 128 bytes, CryptoError when OpenSSL fails.
Bytes padded_key_hmac(ByteView key, ByteView message, const std::string& digest);

inline constexpr size_t max_hmac_key_size = 128;

}  // namespace ima::evm
