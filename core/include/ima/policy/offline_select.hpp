// Deciding offline, from a file of an image being built, whether a policy
// would appraise it on the target: `ima-sign sign --policy`.
#pragma once

#include <sys/stat.h>

#include <optional>
#include <string>

#include "ima/bytes.hpp"
#include "ima/policy/policy.hpp"

namespace ima::policy {

struct OfflineFile {
    std::string rel;    // path relative to the image root ("usr/bin/ls")
    uint32_t mode = 0;  // st_mode
    uint32_t uid = 0, gid = 0;
    ByteView head;                      // the first bytes of the file (ELF magic)
    std::optional<uint64_t> fsmagic;    // of the target filesystem, when known
    std::optional<std::string> fsuuid;  // likewise
};

// True when some hook the file will meet on the target is appraised:
// BPRM_CHECK and MMAP_CHECK (mask MAY_EXEC) for files with an executable bit
// or ELF objects; MODULE_CHECK for *.ko, *.ko.xz, *.ko.zst, *.ko.gz under
// lib/modules; FIRMWARE_CHECK under lib/firmware; KEXEC_KERNEL_CHECK and
// KEXEC_INITRAMFS_CHECK for boot/vmlinuz* and boot/initrd*; POLICY_CHECK for
// etc/ima/*; FILE_CHECK (mask MAY_READ, uid 0) for every file. The target
// filesystem is taken as ext4 and, when the policy names an fsuuid, as that
// filesystem, unless `fsmagic`/`fsuuid` say otherwise.
bool would_appraise(const Policy& p, const OfflineFile& f);

}  // namespace ima::policy
