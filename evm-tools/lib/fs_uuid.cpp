#include "ima/evm/fs_uuid.hpp"

#include <fcntl.h>
#include <linux/types.h>
#include <sys/ioctl.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>

#include "ima/error.hpp"
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

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

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

std::string read_small_file(const char* path) {
    Fd fd(open(path, O_RDONLY | O_CLOEXEC));
    if (!fd) return {};
    std::string out;
    char buf[8192];
    for (;;) {
        ssize_t n = read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.append(buf, static_cast<size_t>(n));
        if (out.size() > (16u << 20)) break;  // no real mount table is this big
    }
    return out;
}

std::optional<Uuid> by_ext_superblock(int fd, const struct stat& st) {
    struct statfs sfs {};
    if (fstatfs(fd, &sfs) != 0 || sfs.f_type != ext_super_magic) return std::nullopt;
    std::string table = read_small_file("/proc/self/mountinfo");
    auto dev = mount_source_for(table, major(st.st_dev), minor(st.st_dev));
    if (!dev || dev->empty() || (*dev)[0] != '/') return std::nullopt;
    Fd d(open(dev->c_str(), O_RDONLY | O_CLOEXEC));
    if (!d) return std::nullopt;
    struct stat dst {};
    // Only the block device that is this filesystem, never some other file.
    if (fstat(d.get(), &dst) != 0 || !S_ISBLK(dst.st_mode) || dst.st_rdev != st.st_dev) return std::nullopt;
    uint8_t sb[1024];
    if (pread(d.get(), sb, sizeof sb, 1024) != static_cast<ssize_t>(sizeof sb)) return std::nullopt;
    return ext_superblock_uuid(ByteView(sb, sizeof sb));
}

}  // namespace

Uuid parse_uuid(std::string_view text) {
    Uuid out{};
    size_t i = 0, n = 0;
    const bool dashed = text.size() == 36;
    if (!dashed && text.size() != 32) throw UsageError("invalid UUID '" + std::string(text) + "'");
    while (i < text.size()) {
        if (dashed && (i == 8 || i == 13 || i == 18 || i == 23)) {
            if (text[i] != '-') throw UsageError("invalid UUID '" + std::string(text) + "'");
            ++i;
            continue;
        }
        int hi = hex_digit(text[i]), lo = i + 1 < text.size() ? hex_digit(text[i + 1]) : -1;
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

std::optional<std::string> mount_source_for(std::string_view table, unsigned maj, unsigned min) {
    const std::string want = std::to_string(maj) + ":" + std::to_string(min);
    while (!table.empty()) {
        size_t eol = table.find('\n');
        std::string_view line = table.substr(0, eol);
        table = eol == std::string_view::npos ? std::string_view{} : table.substr(eol + 1);
        // "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER-OPTIONS"
        std::vector<std::string_view> f;
        size_t pos = 0;
        while (pos < line.size()) {
            size_t sp = line.find(' ', pos);
            if (sp == std::string_view::npos) sp = line.size();
            if (sp > pos) f.push_back(line.substr(pos, sp - pos));
            pos = sp + 1;
        }
        if (f.size() < 3 || f[2] != want) continue;
        size_t sep = 6;
        while (sep < f.size() && f[sep] != "-") ++sep;
        if (sep + 2 >= f.size()) continue;
        std::string_view src = f[sep + 2];
        std::string out;
        for (size_t i = 0; i < src.size(); ++i) {
            // The kernel writes space, tab, newline and backslash as \ooo.
            if (src[i] == '\\' && i + 3 < src.size() && src[i + 1] >= '0' && src[i + 1] <= '3' && src[i + 2] >= '0' &&
                src[i + 2] <= '7' && src[i + 3] >= '0' && src[i + 3] <= '7') {
                out.push_back(static_cast<char>((src[i + 1] - '0') * 64 + (src[i + 2] - '0') * 8 + (src[i + 3] - '0')));
                i += 3;
            } else {
                out.push_back(src[i]);
            }
        }
        return out;
    }
    return std::nullopt;
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
