#include "ima/sign/tar_sign.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/fd.hpp"
#include "ima/file_id.hpp"
#include "ima/file_io.hpp"
#include "ima/printable.hpp"
#include "ima/tree_walk.hpp"
#include "ima/work_pool.hpp"

namespace ima::sign {

namespace {

struct ArchiveReadFree {
    void operator()(archive* a) const { archive_read_free(a); }
};
struct ArchiveWriteFree {
    void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryFree {
    void operator()(archive_entry* e) const { archive_entry_free(e); }
};
using ReadPtr = std::unique_ptr<archive, ArchiveReadFree>;
using WritePtr = std::unique_ptr<archive, ArchiveWriteFree>;
using EntryPtr = std::unique_ptr<archive_entry, EntryFree>;

constexpr size_t io_chunk = 256 * 1024;

// libarchive leaves the reason NULL for some failures (a stream cut inside a
// pax extended header, for one).
std::string archive_error(archive* a) {
    const char* s = archive_error_string(a);
    return s && *s ? s : "libarchive gave no reason";
}

// A region of an entry's contents that the archive stores; what lies between
// regions (a sparse file's holes) reads as zeros.
struct Block {
    uint64_t offset = 0;  // in the file's contents
    uint64_t size = 0;
};

// One entry on its way from the reader to the writer.
struct Item {
    EntryPtr entry;
    std::string path;  // the member name as the manifest and the Keylime policy hold it
    bool sign = false;
    bool kept = false;          // its security.ima passed keep_valid
    uint64_t size = 0;          // the file's size, holes included
    std::vector<Block> blocks;  // the stored regions, in order
    Bytes data;                 // their bytes back to back, in memory, or
    Fd spool;                   // in an unlinked temporary file
    uint64_t stored = 0;        // bytes in `data` or `spool`
    Bytes digest;               // computed by the reader for spooled entries
    Bytes ima_value, evm_value;
    std::string error;
    ErrorKind error_kind = ErrorKind::bad;
    bool ready = false;
    size_t held() const { return spool ? 0 : data.size(); }
    uint64_t spooled() const { return spool ? stored : 0; }
};

// The member name relative to the archive's root: leading "/" and "./"
// dropped, "." and empty components removed. A name with a ".." component
// (GNU tar refuses to extract one) or no name at all is refused, so that
// nothing outside the root can reach a manifest or a policy.
std::string member_name(const char* p, bool is_dir, const std::string& in_name) {
    std::string raw = p ? p : "";
    std::string out;
    size_t start = 0;
    while (start <= raw.size()) {
        size_t end = raw.find('/', start);
        if (end == std::string::npos) end = raw.size();
        std::string part = raw.substr(start, end - start);
        start = end + 1;
        if (part.empty() || part == ".") continue;
        if (part == "..")
            throw FormatError(in_name + ": entry '" + printable(raw) +
                              "': a '..' in the name would reach outside the archive's root");
        out += (out.empty() ? "" : "/") + part;
    }
    if (out.empty() && !is_dir)
        throw FormatError(in_name + ": an entry named '" + printable(raw) + "' has no name inside the archive's root");
    return out;
}
std::string member_name(archive_entry* e, const std::string& in_name) {
    return member_name(archive_entry_pathname(e), archive_entry_filetype(e) == AE_IFDIR, in_name);
}

// Calls fn on the contents of an item in order, holes as zeros, stored
// regions from memory or from the spool file; up to the end of its last
// stored region, or (Tail::holes) on to the file's size.
enum class Tail { holes, stop };
template <class Fn>
void visit_contents(const Item& item, const std::string& path, Fn&& fn, Tail tail = Tail::holes) {
    static const uint8_t zeros[io_chunk] = {};
    thread_local std::unique_ptr<uint8_t[]> buf(new uint8_t[io_chunk]);
    auto holes = [&](uint64_t n) {
        while (n) {
            size_t k = static_cast<size_t>(std::min<uint64_t>(n, io_chunk));
            fn(ByteView(zeros, k));
            n -= k;
        }
    };
    uint64_t pos = 0, stored = 0;
    for (const Block& b : item.blocks) {
        holes(b.offset - pos);
        if (item.spool) {
            for (uint64_t done = 0; done < b.size;) {
                size_t want = static_cast<size_t>(std::min<uint64_t>(b.size - done, io_chunk));
                ssize_t n = pread(item.spool.get(), buf.get(), want, static_cast<off_t>(stored + done));
                if (n < 0 && errno == EINTR) continue;
                if (n < 0) throw IoError("temporary file for " + path, errno);
                if (n == 0) throw IoError("temporary file for " + path, EIO);
                fn(ByteView(buf.get(), static_cast<size_t>(n)));
                done += static_cast<uint64_t>(n);
            }
        } else {
            fn(ByteView(item.data.data() + stored, static_cast<size_t>(b.size)));
        }
        stored += b.size;
        pos = b.offset + b.size;
    }
    if (tail == Tail::holes) holes(item.size - pos);
}

Fd make_spool_file(const std::string& dir) {
    Fd fd(open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600));
    if (!fd) throw IoError(dir + " (temporary file for a large tar entry)", errno);
    return fd;
}

class Pipeline {
public:
    Pipeline(const std::string& in_name, const std::string& out_name, archive* w, const PrivateKey& key, KeyId keyid,
             const TarRequest& req, const RecordFn& on_record)
        : in_name_(in_name), out_name_(out_name), w_(w), pool_(key, keyid), req_(req), on_record_(on_record) {}

