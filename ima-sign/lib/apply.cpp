#include "ima/sign/apply.hpp"

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <mutex>

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/open_beneath.hpp"
#include "ima/work_pool.hpp"

namespace ima::sign {

WalkSummary apply_manifest(const Manifest& m, const ApplyRequest& req, const RecordFn& on_record,
                           const FailureFn& on_failure) {
    Fd root(open(req.root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root) throw IoError(req.root, errno);
    const std::string name = xattr_name(req.ns, "ima");
    WalkSummary summary;
    std::mutex m_;
    auto one = [&](const ManifestFile& f) {
        const std::string shown = req.root + "/" + f.path;
        if (f.ima_value.empty()) throw FormatError(shown + ": the manifest has no security.ima for it");
        Fd fd = open_regular_beneath(root.get(), f.path, shown);
        Bytes digest = digest_fd(fd.get(), m.algo, shown);
        if (digest != f.digest)
            throw VerifyError(shown + ": " + hash_algo_info(m.algo).name +
                              " digest differs from the manifest (the file changed after signing)");
        if (req.write == Write::yes) set_xattr(fd.get(), name, f.ima_value, shown);
        if (on_record) {
            std::lock_guard lk(m_);
            on_record(FileRecord{shown, f.path, std::move(digest), f.ima_value});
        }
    };
    // Every exception stops at the file: the run goes on with the others.
    auto each = [&](const ManifestFile& f) {
        auto failed = [&](const std::string& why, ErrorKind kind) {
            FileFailure ff{req.root + "/" + f.path, why, kind};
            std::lock_guard lk(m_);
            summary.failures.push_back(ff);
            if (on_failure) on_failure(ff);
        };
        try {
            one(f);
        } catch (const Error& e) {
            failed(e.what(), e.kind());
        } catch (const std::bad_alloc&) {
            failed(req.root + "/" + f.path + ": out of memory", ErrorKind::env);
        } catch (const std::exception& e) {
            failed(req.root + "/" + f.path + ": " + e.what(), ErrorKind::env);
        }
    };
    unsigned n = req.jobs ? req.jobs : default_jobs();
    if (n > m.files.size()) n = static_cast<unsigned>(std::max<size_t>(1, m.files.size()));
    {
        WorkPool pool(n, 4 * n);
        for (const auto& f : m.files) pool.submit([&each, &f] { each(f); });
        pool.wait();
    }
    summary.files = m.files.size();
    return summary;
}

}  // namespace ima::sign
