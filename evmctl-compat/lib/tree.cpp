#include "tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "ima/fd.hpp"
#include "status.hpp"

namespace ima::evmctl {

namespace {

struct FileKeyHash {
    size_t operator()(const FileKey& k) const { return std::hash<uint64_t>()(k.ino * 1000003u ^ k.dev); }
};

// evmctl recurses through readdir(): into entries whose d_type is DT_DIR,
// onto entries whose d_type is DT_REG. An explicit stack keeps a hostile
// depth from overflowing ours.
void visit(int root_fd, bool same_fs, std::vector<FileKey>& out) {
    struct Frame {
        DIR* dir;
        dev_t dev;
    };
    struct stat root_st {};
    if (fstat(root_fd, &root_st) != 0) return;
    int dup = fcntl(root_fd, F_DUPFD_CLOEXEC, 0);
    if (dup < 0) return;
    DIR* d = fdopendir(dup);
    if (!d) {
        close(dup);
        return;
    }
    std::vector<Frame> stack{{d, root_st.st_dev}};
    while (!stack.empty()) {
        Frame& top = stack.back();
        dirent* e = readdir(top.dir);
        if (!e) {
            closedir(top.dir);
            stack.pop_back();
            continue;
        }
        if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
        if (e->d_type == DT_REG) {
            out.push_back(FileKey{top.dev, e->d_ino});
        } else if (e->d_type == DT_DIR) {
            int fd = openat(dirfd(top.dir), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) continue;
            struct stat st {};
            if (fstat(fd, &st) != 0 || (same_fs && st.st_dev != root_st.st_dev)) {
                close(fd);
                continue;
            }
            DIR* sub = fdopendir(fd);
            if (!sub) {
                close(fd);
                continue;
            }
            stack.push_back(Frame{sub, st.st_dev});
        }
    }
}

// Holds each file's output until every file before it (in evmctl's order)
// has printed.
class OrderedOutput {
public:
    OrderedOutput(const std::vector<FileKey>& order, Console& con) : con_(con), slots_(order.size()) {
        for (size_t i = 0; i < order.size(); ++i) where_[order[i]].push_back(i);
    }

    void done(const FileKey& key, std::string text) {
        std::lock_guard lk(m_);
        auto it = where_.find(key);
        if (it == where_.end()) {  // appeared after the order was taken
            extras_ += text;
            return;
        }
        for (size_t i : it->second) slots_[i] = text;
        flush_ready();
    }

    void finish() {
        std::lock_guard lk(m_);
        for (; next_ < slots_.size(); ++next_)
            if (slots_[next_]) con_.print(*slots_[next_]);
        if (!extras_.empty()) con_.print(extras_);
    }

private:
    void flush_ready() {
        std::string batch;
        while (next_ < slots_.size() && slots_[next_]) {
            batch += *slots_[next_];
            slots_[next_] = std::string();  // stays "done", without holding the text
            ++next_;
        }
        if (!batch.empty()) con_.print(batch);
    }

    std::mutex m_;
    Console& con_;
    std::vector<std::optional<std::string>> slots_;
    std::unordered_map<FileKey, std::vector<size_t>, FileKeyHash> where_;
    size_t next_ = 0;
    std::string extras_;
};

}  // namespace

std::vector<FileKey> evmctl_visit_order(int dir_fd, bool same_fs) {
    std::vector<FileKey> out;
    visit(dir_fd, same_fs, out);
    return out;
}

int run_recursive(const std::string& dir, const RecurseOptions& ro, const FileOp& op, Console& con) {
    // opendir() follows a symbolic link given as the operand, as evmctl's does.
    Fd root(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root) {
        con.error(dir + ": cannot open directory: " + std::strerror(errno));
        return status_error;
    }
    if (!ro.files) return status_ok;

    std::vector<FileKey> order = evmctl_visit_order(root.get(), ro.same_fs);
    OrderedOutput output(order, con);

    WalkOptions wo;
    wo.jobs = ro.jobs;
    wo.cross_fs = !ro.same_fs;
    struct stat lst {};
    // The walker refuses a symbolic link operand; "DIR/." is the directory it names.
    std::string operand = (lstat(dir.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) ? dir + "/." : dir;
    auto each = [&](const WalkFile& f) {
        std::string text;
        try {
            op(f, text);
        } catch (const Failure& e) {
            output.done(FileKey{f.st.st_dev, f.st.st_ino}, std::move(text));
            throw Error(ErrorKind::env, e.what());
        } catch (const Error&) {
            output.done(FileKey{f.st.st_dev, f.st.st_ino}, std::move(text));
            throw;
        }
        output.done(FileKey{f.st.st_dev, f.st.st_ino}, std::move(text));
    };
    auto failed = [&](const FileFailure& f) { con.error(f.message); };
    walk_files({operand}, wo, each, failed);
    output.finish();
    return status_ok;
}

}  // namespace ima::evmctl