    // Reads entries from `r` and pushes them; returns when the input ends.
    TarSummary run(archive* r) {
        unsigned jobs = req_.jobs ? req_.jobs : default_jobs();
        // The signers; the memory and spool budgets (push) bound what waits for them.
        WorkPool signers(jobs, 4 * size_t{jobs});
        signers_ = &signers;
        std::thread writer([this] { write_loop(); });
        try {
            read_loop(r);
        } catch (...) {
            stop(std::current_exception());
        }
        {
            std::lock_guard lk(m_);
            reader_done_ = true;
        }
        cv_ready_.notify_all();
        writer.join();
        signers.wait();  // sign_task keeps every exception to its entry: nothing to rethrow
        signers_ = nullptr;
        if (failure_) std::rethrow_exception(failure_);
        return summary_;
    }

private:
    void stop(std::exception_ptr e) {
        std::lock_guard lk(m_);
        if (!failure_) failure_ = e;
        cv_space_.notify_all();
        cv_ready_.notify_all();
    }
    bool failed() {
        std::lock_guard lk(m_);
        return failure_ != nullptr;
    }

    void read_loop(archive* r) {
        archive_entry* e = nullptr;
        for (;;) {
            int rc = archive_read_next_header(r, &e);
            if (rc == ARCHIVE_EOF) break;
            if (rc < ARCHIVE_WARN) throw FormatError(in_name_ + ": not a readable tar stream: " + archive_error(r));
            if (failed()) return;
            auto item = std::make_unique<Item>();
            item->entry.reset(archive_entry_clone(e));
            if (!item->entry) throw std::bad_alloc();
            item->path = member_name(e, in_name_);
            item->size = archive_entry_size_is_set(e) ? static_cast<uint64_t>(archive_entry_size(e)) : 0;
            item->sign = archive_entry_filetype(e) == AE_IFREG && archive_entry_hardlink(e) == nullptr;
            if (const char* target = archive_entry_hardlink(e); target && req_.on_hardlink)
                req_.on_hardlink(item->path, member_name(target, false, in_name_));
            read_data(r, *item);
            push(std::move(item));
        }
    }

