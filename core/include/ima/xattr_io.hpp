// Extended attributes through the file descriptor that was hashed: the
// f*xattr calls leave no window for a path to be swapped between hash and set.
#pragma once

#include <optional>
#include <string>

#include "ima/bytes.hpp"

namespace ima {

// security.* (needs CAP_SYS_ADMIN) or user.* (--xattr-user, unprivileged tests).
enum class XattrNamespace { security, user };
std::string xattr_name(XattrNamespace ns, const std::string& suffix);  // ("ima") -> "security.ima"

// The value, or nullopt when the file has no such attribute. Throws IoError.
std::optional<Bytes> get_xattr(int fd, const std::string& name, const std::string& path);
// Sets the whole value in one call (the kernel replaces it atomically). Throws
// IoError, or Error(env) when a security.* attribute needs CAP_SYS_ADMIN.
void set_xattr(int fd, const std::string& name, ByteView value, const std::string& path);
// Returns false when there was nothing to remove. Throws IoError.
bool remove_xattr(int fd, const std::string& name, const std::string& path);
// Every attribute name on the file. Throws IoError.
std::vector<std::string> list_xattrs(int fd, const std::string& path);

}  // namespace ima
