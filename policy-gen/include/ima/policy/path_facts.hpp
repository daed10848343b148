// What the kernel knows about a file when it consults the policy, looked up
// for a real path (explain --path): the filesystem's magic (statfs), its type
// name as fsname= compares it, its UUID, and the file's owner and group.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ima::policy {

struct PathFacts {
    uint64_t fsmagic = 0;
    std::optional<std::string> fsname;  // the mount's filesystem type ("ext4"), from /proc/self/mountinfo
    std::optional<std::string> fsuuid;  // lower case; nullopt when the filesystem has none we can find
    uint32_t uid = 0, gid = 0;
};

// Opens the path (without following a final symbolic link) and looks it up.
// Throws IoError.
PathFacts path_facts(const std::string& path);

// The filesystem type of the mount of device major:minor (evm::find_mount),
// without a FUSE subtype ("fuse.sshfs" is "fuse" to the kernel's
// fsname=); nullopt when no line matches or a line is malformed.
std::optional<std::string> mount_fstype_for(std::string_view mountinfo, unsigned major, unsigned minor);

}  // namespace ima::policy