    // Reads the entry's stored regions (archive_read_data_block gives each
    // with its offset: a sparse file's holes are never materialised), into
    // memory up to the spool threshold and into an unlinked temporary file
    // past it. A spooled file is hashed here, as it is read.
    void read_data(archive* r, Item& item) {
        const std::string& path = item.path;
        std::unique_ptr<Hasher> hasher;
        uint64_t hashed = 0;  // contents fed to `hasher` so far, holes included
        auto hash_holes = [&](uint64_t upto) {
            static const uint8_t zeros[io_chunk] = {};
            for (; hashed < upto; hashed += std::min<uint64_t>(upto - hashed, io_chunk))
                hasher->update(ByteView(zeros, static_cast<size_t>(std::min<uint64_t>(upto - hashed, io_chunk))));
        };
        for (;;) {
            const void* buf = nullptr;
            size_t len = 0;
            la_int64_t off = 0;
            int rc = archive_read_data_block(r, &buf, &len, &off);
            if (rc == ARCHIVE_EOF) break;
            if (rc < ARCHIVE_WARN) throw FormatError(in_name_ + ": entry " + printable(path) + ": " + archive_error(r));
            if (len == 0) continue;
            const uint64_t at = static_cast<uint64_t>(off);
            const uint64_t end = item.blocks.empty() ? 0 : item.blocks.back().offset + item.blocks.back().size;
            if (off < 0 || at < end || len > item.size || at > item.size - len)
                throw FormatError(in_name_ + ": entry " + printable(path) +
                                  ": stored data outside the file's size or out of order (a corrupt sparse map)");
            ByteView chunk(static_cast<const uint8_t*>(buf), len);
            if (!item.spool && item.stored + len > req_.spool_threshold) {
                item.spool = make_spool_file(req_.spool_dir);
                write_all(item.spool.get(), item.data, "temporary file for " + printable(path));
                if (item.sign) {
                    hasher = std::make_unique<Hasher>(req_.algo);
                    visit_contents(
                        item, path, [&](ByteView b) { hasher->update(b); }, Tail::stop);
                    hashed = end;
                }
                Bytes().swap(item.data);
            }
            if (!item.blocks.empty() && at == end)
                item.blocks.back().size += len;
            else
                item.blocks.push_back(Block{at, len});
            if (item.spool) {
                write_all(item.spool.get(), chunk, "temporary file for " + printable(path));
                if (hasher) {
                    hash_holes(at);
                    hasher->update(chunk);
                    hashed = at + len;
                }
            } else {
                item.data.insert(item.data.end(), chunk.begin(), chunk.end());
            }
            item.stored += len;
        }
        if (hasher) {
            hash_holes(item.size);
            item.digest = hasher->finish();
        }
    }

    void push(std::unique_ptr<Item> item) {
        std::unique_lock lk(m_);
        // Back-pressure: wait while the data held would pass the budget (one
        // entry at a time always fits). Nothing held counts the entry the
        // writer has taken off the queue and is still writing: an empty
        // queue alone would let a large entry in beside it.
        cv_space_.wait(lk, [&] {
            return failure_ || (held_ == 0 && spooled_ == 0) ||
                   (held_ + item->held() <= req_.memory_budget && spooled_ + item->spooled() <= req_.spool_budget);
        });
        if (failure_) return;
        held_ += item->held();
        spooled_ += item->spooled();
        summary_.peak_held = std::max(summary_.peak_held, held_);
        summary_.peak_spooled = std::max(summary_.peak_spooled, spooled_);
        Item* raw = item.get();
        order_.push_back(std::move(item));
        if (!raw->sign) {
            raw->ready = true;
            cv_ready_.notify_one();
            return;
        }
        lk.unlock();  // the pool may make us wait, and its tasks need m_
        try {
            signers_->submit([this, raw] { sign_task(*raw); });
        } catch (...) {
            stop(std::current_exception());  // an entry that never gets signed ends the run
        }
    }

    // One entry on a signer thread; every exception stays with the entry.
    void sign_task(Item& item) {
        try {
            sign_item(item);
        } catch (const Error& e) {
            item.error = e.what();
            item.error_kind = e.kind();
        } catch (const std::bad_alloc&) {
            item.error = "out of memory";
            item.error_kind = ErrorKind::env;
        } catch (const std::exception& e) {
            item.error = e.what();
        }
        std::lock_guard lk(m_);
        item.ready = true;
        cv_ready_.notify_all();
    }

