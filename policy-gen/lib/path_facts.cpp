#include "ima/policy/path_facts.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>

#include "ima/error.hpp"
#include "ima/evm/fs_uuid.hpp"
#include "ima/evm/mountinfo.hpp"
#include "ima/fd.hpp"

namespace ima::policy {

std::optional<std::string> mount_fstype_for(std::string_view mountinfo, unsigned major, unsigned minor) {
    auto m = evm::find_mount(mountinfo, major, minor);
    if (!m) return std::nullopt;
    std::string type = m->fstype.substr(0, m->fstype.find('.'));  // fsname= knows no FUSE subtype
    if (type.empty()) return std::nullopt;
    return type;
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
    f.fsname = mount_fstype_for(evm::read_mountinfo(), major(st.st_dev), minor(st.st_dev));
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
