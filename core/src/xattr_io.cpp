#include "ima/xattr_io.hpp"

#include <sys/xattr.h>

#include <cerrno>

#include "ima/error.hpp"

namespace ima {

std::string xattr_name(XattrNamespace ns, const std::string& suffix) {
    return (ns == XattrNamespace::security ? "security." : "user.") + suffix;
}

std::optional<Bytes> get_xattr(int fd, const std::string& name, const std::string& path) {
    // Ask for the size, then read; retry if the value grew in between.
    for (int attempt = 0; attempt < 4; ++attempt) {
        ssize_t size = fgetxattr(fd, name.c_str(), nullptr, 0);
        if (size < 0) {
            if (errno == ENODATA) return std::nullopt;
            throw IoError(path + ": reading " + name, errno);
        }
        Bytes value(static_cast<size_t>(size));
        ssize_t got = fgetxattr(fd, name.c_str(), value.data(), value.size());
        if (got >= 0) {
            value.resize(static_cast<size_t>(got));
            return value;
        }
        if (errno == ENODATA) return std::nullopt;
        if (errno != ERANGE) throw IoError(path + ": reading " + name, errno);
    }
    throw IoError(path + ": reading " + name, ERANGE);
}

void set_xattr(int fd, const std::string& name, ByteView value, const std::string& path) {
    if (fsetxattr(fd, name.c_str(), value.data(), value.size(), 0) != 0) {
        int e = errno;
        if (e == EPERM && name.rfind("security.", 0) == 0)
            throw Error(ErrorKind::env, path + ": setting " + name +
                                            ": permission denied (needs CAP_SYS_ADMIN; --xattr-user writes user.*)");
        throw IoError(path + ": setting " + name, e);
    }
}

bool remove_xattr(int fd, const std::string& name, const std::string& path) {
    if (fremovexattr(fd, name.c_str()) == 0) return true;
    if (errno == ENODATA) return false;
    throw IoError(path + ": removing " + name, errno);
}

std::vector<std::string> list_xattrs(int fd, const std::string& path) {
    for (int attempt = 0; attempt < 4; ++attempt) {
        ssize_t size = flistxattr(fd, nullptr, 0);
        if (size < 0) throw IoError(path + ": listing xattrs", errno);
        std::string buf(static_cast<size_t>(size), '\0');
        ssize_t got = flistxattr(fd, buf.data(), buf.size());
        if (got < 0 && errno == ERANGE) continue;
        if (got < 0) throw IoError(path + ": listing xattrs", errno);
        std::vector<std::string> names;
        size_t pos = 0;
        while (pos < static_cast<size_t>(got)) {
            size_t end = buf.find('\0', pos);
            if (end == std::string::npos) end = static_cast<size_t>(got);
            if (end > pos) names.push_back(buf.substr(pos, end - pos));
            pos = end + 1;
        }
        return names;
    }
    throw IoError(path + ": listing xattrs", ERANGE);
}

}  // namespace ima
