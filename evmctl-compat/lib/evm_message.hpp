// The bytes evmctl 1.4 hashes (sign, verify) or HMACs (hmac) for
// security.evm: the values of the protected xattrs it reads, in the kernel's
// order, then its struct h_misc (in the layout --m32/--m64/-i choose), then,
// for a non-portable signature, the filesystem UUID. The kernel's order and
// the default layout come from the core (ima/evm/inputs.hpp); the rest is
// evmctl's own: its shorter default xattr list (the three extra SMACK
// attributes only with --smack), the overrides --ima/--selinux/--caps/
// --uid/--gid/--mode/--inode/--generation taken as evmctl takes them, and
// the 32-bit and "immutable" h_misc layouts.
#pragma once

#include <sys/stat.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ima/bytes.hpp"
#include "ima/evm/fs_uuid.hpp"
#include "ima/evm/inputs.hpp"
#include "options.hpp"

namespace ima::evmctl {

enum class EvmPurpose { signature, hmac };

// The h_misc layout the options choose: -i no_inode, --m32 ilp32, else
// (--m64, this machine) lp64.
evm::MiscLayout misc_layout(const Options& opts);

struct EvmMeta {
    uint64_t ino = 0;
    uint32_t generation = 0;
    uint32_t uid = 0;
    uint32_t gid = 0;
    uint32_t mode = 0;  // only the low 16 bits reach h_misc
};

// struct h_misc (little-endian, padding zeroed) for `layout`; portable
// signatures zero ino and generation.
Bytes evm_misc_bytes(const EvmMeta& meta, evm::MiscLayout layout, bool portable);

// Which xattrs evmctl reads, in order: the kernel's list without
// security.SMACK64EXEC/TRANSMUTE/MMAP unless `smack`.
std::vector<std::string> evm_xattr_names(bool smack);

struct EvmMessageInput {
    std::vector<std::pair<std::string, Bytes>> xattrs;  // in order, present ones only
    Bytes misc;
    std::optional<evm::Uuid> uuid;
};
Bytes evm_message_bytes(const EvmMessageInput& in);

// Gathers everything from the open file `fd` (a regular file or directory)
// for `purpose`, honouring the options. `portable` is the signature type
// being made or checked. Throws Error (status 125) as evmctl fails (no
// security.ima for a portable signature, unreadable generation, no UUID, ...).
EvmMessageInput gather_evm_message(const Options& opts, int fd, const struct stat& st, const std::string& path,
                                   EvmPurpose purpose, bool portable);

// evmctl's UUID text: 8-4-4-4-12 hex digits, whatever follows ignored
// (evm::UuidText::dashed_prefix). Throws Error "wrong UUID format" (125).
evm::Uuid parse_uuid_text(const std::string& text);

}  // namespace ima::evmctl
