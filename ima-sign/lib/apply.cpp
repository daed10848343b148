#include "ima/sign/apply.hpp"

#include <fcntl.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <thread>

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/open_beneath.hpp"

namespace ima::sign {

WalkSummary apply_manifest(const Manifest& m, const ApplyRequest& req, const RecordFn& on_record,
                           const FailureFn& on_failure) {
    Fd root(open(req.root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root) throw IoError(req.root, errno);
    const std::string name = xattr_name(req.ns, "ima");
    WalkSummary summary;
    std::mutex m_;
    std::atomic<size_t> next{0};
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
    auto worker = [&] {
        for (size_t i; (i = next.fetch_add(1)) < m.files.size();) {
            const auto& f = m.files[i];
            // Every exception stops at the file: one escaping a worker thread
            // would end the process (std::terminate).
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
        }
    };
    unsigned n = req.jobs ? req.jobs : default_jobs();
    if (n > m.files.size()) n = std::max<size_t>(1, m.files.size());
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < n; ++i) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
    summary.files = m.files.size();
    return summary;
}

}  // namespace ima::sign
