// Deciding offline, for a file of an image being built, whether a policy
// would appraise it on the target: `ima-sign sign --policy`. There is no
// running kernel, no process and often no filesystem yet, so the file's path,
// mode and first bytes say which hooks it will meet, and what cannot be known
// (the uid of the process, LSM labels, the filesystem when not given) is
// decided in favour of signing: an unneeded signature costs a few bytes, a
// missing one stops the machine.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ima/bytes.hpp"
#include "ima/policy/evaluate.hpp"
#include "ima/policy/policy.hpp"

namespace ima::policy {

struct OfflineFile {
    std::string rel;                    // path relative to the image root ("usr/bin/ls", "./usr/bin/ls")
    uint32_t mode = 0;                  // st_mode (only regular files are ever appraised)
    uint32_t uid = 0, gid = 0;          // owner in the image
    ByteView head;                      // the first bytes of the file (at least 4 for the ELF magic)
    std::optional<uint64_t> fsmagic;    // the target filesystem's magic, when known
    std::optional<std::string> fsuuid;  // the target filesystem's UUID, when known
};

// The hooks the file meets on the target, with the mask the kernel passes:
//  - mode has an executable bit: BPRM_CHECK, CREDS_CHECK (MAY_EXEC);
//  - executable bit or ELF magic: MMAP_CHECK, MMAP_CHECK_REQPROT (MAY_EXEC);
//  - *.ko, *.ko.xz, *.ko.zst, *.ko.gz under lib/modules or usr/lib/modules: MODULE_CHECK;
//  - under lib/firmware or usr/lib/firmware: FIRMWARE_CHECK;
//  - boot/vmlinuz*, boot/vmlinux*, boot/bzImage*: KEXEC_KERNEL_CHECK;
//  - boot/initrd*, boot/initramfs*: KEXEC_INITRAMFS_CHECK;
//  - under etc/ima/: POLICY_CHECK;
//  - every regular file: FILE_CHECK (MAY_READ).
struct Hook {
    Func func;
    unsigned mask;
};
std::vector<Hook> offline_hooks(const OfflineFile& f);

struct OfflineDecision {
    bool appraise = false;
    std::optional<Func> hook;    // the first hook that is appraised
    const Rule* rule = nullptr;  // the appraise rule that decides it
};
OfflineDecision decide_offline(const Policy& p, const OfflineFile& f);

// decide_offline(p, f).appraise.
bool would_appraise(const Policy& p, const OfflineFile& f);

}  // namespace ima::policy
