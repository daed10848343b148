#include "ima/tree_walk.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "ima/fd.hpp"
#include "ima/work_pool.hpp"

namespace ima {

int WalkSummary::exit_status() const {
    if (failures.empty()) return 0;
    for (const auto& f : failures)
        if (f.kind == ErrorKind::env) return static_cast<int>(ErrorKind::env);
    return static_cast<int>(ErrorKind::bad);
}

namespace {

using DirRef = std::shared_ptr<Fd>;

struct Task {
    DirRef dir;  // null for a file operand, opened by its path
    std::string name;
    std::string path;
    std::string rel;
    size_t seq = 0;
    bool linked = false;  // the scan saw further names: WalkFile::linked
};

std::string join(const std::string& dir, const std::string& name) {
    if (dir.empty()) return name;
    return dir.back() == '/' ? dir + name : dir + "/" + name;
}

bool excluded(const std::vector<std::string>& globs, const std::string& rel, const std::string& name) {
    for (const auto& g : globs) {
        const std::string& subject = g.find('/') != std::string::npos ? rel : name;
        if (fnmatch(g.c_str(), subject.c_str(), 0) == 0) return true;
    }
    return false;
}

// Open files without following a final symlink and without touching atime;
// O_NOATIME is refused (EPERM) on files we do not own, so retry without it.
// O_NONBLOCK keeps a FIFO swapped in after the directory scan from blocking us.
int open_no_follow(int dirfd, const char* name) {
    int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    int fd = openat(dirfd, name, flags | O_NOATIME);
    if (fd < 0 && errno == EPERM) fd = openat(dirfd, name, flags);
    return fd;
}

// "dir/" -> "dir", "a//b" -> "a/b": what lstat must see, since a trailing
// slash makes lstat follow a symbolic link to a folder.
std::string without_trailing_slashes(std::string p) {
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p;
}

// Whether "." or ".." components make the operand a symbolic link, or make
// it leave one: "link/.", "link/./" and "link/sub/.." name the link (and
// lstat on them follows it); in "link/.." and "link/../x" the ".." leaves
// the link's target, not the folder the text names, so the walk and the
// relative paths would disagree. A link followed by names ("link/x") is an
// ordinary path through it.
bool names_link_through_dots(const std::string& op) {
    const std::string lead = !op.empty() && op[0] == '/' ? "/" : "";
    auto joined = [&](const std::vector<std::string>& v) {
        std::string p = lead;
        for (const auto& c : v) p += (p.empty() || p.back() == '/' ? "" : "/") + c;
        return p;
    };
    auto is_link = [](const std::string& p) {
        struct stat st {};
        return !p.empty() && lstat(p.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
    };
    std::vector<std::string> stack;
    bool dots = false;
    for (size_t start = 0; start <= op.size();) {
        size_t slash = op.find('/', start);
        if (slash == std::string::npos) slash = op.size();
        const std::string part = op.substr(start, slash - start);
        start = slash + 1;
        if (part.empty()) continue;
        if (part == ".") {
            dots = true;
        } else if (part == "..") {
            dots = true;
            if (!stack.empty() && stack.back() != "..") {
                if (is_link(joined(stack))) return true;  // ".." would leave the link's target
                stack.pop_back();
            } else if (lead.empty()) {
                stack.push_back("..");
            }
        } else {
            stack.push_back(part);
        }
    }
    return dots && is_link(joined(stack));
}

// The path of `abs` below `root` ("" for root itself), or nullopt when outside.
std::optional<std::string> relative_to(const std::string& abs, const std::string& root) {
    if (abs == root) return std::string();
    const std::string prefix = root == "/" ? "/" : root + "/";
    if (abs.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
    return abs.substr(prefix.size());
}

std::string parent_of(const std::string& abs) {
    size_t slash = abs.find_last_of('/');
    return slash == 0 ? "/" : abs.substr(0, slash);
}

class Walker {
public:
    Walker(const WalkOptions& o, const FileFn& fn, const FailureFn& on_fail) : opts_(o), fn_(fn), on_fail_(on_fail) {}

    WalkSummary run(const std::vector<std::string>& operands) {
        root_ = walk_root(operands, opts_.root);
        // The queue is bounded: the walk waits when the workers fall behind,
        // so memory stays constant however many files the tree holds.
        WorkPool pool(opts_.jobs, 4096);
        pool_ = &pool;
        for (const auto& op : operands) walk_operand(op);
        pool.wait();  // rethrows what escaped a task (run_task keeps the callback's errors to its file)
        pool_ = nullptr;
        summary_.files = files_;
        summary_.root = root_;
        return std::move(summary_);
    }

private:
    void fail(const std::string& path, const std::string& message, ErrorKind kind) {
        std::string msg = message.rfind(path + ":", 0) == 0 ? message : path + ": " + message;
        std::lock_guard lk(fail_m_);
        FileFailure f{path, std::move(msg), kind};
        if (on_fail_) on_fail_(f);
        summary_.failures.push_back(std::move(f));
    }

    void fail_errno(const std::string& path, int err) {
        if (err == ELOOP) return fail(path, "is a symbolic link (not followed)", ErrorKind::bad);
        fail(path, std::strerror(err), ErrorKind::env);
    }

    void walk_operand(const std::string& given) {
        const std::string op = without_trailing_slashes(given);
        struct stat st {};
        if (lstat(op.c_str(), &st) != 0) return fail_errno(given, errno);
        if (S_ISLNK(st.st_mode) || (!opts_.follow_operand_links && names_link_through_dots(op)))
            return fail(given, "is a symbolic link (not followed)", ErrorKind::bad);
        // walk_root made sure every operand lies under the root.
        const std::string rel = relative_to(lexically_absolute(op), root_).value_or("");
        // A file named on the command line is visited as named, hard link or not.
        if (S_ISREG(st.st_mode)) return queue_file(Task{nullptr, op, op, rel}, st, false);
        if (!S_ISDIR(st.st_mode)) return fail(given, "not a regular file", ErrorKind::bad);
        int fd = open(op.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) return fail_errno(given, errno);
        if (opts_.order == WalkOrder::directory)
            walk_tree_directory_order(std::make_shared<Fd>(fd), given, rel, st.st_dev);
        else
            walk_tree(std::make_shared<Fd>(fd), given, rel, st.st_dev);
    }

    // Numbers the file and queues it, or, for a further name of a hard link
    // already queued from a folder, numbers it as that file's alias.
    void queue_file(Task t, const struct stat& st, bool links_once = true) {
        t.seq = next_seq_++;
        if (links_once && st.st_nlink > 1) {
            t.linked = true;
            auto [it, fresh] = seen_links_.emplace(std::make_pair(st.st_dev, st.st_ino), t.seq);
            if (!fresh) {
                if (opts_.on_alias) opts_.on_alias(WalkAlias{t.seq, it->second, t.path, t.rel});
                return;
            }
        }
        pool_->submit([this, t = std::move(t)] {
            run_task(t);
            if (opts_.progress) opts_.progress->fetch_add(1, std::memory_order_relaxed);
            if (opts_.after_each) opts_.after_each(t.seq);
        });
    }

    // What one folder entry is, without following a link; nullopt when it is
    // neither a file nor a folder to descend into (or is excluded).
    enum class Kind { file, folder };
    std::optional<Kind> classify(int dirfd, const std::string& name, unsigned char type, const std::string& path,
                                 const std::string& rel, dev_t root_dev, struct stat& st) {
        if (type != DT_UNKNOWN && type != DT_REG && type != DT_DIR) return std::nullopt;  // links, devices, FIFOs
        if (excluded(opts_.excludes, rel, name)) return std::nullopt;
        if (fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
            fail_errno(path, errno);
            return std::nullopt;
        }
        if (S_ISDIR(st.st_mode)) {
            if (opts_.cross_fs || st.st_dev == root_dev) return Kind::folder;
            return std::nullopt;
        }
        if (!S_ISREG(st.st_mode)) return std::nullopt;
        return Kind::file;
    }

    // WalkOrder::directory: one open folder per level, read an entry at a
    // time, as evmctl's recursion reads them; an explicit stack, so a hostile
    // depth costs descriptors (refused by the kernel at its limit), never our stack.
    void walk_tree_directory_order(DirRef root, const std::string& root_path, const std::string& root_rel,
                                   dev_t root_dev) {
        struct Frame {
            DirRef dir;
            DirStream stream;
            std::string path, rel;
        };
        std::vector<Frame> stack;
        auto enter = [&](DirRef dir, const std::string& path, const std::string& rel) {
            DirStream s = DirStream::of(dir->get());
            if (!s) return fail_errno(path, errno);
            stack.push_back(Frame{std::move(dir), std::move(s), path, rel});
        };
        enter(std::move(root), root_path, root_rel);
        while (!stack.empty()) {
            errno = 0;
            dirent* e = readdir(stack.back().stream.get());
            if (!e) {
                if (errno) fail_errno(stack.back().path, errno);
                stack.pop_back();
                continue;
            }
            if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
            Frame& top = stack.back();
            const std::string name = e->d_name, path = join(top.path, name), rel = join(top.rel, name);
            struct stat st {};
            auto kind = classify(top.dir->get(), name, e->d_type, path, rel, root_dev, st);
            if (!kind) continue;
            if (*kind == Kind::file) {
                queue_file(Task{top.dir, name, path, rel}, st);
                continue;
            }
            int fd = openat(top.dir->get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) {
                fail_errno(path, errno);
                continue;
            }
            enter(std::make_shared<Fd>(fd), path, rel);
        }
    }

    struct Pending {
        DirRef parent;  // null for the operand itself
        DirRef self;
        std::string name, path, rel;
    };

    // Depth-first with an explicit stack: a hostile tree's depth cannot overflow ours.
    void walk_tree(DirRef root, const std::string& root_path, const std::string& root_rel, dev_t root_dev) {
        std::vector<Pending> stack;
        stack.push_back(Pending{nullptr, std::move(root), "", root_path, root_rel});
        while (!stack.empty()) {
            Pending p = std::move(stack.back());
            stack.pop_back();
            DirRef dir = p.self;
            if (!dir) {
                int fd = openat(p.parent->get(), p.name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0) {
                    fail_errno(p.path, errno);
                    continue;
                }
                dir = std::make_shared<Fd>(fd);
            }
            std::vector<std::string> subdirs;
            scan_dir(dir, p.path, p.rel, root_dev, subdirs);
            // Reverse so that the stack pops them in name order.
            for (auto it = subdirs.rbegin(); it != subdirs.rend(); ++it)
                stack.push_back(Pending{dir, nullptr, *it, join(p.path, *it), join(p.rel, *it)});
        }
    }

    void scan_dir(const DirRef& dir, const std::string& path, const std::string& rel, dev_t root_dev,
                  std::vector<std::string>& subdirs) {
        DirStream d = DirStream::of(dir->get());
        if (!d) return fail_errno(path, errno);
        std::vector<std::pair<std::string, unsigned char>> entries;
        errno = 0;
        while (dirent* e = readdir(d.get())) {
            if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
            entries.emplace_back(e->d_name, e->d_type);
        }
        if (errno) fail_errno(path, errno);
        d = DirStream();
        std::sort(entries.begin(), entries.end());
        for (auto& [name, type] : entries) {
            std::string child_rel = join(rel, name);
            struct stat st {};
            auto kind = classify(dir->get(), name, type, join(path, name), child_rel, root_dev, st);
            if (!kind) continue;
            if (*kind == Kind::folder) {
                subdirs.push_back(name);
                continue;
            }
            queue_file(Task{dir, name, join(path, name), std::move(child_rel)}, st);
        }
    }

    void run_task(const Task& t) {
        Fd fd(open_no_follow(t.dir ? t.dir->get() : AT_FDCWD, t.name.c_str()));
        if (!fd) return fail_errno(t.path, errno);
        struct stat st {};
        if (fstat(fd.get(), &st) != 0) return fail_errno(t.path, errno);
        if (!S_ISREG(st.st_mode)) return fail(t.path, "not a regular file", ErrorKind::bad);
        files_.fetch_add(1, std::memory_order_relaxed);
        try {
            fn_(WalkFile{t.path, t.rel, fd.get(), st, t.seq, t.linked});
        } catch (const Error& e) {
            fail(t.path, e.what(), e.kind());
        } catch (const std::bad_alloc&) {
            fail(t.path, "out of memory", ErrorKind::env);
        } catch (const std::exception& e) {
            fail(t.path, e.what(), ErrorKind::env);
        }
    }

    const WalkOptions& opts_;
    const FileFn& fn_;
    const FailureFn& on_fail_;
    WorkPool* pool_ = nullptr;
    std::mutex fail_m_;
    WalkSummary summary_;
    std::atomic<size_t> files_{0};
    std::map<std::pair<dev_t, ino_t>, size_t> seen_links_;  // a hard link's first seq
    size_t next_seq_ = 0;
    std::string root_;
};

}  // namespace

std::string lexically_absolute(const std::string& path) {
    std::string full = path;
    if (full.empty() || full.front() != '/') {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd)) throw IoError("the working directory", errno);
        full = std::string(cwd) + "/" + path;
    }
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= full.size()) {
        size_t end = full.find('/', start);
        if (end == std::string::npos) end = full.size();
        std::string part = full.substr(start, end - start);
        start = end + 1;
        if (part.empty() || part == ".") continue;
        if (part == "..") {
            if (!parts.empty()) parts.pop_back();
            continue;
        }
        parts.push_back(std::move(part));
    }
    std::string out;
    for (const auto& p : parts) out += "/" + p;
    return out.empty() ? "/" : out;
}

