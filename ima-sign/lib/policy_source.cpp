#include "ima/sign/policy_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "ima/error.hpp"
#include "ima/fd.hpp"
#include "ima/policy/lint.hpp"
#include "ima/policy/offline_select.hpp"

namespace ima::sign {

policy::Policy load_selection_policy(const std::string& path) {
    Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (!fd) throw IoError(path, errno);
    struct stat st {};
    if (fstat(fd.get(), &st) != 0) throw IoError(path, errno);
    if (!S_ISREG(st.st_mode) || st.st_size > (4 << 20)) throw FormatError(path + ": not an IMA policy file");
    std::string text(static_cast<size_t>(st.st_size), '\0');
    ssize_t n = pread(fd.get(), text.data(), text.size(), 0);
    if (n < 0) throw IoError(path, errno);
    text.resize(static_cast<size_t>(n));
    policy::Policy p = policy::parse_policy(text);
    for (const auto& d : policy::lint_policy(p))
        if (d.severity == policy::Diagnostic::error)
            throw FormatError(path + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message);
    return p;
}

bool would_appraise_file(const policy::Policy& p, const WalkFile& f) {
    uint8_t head[4] = {};
    ssize_t n = pread(f.fd, head, sizeof head, 0);
    policy::OfflineFile of;
    of.rel = f.rel;
    of.mode = f.st.st_mode;
    of.uid = f.st.st_uid;
    of.gid = f.st.st_gid;
    of.head = ByteView(head, n > 0 ? static_cast<size_t>(n) : 0);
    return policy::would_appraise(p, of);
}

}  // namespace ima::sign
