#include "ima/evm/fs_uuid.hpp"

#include <fcntl.h>
#include <linux/types.h>
#include <sys/ioctl.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>

#include "ima/bytes.hpp"
#include "ima/error.hpp"
#include "ima/evm/mountinfo.hpp"
#include "ima/fd.hpp"

namespace ima::evm {

namespace {

// Declared here: Debian's 6.1 uapi headers predate FS_IOC_GETFSUUID (6.5).
struct FsUuid2 {
    __u8 len;
    __u8 uuid[16];
};
constexpr unsigned long fs_ioc_getfsuuid = _IOR(0x15, 0, FsUuid2);

// EXT4_IOC_GETFSUUID takes struct fsuuid { __u32 fsu_len, fsu_flags; __u8 fsu_uuid[]; }.
struct Ext4FsUuidHeader {
    __u32 fsu_len;
    __u32 fsu_flags;
};
struct Ext4FsUuid {
    Ext4FsUuidHeader h;
    __u8 uuid[16];
};
constexpr unsigned long ext4_ioc_getfsuuid = _IOR('f', 44, Ext4FsUuidHeader);

constexpr long ext_super_magic = 0xEF53;

std::optional<Uuid> by_generic_ioctl(int fd) {
    FsUuid2 u{};
    if (ioctl(fd, fs_ioc_getfsuuid, &u) != 0 || u.len == 0 || u.len > 16) return std::nullopt;
    Uuid out{};  // a shorter s_uuid_len leaves the rest of s_uuid zero, as here
    std::copy(u.uuid, u.uuid + u.len, out.begin());
    return out;
}

std::optional<Uuid> by_ext4_ioctl(int fd) {
    Ext4FsUuid u{};
    u.h.fsu_len = 16;
    if (ioctl(fd, ext4_ioc_getfsuuid, &u) != 0 || u.h.fsu_len != 16) return std::nullopt;
    Uuid out{};
    std::copy(u.uuid, u.uuid + 16, out.begin());
    return out;
}

std::optional<Uuid> by_ext_superblock(int fd, const struct stat& st) {
    struct statfs sfs {};
    if (fstatfs(fd, &sfs) != 0 || sfs.f_type != ext_super_magic) return std::nullopt;
    auto mount = find_mount(read_mountinfo(), major(st.st_dev), minor(st.st_dev), MountNeeds::source);
    if (!mount || mount->source.empty() || mount->source[0] != '/') return std::nullopt;
    Fd d(open(mount->source.c_str(), O_RDONLY | O_CLOEXEC));
    if (!d) return std::nullopt;
    struct stat dst {};
    // Only the block device that is this filesystem, never some other file.
    if (fstat(d.get(), &dst) != 0 || !S_ISBLK(dst.st_mode) || dst.st_rdev != st.st_dev) return std::nullopt;
    uint8_t sb[1024];
    if (pread(d.get(), sb, sizeof sb, 1024) != static_cast<ssize_t>(sizeof sb)) return std::nullopt;
    return ext_superblock_uuid(ByteView(sb, sizeof sb));
}

}  // namespace

Uuid parse_uuid(std::string_view text, UuidText form) {
    Uuid out{};
    size_t i = 0, n = 0;
    if (form == UuidText::dashed_prefix) {
        if (text.size() < 36) throw UsageError("invalid UUID '" + std::string(text) + "'");
        return parse_uuid(text.substr(0, 36), UuidText::exact);
    }
    const bool dashed = text.size() == 36;
    if (!dashed && text.size() != 32) throw UsageError("invalid UUID '" + std::string(text) + "'");
    while (i < text.size()) {
        if (dashed && (i == 8 || i == 13 || i == 18 || i == 23)) {
            if (text[i] != '-') throw UsageError("invalid UUID '" + std::string(text) + "'");
            ++i;
            continue;
        }
        int hi = hex_digit_value(text[i]), lo = i + 1 < text.size() ? hex_digit_value(text[i + 1]) : -1;
        if (hi < 0 || lo < 0 || n >= 16) throw UsageError("invalid UUID '" + std::string(text) + "'");
        out[n++] = static_cast<uint8_t>(hi << 4 | lo);
        i += 2;
    }
    if (n != 16) throw UsageError("invalid UUID '" + std::string(text) + "'");
    return out;
}

std::string format_uuid(const Uuid& u) {
    std::string h = to_hex(u);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

std::optional<Uuid> ext_superblock_uuid(ByteView sb) {
    // struct ext4_super_block: s_magic (le16) at 0x38, s_uuid[16] at 0x68.
    if (sb.size() < 0x68 + 16) return std::nullopt;
    if ((sb[0x38] | sb[0x39] << 8) != ext_super_magic) return std::nullopt;
    Uuid out{};
    std::copy(sb.begin() + 0x68, sb.begin() + 0x68 + 16, out.begin());
    return out;
}

Uuid filesystem_uuid(int fd, const struct stat& st, const std::string& path) {
    if (auto u = by_generic_ioctl(fd)) return *u;
    if (auto u = by_ext4_ioctl(fd)) return *u;
    if (auto u = by_ext_superblock(fd, st)) return *u;
    throw Error(ErrorKind::env, path +
                                    ": cannot find the UUID of its filesystem (no FS_IOC_GETFSUUID, not a readable "
                                    "ext2/3/4 device); give --uuid or --no-uuid");
}

}  // namespace ima::evm
