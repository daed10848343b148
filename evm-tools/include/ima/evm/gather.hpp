// Gathering EvmInputs from an open file: the protected xattrs and the inode
// metadata read through the descriptor, with overrides for building images
// for another machine.
#pragma once

#include <sys/stat.h>

#include <optional>
#include <string>

#include "ima/evm/inputs.hpp"
#include "ima/xattr_io.hpp"

namespace ima::evm {

enum class UuidSource {
    filesystem,  // filesystem_uuid() of the file's filesystem
    given,       // EvmOverrides::uuid (--uuid)
    none,        // left out (--no-uuid): for kernels without CONFIG_EVM_ATTR_FSUUID
};

struct EvmOverrides {
    std::optional<uint64_t> ino;
    std::optional<uint32_t> generation;
    std::optional<uint32_t> uid;
    std::optional<uint32_t> gid;
    // The full i_mode; a value without file-type bits (<= 07777) keeps the
    // file's own type bits, so "--mode 0755" means what it says.
    std::optional<uint16_t> mode;
    UuidSource uuid_source = UuidSource::filesystem;
    Uuid uuid{};
};

// What the kernel would hash for the file open at `fd` (with `st` its fstat)
// for a value of `kind`. The xattrs are read with fgetxattr on fd; with
// XattrNamespace::user, user.X stands in for each security.X (unprivileged
// tests) and is recorded under the security.X name. The inode generation and
// the UUID are read only when the kind uses them (not for portable).
// Throws IoError (reading an xattr, FS_IOC_GETVERSION unsupported: give
// --generation) or Error(env) from filesystem_uuid().
EvmInputs gather_evm_inputs(int fd, const struct stat& st, const std::string& path, EvmKind kind,
                            const EvmOverrides& overrides, XattrNamespace ns = XattrNamespace::security);

// i_generation through FS_IOC_GETVERSION. Throws IoError naming the ioctl.
uint32_t inode_generation(int fd, const std::string& path);

}  // namespace ima::evm
