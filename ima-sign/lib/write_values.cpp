#include "write_values.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/fd.hpp"
#include "ima/fsverity.hpp"

namespace ima::sign {

static bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

WalkSummary write_values(const std::vector<std::string>& paths, const WriteRequest& req, const MakeValue& make,
                         const RecordFn& on_record, const FailureFn& on_failure) {
    const std::string name = xattr_name(req.ns, "ima");
    std::mutex record_m;
    auto each = [&](const WalkFile& f) {
        // With --sigfile the signatures live beside the files: never sign them.
        if (req.output == Output::sigfile && ends_with(f.path, ".sig")) return;
        if (req.select && !req.select(f)) return;
        Bytes digest = req.digest == DigestKind::fsverity ? fsverity_digest_fd(f.fd, req.algo, f.path, &f.st)
                                                          : digest_fd(f.fd, req.algo, f.path, &f.st);
        Bytes value = make(digest);
        if (req.write == Write::yes) {
            if (req.output == Output::xattr)
                set_xattr(f.fd, name, value, f.path);  // the descriptor that was hashed
            else
                write_sigfile(f.path, value);
        }
        if (on_record) {
            std::lock_guard lk(record_m);
            on_record(FileRecord{f.path, f.rel, std::move(digest), std::move(value)});
        }
    };
    return walk_files(paths, req.walk, each, on_failure);
}

void write_sigfile(const std::string& path, ByteView value) {
    const std::string target = path + ".sig";
    std::string tmp = target + ".XXXXXX";
    Fd fd(mkostemp(tmp.data(), O_CLOEXEC));
    if (!fd) throw IoError(target, errno);
    auto fail = [&](int err) {
        unlink(tmp.c_str());
        throw IoError(target, err);
    };
    size_t off = 0;
    while (off < value.size()) {
        ssize_t n = write(fd.get(), value.data() + off, value.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail(errno);
        off += static_cast<size_t>(n);
    }
    if (fchmod(fd.get(), 0644) != 0) fail(errno);
    // rename() replaces a symlink at the target rather than following it.
    if (rename(tmp.c_str(), target.c_str()) != 0) fail(errno);
}

std::optional<Bytes> read_sigfile(const std::string& path) {
    const std::string target = path + ".sig";
    Fd fd(open(target.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (!fd) {
        if (errno == ENOENT) return std::nullopt;
        throw IoError(target, errno);
    }
    Bytes out;
    uint8_t buf[4096];
    for (;;) {
        ssize_t n = read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw IoError(target, errno);
        if (n == 0) break;
        out.insert(out.end(), buf, buf + n);
        if (out.size() > 65536) throw FormatError(target + ": larger than any xattr value");
    }
    return out;
}

}  // namespace ima::sign
