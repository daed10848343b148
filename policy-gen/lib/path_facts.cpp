#include "ima/policy/path_facts.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <fstream>
#include <sstream>

#include "ima/error.hpp"
#include "ima/evm/fs_uuid.hpp"
#include "ima/fd.hpp"

namespace ima::policy {

std::optional<std::string> mount_fstype_for(std::string_view mountinfo, unsigned major, unsigned minor) {
    size_t pos = 0;
    while (pos < mountinfo.size()) {
        size_t end = mountinfo.find('\n', pos);
        if (end == std::string_view::npos) end = mountinfo.size();
        std::string_view line = mountinfo.substr(pos, end - pos);
        pos = end + 1;
        // "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw"
        size_t f1 = line.find(' ');
        size_t f2 = f1 == std::string_view::npos ? f1 : line.find(' ', f1 + 1);
        size_t f3 = f2 == std::string_view::npos ? f2 : line.find(' ', f2 + 1);
        if (f3 == std::string_view::npos) continue;
        std::string_view dev = line.substr(f2 + 1, f3 - f2 - 1);
        size_t colon = dev.find(':');
        if (colon == std::string_view::npos) continue;
        unsigned ma = 0, mi = 0;
        auto r1 = std::from_chars(dev.data(), dev.data() + colon, ma);
        auto r2 = std::from_chars(dev.data() + colon + 1, dev.data() + dev.size(), mi);
        if (r1.ec != std::errc() || r2.ec != std::errc() || ma != major || mi != minor) continue;
        size_t sep = line.find(" - ", f3);
        if (sep == std::string_view::npos) return std::nullopt;
        std::string_view rest = line.substr(sep + 3);
        std::string_view type = rest.substr(0, rest.find(' '));
        type = type.substr(0, type.find('.'));
        if (type.empty()) return std::nullopt;
        return std::string(type);
    }
    return std::nullopt;
}

PathFacts path_facts(const std::string& path) {
    Fd fd(open(path.c_str(), O_PATH | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) throw IoError(path, errno);
    struct statfs sfs {};
    struct stat st {};
    if (fstatfs(fd.get(), &sfs) != 0 || fstat(fd.get(), &st) != 0) throw IoError(path, errno);
    PathFacts f;
    f.fsmagic = static_cast<uint64_t>(sfs.f_type);
    f.uid = st.st_uid;
    f.gid = st.st_gid;
    std::ifstream in("/proc/self/mountinfo");
    std::stringstream ss;
    ss << in.rdbuf();
    f.fsname = mount_fstype_for(ss.str(), major(st.st_dev), minor(st.st_dev));
    if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
        Fd rd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW));
        if (rd) {
            try {
                f.fsuuid = evm::format_uuid(evm::filesystem_uuid(rd.get(), st, path));
            } catch (const Error&) {
                // no UUID found: fsuuid= rules stay undecided
            }
        }
    }
    return f;
}

}  // namespace ima::policy
