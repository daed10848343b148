#include "tree.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>

#include "ima/fd.hpp"
#include "status.hpp"

namespace ima::evmctl {

namespace {

// Puts each file's stdout text back in walk order (WalkFile::seq): a slot
// prints once it and every slot before it are done. A further name of a hard
// link prints the text of the name that was visited, as evmctl, which signs
// every name, prints one line per name.
class OrderedOutput {
public:
    explicit OrderedOutput(Console& con) : con_(con) {}

    void text(const WalkFile& f, std::string text) {
        std::lock_guard lk(m_);
        if (f.linked) link_text_[f.seq] = text;  // the scan's view: a later unlink cannot lose it
        slots_[f.seq].text = std::move(text);
    }
    void done(size_t seq) {
        std::lock_guard lk(m_);
        slots_[seq].done = true;
        flush();
    }
    void alias(const WalkAlias& a) {
        std::lock_guard lk(m_);
        Slot& s = slots_[a.seq];
        s.alias_of = a.first;
        s.done = true;
        flush();
    }
    void finish() {
        std::lock_guard lk(m_);
        flush();
        for (auto& [seq, s] : slots_) con_.print(text_of(s));  // only what never completed
        slots_.clear();
    }

private:
    struct Slot {
        bool done = false;
        std::string text;
        std::optional<size_t> alias_of;
    };
    std::string text_of(const Slot& s) const {
        if (!s.alias_of) return s.text;
        auto it = link_text_.find(*s.alias_of);
        return it == link_text_.end() ? std::string() : it->second;
    }
    void flush() {
        std::string batch;
        for (auto it = slots_.begin(); it != slots_.end() && it->first == next_ && it->second.done;
             it = slots_.erase(it), ++next_)
            batch += text_of(it->second);
        if (!batch.empty()) con_.print(batch);
    }

    std::mutex m_;
    Console& con_;
    std::map<size_t, Slot> slots_;
    std::map<size_t, std::string> link_text_;  // texts of files with further names
    size_t next_ = 0;
};

}  // namespace

int run_recursive(const std::string& dir, const RecurseOptions& ro, const FileOp& op, Console& con) {
    // opendir() follows a symbolic link given as the operand, as evmctl's does.
    Fd root(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root) {
        con.error(dir + ": cannot open directory: " + std::strerror(errno));
        return status_error;
    }
    if (!ro.files) return status_ok;

    OrderedOutput output(con);
    WalkOptions wo;
    wo.jobs = ro.jobs;
    wo.cross_fs = !ro.same_fs;
    wo.order = WalkOrder::directory;  // evmctl's: readdir order, depth first
    wo.follow_operand_links = true;   // for "DIR/." below
    wo.on_alias = [&](const WalkAlias& a) { output.alias(a); };
    wo.after_each = [&](size_t seq) { output.done(seq); };
    struct stat lst {};
    // The walker refuses a symbolic link operand; "DIR/." is the directory it names.
    std::string operand = (lstat(dir.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) ? dir + "/." : dir;
    auto each = [&](const WalkFile& f) {
        std::string text;
        try {
            op(f, text);
        } catch (...) {  // the walker records every failure; what came before it prints too
            output.text(f, std::move(text));
            throw;
        }
        output.text(f, std::move(text));
    };
    auto failed = [&](const FileFailure& f) { con.error(f.message); };
    walk_files({operand}, wo, each, failed);
    output.finish();
    return status_ok;
}

}  // namespace ima::evmctl