    void sign_item(Item& item) {
        if (item.digest.empty()) {
            Hasher h(req_.algo);
            visit_contents(item, item.path, [&](ByteView b) { h.update(b); });
            item.digest = h.finish();
        }
        if (req_.keep_valid) {
            // libarchive's pax writer stores a value twice (LIBARCHIVE.xattr
            // and SCHILY.xattr); two different values would leave it to the
            // extractor which one stays, so such an entry is signed again.
            std::optional<Bytes> existing;
            bool ambiguous = false;
            for (auto& [name, value] : entry_xattrs(item.entry.get()))
                if (name == "security.ima") {
                    if (existing && *existing != value) ambiguous = true;
                    existing = std::move(value);
                }
            if (existing && !ambiguous && req_.keep_valid(*existing, item.digest)) {
                item.ima_value = std::move(*existing);
                item.kept = true;
            }
        }
        if (!item.kept) {
            auto signer = pool_.borrow();
            if (req_.version == SigVersion::v3)
                item.ima_value = signer->sign_xattr(
                    req_.algo, sigv3_signed_digest(XattrType::digsig, req_.algo, item.digest), XattrType::digsig, 3);
            else
                item.ima_value = signer->sign_xattr(req_.algo, item.digest);
        }
        if (req_.evm) item.evm_value = req_.evm(facts(item));
    }

    TarFileFacts facts(const Item& item) {
        archive_entry* e = item.entry.get();
        TarFileFacts f;
        f.path = item.path;
        f.uid = static_cast<uint32_t>(archive_entry_uid(e));
        f.gid = static_cast<uint32_t>(archive_entry_gid(e));
        f.mode = static_cast<uint16_t>(archive_entry_mode(e));
        for (auto& [name, value] : entry_xattrs(e))
            if (name != "security.ima" && name != "security.evm") f.xattrs.emplace_back(name, value);
        f.xattrs.emplace_back("security.ima", item.ima_value);
        return f;
    }

    static std::vector<std::pair<std::string, Bytes>> entry_xattrs(archive_entry* e) {
        std::vector<std::pair<std::string, Bytes>> out;
        archive_entry_xattr_reset(e);
        const char* name;
        const void* value;
        size_t size;
        while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
            auto* p = static_cast<const uint8_t*>(value);
            out.emplace_back(name, Bytes(p, p + size));
        }
        return out;
    }

    void write_loop() {
        try {
            for (;;) {
                std::unique_ptr<Item> item;
                {
                    std::unique_lock lk(m_);
                    cv_ready_.wait(lk, [&] {
                        return failure_ || (!order_.empty() && order_.front()->ready) ||
                               (reader_done_ && order_.empty());
                    });
                    if (failure_ || order_.empty()) return;
                    item = std::move(order_.front());
                    order_.pop_front();
                }
                write_item(*item);
                std::lock_guard lk(m_);
                held_ -= item->held();
                spooled_ -= item->spooled();
                cv_space_.notify_all();
            }
        } catch (...) {
            stop(std::current_exception());
        }
    }

