#include "ima/evm/gather.hpp"

#include <linux/fs.h>
#include <sys/ioctl.h>

#include <cerrno>

#include "ima/error.hpp"
#include "ima/evm/fs_uuid.hpp"

namespace ima::evm {

uint32_t inode_generation(int fd, const std::string& path) {
    // FS_IOC_GETVERSION is declared with a long, but filesystems store an int
    // (ext4: put_user(inode->i_generation, (int __user *)arg)): read into a
    // zeroed long and keep the low 32 bits, right on either width.
    long v = 0;
    if (ioctl(fd, FS_IOC_GETVERSION, &v) != 0)
        throw IoError(path + ": reading the inode generation (FS_IOC_GETVERSION; give --generation)", errno);
    return static_cast<uint32_t>(static_cast<unsigned long>(v) & 0xffffffffu);
}

EvmInputs gather_evm_inputs(int fd, const struct stat& st, const std::string& path, EvmKind kind, const EvmOverrides& o,
                            XattrNamespace ns) {
    EvmInputs in;
    const std::string prefix = "security.";
    for (const auto& name : protected_xattrs()) {
        std::string read_as = ns == XattrNamespace::security ? name : "user." + name.substr(prefix.size());
        if (auto v = get_xattr(fd, read_as, path)) in.xattrs.emplace_back(name, std::move(*v));
    }
    in.uid = o.uid.value_or(st.st_uid);
    in.gid = o.gid.value_or(st.st_gid);
    uint16_t mode = o.mode.value_or(static_cast<uint16_t>(st.st_mode));
    if (o.mode && (mode & S_IFMT) == 0) mode = static_cast<uint16_t>((st.st_mode & S_IFMT) | mode);
    in.mode = mode;
    if (kind == EvmKind::portable) return in;  // no inode number, generation or UUID
    in.ino = o.ino.value_or(st.st_ino);
    in.generation = o.generation ? *o.generation : inode_generation(fd, path);
    switch (o.uuid_source) {
        case UuidSource::filesystem: in.uuid = filesystem_uuid(fd, st, path); break;
        case UuidSource::given: in.uuid = o.uuid; break;
        case UuidSource::none: break;
    }
    return in;
}

}  // namespace ima::evm
