#include "ima/measurement/list.hpp"

#include <endian.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "ima/error.hpp"
#include "ima/fd.hpp"
#include "ima/file_io.hpp"

namespace ima::measurement {

namespace {

// TPM 2.0 PCRs 0-23; the kernel refuses a policy pcr= beyond what the TPM has.
constexpr uint32_t kPcrCount = 24;
// TCG_EVENT_NAME_LEN_MAX: no template name (and no "ima" event name) is longer.
constexpr uint32_t kMaxNameLen = 255;

uint32_t read_u32(Reader& r, ByteOrder o) {
    return o == ByteOrder::little ? r.u32_le() : r.u32_be();
}

bool plausible_first_entry(ByteView in, ByteOrder o, size_t digest_size) {
    try {
        Reader r(in);
        uint32_t pcr = read_u32(r, o);
        r.skip(digest_size);
        uint32_t name_len = read_u32(r, o);
        return pcr < kPcrCount && name_len >= 1 && name_len <= kMaxNameLen;
    } catch (const FormatError&) {
        return false;
    }
}

std::string at(const Entry& e) {
    return "entry " + std::to_string(e.index) + " at byte " + std::to_string(e.offset);
}

// Splits the data of a length-prefixed template into its fields; returns the
// problem ("" when the data is exactly the template's fields).
std::string split_fields(Entry& e, ByteOrder o) {
    Reader r(e.template_data, "template data");
    std::vector<ByteView> fields;
    fields.reserve(e.desc->fields.size());
    for (const FieldDesc* f : e.desc->fields) {
        if (r.remaining() < 4)
            return "template data: " + std::to_string(fields.size()) + " of " + std::to_string(e.desc->fields.size()) +
                   " fields, no room for '" + std::string(f->id) + "'";
        uint32_t len = read_u32(r, o);
        if (len > r.remaining())
            return "template data: field '" + std::string(f->id) + "' claims " + std::to_string(len) + " bytes, " +
                   std::to_string(r.remaining()) + " left";
        fields.push_back(r.bytes(len));
    }
    if (!r.empty()) return "template data: " + std::to_string(r.remaining()) + " bytes after the last field";
    e.fields = std::move(fields);
    return "";
}

}  // namespace

ByteOrder host_byte_order() {
#if __BYTE_ORDER == __LITTLE_ENDIAN
    return ByteOrder::little;
#else
    return ByteOrder::big;
#endif
}

const char* byte_order_name(ByteOrder o) {
    return o == ByteOrder::little ? "little-endian" : "big-endian";
}

bool Entry::is_violation() const {
    return std::all_of(template_digest.begin(), template_digest.end(), [](uint8_t b) { return b == 0; });
}

const ByteView* Entry::field(std::string_view id) const {
    if (!desc || fields.empty()) return nullptr;
    int i = desc->index_of(id);
    return i < 0 ? nullptr : &fields[static_cast<size_t>(i)];
}

std::optional<ByteOrder> detect_byte_order(ByteView in, size_t digest_size) {
    ByteOrder host = host_byte_order();
    ByteOrder other = host == ByteOrder::little ? ByteOrder::big : ByteOrder::little;
    if (in.empty() || plausible_first_entry(in, host, digest_size)) return host;
    if (plausible_first_entry(in, other, digest_size)) return other;
    return std::nullopt;
}

namespace {

ByteOrder choose_order(ByteView in, OrderChoice choice, size_t digest_size) {
    switch (choice) {
        case OrderChoice::host: return host_byte_order();
        case OrderChoice::little: return ByteOrder::little;
        case OrderChoice::big: return ByteOrder::big;
        case OrderChoice::automatic: break;
    }
    auto o = detect_byte_order(in, digest_size);
    if (!o)
        throw FormatError(
            "not a measurement list: the first entry has no plausible PCR number and name length in either byte "
            "order");
    return *o;
}

// Where read_framing was, and why it threw when it did.
struct Framing {
    ListPart part = ListPart::header;
    ListStop stop = ListStop::truncated;  // for a FormatError that is no TruncatedError
    uint32_t declared = 0;
};

// One entry's framing, read from `r` at the start of an entry: everything
// but the split into fields. Throws TruncatedError when the input ends
// inside the entry, FormatError when a header field is out of range; `f`
// says where.
void read_framing(Reader& r, ByteView in, const ParseOptions& opts, ByteOrder order, size_t digest_size, Entry& e,
                  Framing& f) {
    f.part = ListPart::header;
    r.need(4 + digest_size + 4);  // the whole header before any field of it is judged
    e.pcr = read_u32(r, order);
    e.template_digest = r.bytes(digest_size);
    uint32_t name_len = f.declared = read_u32(r, order);
    if (e.pcr >= kPcrCount) {
        f.stop = ListStop::bad_pcr;
        throw FormatError("PCR " + std::to_string(e.pcr) + " is out of range (0-23)");
    }
    if (name_len == 0 || name_len > kMaxNameLen) {
        f.stop = ListStop::bad_name_length;
        throw FormatError("template name length " + std::to_string(name_len) + " is out of range (1-255)");
    }
    f.part = ListPart::name;
    ByteView name = r.bytes(name_len);
    e.template_name = {reinterpret_cast<const char*>(name.data()), name.size()};
    if (opts.name_ends_at_nul) e.template_name = e.template_name.substr(0, e.template_name.find('\0'));
    if (e.template_name == "ima") {
        // ima_measurements_show: 'd' without a length, 'n' as u32 strlen + chars.
        f.part = ListPart::ima_digest;
        size_t start = r.pos();
        ByteView digest = r.bytes(20);
        uint32_t len = f.declared = read_u32(r, order);
        f.part = ListPart::ima_name;
        if (len > kMaxTemplateData) {
            f.stop = ListStop::too_long;
            throw FormatError("event name of " + std::to_string(len) + " bytes");
        }
        ByteView fname = r.bytes(len);
        e.template_data = in.subspan(start, r.pos() - start);
        e.fields = {digest, fname};
        if (len > kMaxNameLen) e.problem = "event name of " + std::to_string(len) + " bytes is longer than 255";
    } else {
        f.part = ListPart::data_length;
        uint32_t len = f.declared = read_u32(r, order);
        f.part = ListPart::data;
        if (len > kMaxTemplateData) {
            f.stop = ListStop::too_long;
            throw FormatError("template data of " + std::to_string(len) + " bytes (at most " +
                              std::to_string(kMaxTemplateData) + ")");
        }
        e.template_data = r.bytes(len);
    }
}

}  // namespace

void ListScanner::feed(ByteView so_far) {
    if (!order_) {
        // The first entry decides the order; wait until it is there (or all of it is).
        if (so_far.size() < 4 + hash_algo_info(opts_.digest_algo).digest_size + 4) return;
        order_ = choose_order(so_far, opts_.order, hash_algo_info(opts_.digest_algo).digest_size);
    }
    const size_t digest_size = hash_algo_info(opts_.digest_algo).digest_size;
    Reader r(so_far, "measurement list");
    r.skip(offset_);
    while (!r.empty()) {
        Entry e;
        e.index = entries_ + 1;
        e.offset = r.pos();
        Framing f;
        try {
            read_framing(r, so_far, opts_, *order_, digest_size, e, f);
        } catch (const TruncatedError&) {
            return;  // the rest of this entry has not arrived yet
        } catch (const FormatError& ex) {
            throw FormatError(at(e) + ": " + ex.what());
        }
        offset_ = r.pos();
        ++entries_;
    }
}

ListReader::ListReader(ByteView in, const ParseOptions& opts)
    : in_(in),
      opts_(opts),
      order_(choose_order(in, opts.order, hash_algo_info(opts.digest_algo).digest_size)),
      r_(in, "measurement list") {}

std::optional<Entry> ListReader::next() {
    if (stopped_) return std::nullopt;
    if (r_.empty()) {
        stopped_ = stop_ = ListStop::end;
        return std::nullopt;
    }
    Entry e;
    e.index = count_ + 1;
    e.offset = r_.pos();
    Framing f;
    try {
        read_framing(r_, in_, opts_, order_, hash_algo_info(opts_.digest_algo).digest_size, e, f);
        e.desc = templates_->find(e.template_name);
        if (e.desc && !e.desc->is_ima()) e.problem = split_fields(e, order_);
    } catch (const FormatError& ex) {
        stopped_ = stop_ = dynamic_cast<const TruncatedError*>(&ex) ? ListStop::truncated : f.stop;
        part_ = f.part;
        declared_ = f.declared;
        problem_ = at(e) + ": " + ex.what();
        partial_ = std::move(e);
        return std::nullopt;
    }
    ++count_;
    return e;
}

MeasurementList parse_measurement_list(ByteView in, const ParseOptions& opts) {
    MeasurementList list;
    list.digest_algo = opts.digest_algo;
    ListReader reader(in, opts);
    list.order = reader.order();
    list.templates = reader.templates();
    while (auto next = reader.next()) {
        Entry e = std::move(*next);
        if (!e.desc) {
            std::string name(e.template_name);
            if (std::find(list.unknown_templates.begin(), list.unknown_templates.end(), name) ==
                list.unknown_templates.end())
                list.unknown_templates.push_back(name);
        }
        list.entries.push_back(std::move(e));
    }
    if (reader.stop() != ListStop::end) throw FormatError(reader.problem());
    return list;
}

HashAlgo digest_algo_from_file_name(const std::string& path) {
    static const std::string stem = "binary_runtime_measurements_";
    size_t slash = path.find_last_of('/');
    std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    if (base.rfind(stem, 0) != 0) return HashAlgo::sha1;
    try {
        return parse_hash_algo(base.substr(stem.size()));
    } catch (const Error&) {
        return HashAlgo::sha1;
    }
}

std::unique_ptr<LoadedList> load_measurement_list(const std::string& path, const ParseOptions& opts) {
    auto l = std::make_unique<LoadedList>();
    const std::string shown = path == "-" ? std::string("<stdin>") : path;
    auto named = [&](const FormatError& e) { return FormatError(shown + ": " + e.what()); };
    ListScanner scan(opts);
    l->bytes =
        read_bounded(path, ReadOptions{.max_bytes = kMaxListBytes, .allow_stdin = true}, "", [&](ByteView so_far) {
            try {
                scan.feed(so_far);
            } catch (const FormatError& e) {
                throw named(e);
            }
        });
    try {
        l->list = parse_measurement_list(l->bytes, opts);
    } catch (const FormatError& e) {
        throw named(e);
    }
    return l;
}

}  // namespace ima::measurement
