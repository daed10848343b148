// The filesystem UUID that EVM hashes: the kernel's sb->s_uuid of the
// filesystem a file lives on, found without libblkid.
#pragma once

#include <sys/stat.h>

#include <optional>
#include <string>
#include <string_view>

#include "ima/bytes.hpp"
#include "ima/evm/inputs.hpp"

namespace ima::evm {

// How UUID text is read: `exact` is "01234567-89ab-cdef-0123-456789abcdef"
// (either case) or 32 hex digits, nothing else; `dashed_prefix` is evmctl's
// reading: the dashed form at the start of the text, whatever follows ignored.
enum class UuidText { exact, dashed_prefix };
// Throws UsageError "invalid UUID '<text>'".
Uuid parse_uuid(std::string_view text, UuidText form = UuidText::exact);
// Lower-case 8-4-4-4-12.
std::string format_uuid(const Uuid& u);

// The UUID of the filesystem holding `fd`, as the kernel keeps it, tried in
// this order:
//  1. FS_IOC_GETFSUUID (Linux 6.5+, every filesystem that sets s_uuid): the
//     very bytes EVM hashes;
//  2. EXT4_IOC_GETFSUUID (ext4, Linux 6.0+);
//  3. for ext2/3/4 on older kernels: the device of st_dev found in
//     /proc/self/mountinfo, and s_uuid read from its superblock (needs read
//     access to the device, usually root).
// Throws Error(env) "<path>: cannot find the UUID of its filesystem ..." when
// none works; --uuid or --no-uuid then decide.
Uuid filesystem_uuid(int fd, const struct stat& st, const std::string& path);

// The piece of step 3 on bytes (unit-tested and fuzzed; the mount table is
// ima/evm/mountinfo.hpp's):
// s_uuid of an ext2/3/4 superblock (the 1024 bytes at offset 1024 of the
// device); nullopt when the magic 0xEF53 is not there or the span is short.
std::optional<Uuid> ext_superblock_uuid(ByteView superblock);

}  // namespace ima::evm