std::string walk_root(const std::vector<std::string>& operands, const std::string& explicit_root) {
    if (!explicit_root.empty()) {
        const std::string root = lexically_absolute(explicit_root);
        for (const auto& op : operands) {
            auto rel = relative_to(lexically_absolute(op), root);
            if (!rel) throw UsageError(op + " is not inside the root " + explicit_root);
            struct stat st {};
            if (rel->empty() && lstat(without_trailing_slashes(op).c_str(), &st) == 0 && !S_ISDIR(st.st_mode))
                throw UsageError("the root " + explicit_root + " is a file operand, not a folder");
        }
        return root;
    }
    if (operands.empty()) return lexically_absolute(".");
    struct stat st {};
    if (operands.size() == 1 && lstat(without_trailing_slashes(operands[0]).c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        return lexically_absolute(operands[0]);
    std::string common;
    for (const auto& op : operands) {
        std::string folder = parent_of(lexically_absolute(op));
        if (common.empty()) {
            common = folder;
            continue;
        }
        while (!relative_to(folder, common)) common = parent_of(common);
    }
    return common;
}

WalkSummary walk_files(const std::vector<std::string>& operands, const WalkOptions& opts, const FileFn& fn,
                       const FailureFn& on_failure) {
    Walker w(opts, fn, on_failure);
    return w.run(operands);
}

}  // namespace ima
