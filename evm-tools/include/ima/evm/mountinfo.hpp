// /proc/self/mountinfo (proc(5)), read the one way both its users need it:
// EVM's filesystem UUID (the device behind a mount) and the policy's
// filesystem facts (the type of a mount).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ima::evm {

// What a mountinfo line says about one mount:
// "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue"
struct Mount {
    unsigned major = 0, minor = 0;
    std::string fstype;  // "ext4", "fuse.sshfs": as the kernel wrote it
    std::string source;  // "/dev/vda", octal escapes (\040) undone; empty when the line has none
};

// What a caller needs of the line.
enum class MountNeeds { fstype, source };
// The first well-formed line of `table` for device major:minor (with a
// source, when `needs` says so); nullopt when there is none. A line without
// the " - FSTYPE" part is not well formed.
std::optional<Mount> find_mount(std::string_view table, unsigned major, unsigned minor,
                                MountNeeds needs = MountNeeds::fstype);

// /proc/self/mountinfo, bounded (64 MiB: a host with a hundred thousand
// mounts); empty when it cannot be read.
std::string read_mountinfo();

}  // namespace ima::evm
