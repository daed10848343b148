#include "ima/sign/write_values.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <string_view>

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/fd.hpp"
#include "ima/file_io.hpp"
#include "ima/fsverity.hpp"

namespace ima::sign {

static bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_sigfile_output(const std::string& path) {
    if (ends_with(path, ".sig")) return true;
    size_t slash = path.find_last_of('/');
    auto target = atomic_temp_target(std::string_view(path).substr(slash == std::string::npos ? 0 : slash + 1));
    return target && ends_with(*target, ".sig");
}

WalkSummary write_values(const std::vector<std::string>& paths, const WriteRequest& req, const MakeValue& make,
                         const RecordFn& on_record, const FailureFn& on_failure) {
    const std::string name = xattr_name(req.ns, "ima");
    std::mutex record_m;
    auto each = [&](const WalkFile& f) {
        // With --sigfile the signatures live beside the files: never sign them.
        if (req.output == Output::sigfile && is_sigfile_output(f.path)) return;
        if (req.select && !req.select(f)) {
            if (req.on_left_out) {
                std::lock_guard lk(record_m);
                req.on_left_out(f.rel);
            }
            return;
        }
        Bytes digest = req.digest == DigestKind::fsverity ? fsverity_digest_fd(f.fd, req.algo, f.path, &f.st)
                                                          : digest_fd(f.fd, req.algo, f.path, &f.st);
        if (req.keep_valid) {
            std::optional<Bytes> existing;
            if (req.output == Output::xattr) {
                existing = get_xattr(f.fd, name, f.path);
            } else {
                try {
                    existing = read_sigfile(f.path);
                } catch (const FormatError&) {
                    // larger than any value: not one to keep, so it is replaced
                }
            }
            if (existing && req.keep_valid(*existing, digest)) {
                if (on_record) {
                    std::lock_guard lk(record_m);
                    on_record(FileRecord{f.path, f.rel, std::move(digest), std::move(*existing), true, f.seq});
                }
                return;
            }
        }
        Bytes value = make(digest);
        if (req.write == Write::yes) {
            if (req.output == Output::xattr)
                set_xattr(f.fd, name, value, f.path);  // the descriptor that was hashed
            else
                write_sigfile(f.path, value);
        }
        if (on_record) {
            std::lock_guard lk(record_m);
            on_record(FileRecord{f.path, f.rel, std::move(digest), std::move(value), false, f.seq});
        }
    };
    return walk_files(paths, req.walk, each, on_failure);
}

void write_sigfile(const std::string& path, ByteView value) {
    write_atomic(path + ".sig", value);
}

std::optional<Bytes> read_sigfile(const std::string& path) {
    try {
        return read_bounded(path + ".sig", ReadOptions{.max_bytes = 65536, .follow_link = false});
    } catch (const IoError& e) {
        if (e.err == ENOENT) return std::nullopt;
        throw;
    } catch (const FormatError& e) {
        throw FormatError(path + ".sig: larger than any xattr value");
    }
}

}  // namespace ima::sign