    void write_item(Item& item) {
        archive_entry* e = item.entry.get();
        const std::string path = printable(item.path);
        if (!item.error.empty()) {
            if (item.error_kind == ErrorKind::env)
                throw Error(ErrorKind::env, in_name_ + ": entry " + path + ": " + item.error);
            throw FormatError(in_name_ + ": entry " + path + ": " + item.error);
        }
        if (item.sign) {
            // A security.evm from the input covered the old security.ima: it
            // is stale now, whatever it was, and goes unless a new one is made.
            auto keep = entry_xattrs(e);
            archive_entry_xattr_clear(e);
            for (auto& [name, value] : keep) {
                if (name == "security.ima" || name == "security.evm") continue;
                archive_entry_xattr_add_entry(e, name.c_str(), value.data(), value.size());
            }
            archive_entry_xattr_add_entry(e, "security.ima", item.ima_value.data(), item.ima_value.size());
            if (!item.evm_value.empty())
                archive_entry_xattr_add_entry(e, "security.evm", item.evm_value.data(), item.evm_value.size());
        }
        // The sparse map stays on the entry: the pax writer stores the same
        // regions (GNU sparse 1.0) and skips the zeros it is given for holes.
        if (archive_write_header(w_, e) < ARCHIVE_WARN)
            throw Error(ErrorKind::env, out_name_ + ": entry " + path + ": " + archive_error(w_));
        if (item.size) visit_contents(item, item.path, [&](ByteView b) { write_data(b.data(), b.size(), path); });
        ++summary_.entries;
        if (item.sign) {
            ++(item.kept ? summary_.kept : summary_.signed_files);
            if (on_record_)
                on_record_(
                    FileRecord{item.path, item.path, std::move(item.digest), std::move(item.ima_value), item.kept});
        }
    }

    void write_data(const uint8_t* p, size_t n, const std::string& path) {
        while (n) {
            la_ssize_t w = archive_write_data(w_, p, n);
            if (w < 0) throw Error(ErrorKind::env, out_name_ + ": entry " + path + ": " + archive_error(w_));
            if (w == 0) throw Error(ErrorKind::env, out_name_ + ": entry " + path + ": the archive took no more data");
            p += w;
            n -= static_cast<size_t>(w);
        }
    }

    const std::string& in_name_;
    const std::string& out_name_;
    archive* w_;
    SignerPool pool_;
    const TarRequest& req_;
    const RecordFn& on_record_;

    std::mutex m_;
    std::condition_variable cv_space_, cv_ready_;
    std::deque<std::unique_ptr<Item>> order_;
    WorkPool* signers_ = nullptr;
    size_t held_ = 0;
    uint64_t spooled_ = 0;
    bool reader_done_ = false;
    std::exception_ptr failure_;
    TarSummary summary_;
};

}  // namespace

TarSummary sign_tar(int in_fd, const std::string& in_name, int out_fd, const std::string& out_name,
                    const PrivateKey& key, KeyId keyid, const TarRequest& req, const RecordFn& on_record) {
    if (req.version != SigVersion::v2 && req.version != SigVersion::v3)
        throw UsageError("tar streams take signature v2 or v3 (fs-verity signatures need the file on disk)");
    ReadPtr r(archive_read_new());
    WritePtr w(archive_write_new());
    if (!r || !w) throw std::bad_alloc();
    archive_read_support_format_tar(r.get());
    archive_read_support_format_gnutar(r.get());
    archive_read_support_filter_all(r.get());
    if (archive_read_open_fd(r.get(), in_fd, io_chunk) != ARCHIVE_OK)
        throw FormatError(in_name + ": not a readable tar stream: " + archive_error(r.get()));
    // pax, with xattrs as SCHILY.xattr.* records only: what GNU tar --xattrs
    // and bsdtar both restore (the LIBARCHIVE.xattr.* copy would only make
    // GNU tar warn about an unknown keyword).
    if (archive_write_set_format_pax_restricted(w.get()) != ARCHIVE_OK ||
        archive_write_set_format_option(w.get(), "pax", "xattrheader", "SCHILY") < ARCHIVE_WARN ||
        archive_write_open_fd(w.get(), out_fd) != ARCHIVE_OK)
        throw Error(ErrorKind::env, out_name + ": " + archive_error(w.get()));
    Pipeline p(in_name, out_name, w.get(), key, keyid, req, on_record);
    TarSummary s = p.run(r.get());
    if (archive_write_close(w.get()) != ARCHIVE_OK)
        throw Error(ErrorKind::env, out_name + ": " + archive_error(w.get()));
    return s;
}

}  // namespace ima::sign
