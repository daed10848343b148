// The kernel's binary measurement list (binary_runtime_measurements,
// security/integrity/ima/ima_fs.c: ima_measurements_show). Each entry:
//   u32 pcr; u8 template_digest[N]; u32 name_len; char name[name_len];
//   u32 data_len; u8 data[data_len]         (no data_len for template "ima")
// N is 20 (SHA-1) in binary_runtime_measurements and the bank's digest size
// in binary_runtime_measurements_<algo>. The template data is a sequence of
// fields, each u32 length + bytes; template "ima" instead has a bare 20-byte
// digest and a u32-length name. Integers are in the byte order of the kernel
// that wrote the list, or little-endian when it ran with ima_canonical_fmt.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ima/bytes.hpp"
#include "ima/hash_algo.hpp"
#include "ima/measurement/template.hpp"

namespace ima::measurement {

enum class ByteOrder { little, big };
ByteOrder host_byte_order();
const char* byte_order_name(ByteOrder o);  // "little-endian", "big-endian"

// How to choose the byte order: `automatic` looks at the first entry (the PCR
// number must be below 24 and the name length between 1 and 255 in exactly
// one of the two orders; when both fit, the host's order wins).
enum class OrderChoice { automatic, host, little, big };

struct ParseOptions {
    OrderChoice order = OrderChoice::automatic;
    // The algorithm of the recorded template digests: sha1 for
    // binary_runtime_measurements, the bank's for binary_runtime_measurements_<algo>.
    HashAlgo digest_algo = HashAlgo::sha1;
    // evmctl's reading of the template name: into a NUL-filled buffer, so the
    // name ends at its first NUL byte ("ima\0x" is "ima").
    bool name_ends_at_nul = false;
};

struct Entry {
    size_t index = 0;   // 1-based position in the list
    size_t offset = 0;  // byte offset of the entry in the input
    uint32_t pcr = 0;
    ByteView template_digest;            // as recorded
    std::string_view template_name;      // as recorded (not NUL-terminated)
    ByteView template_data;              // as exported (for "ima": digest, u32 length, name)
    const TemplateDesc* desc = nullptr;  // nullptr: unknown template
    std::vector<ByteView> fields;        // field data, without lengths; empty when unknown or malformed
    std::string problem;                 // why the template data does not split into its fields ("" if it does)

    // A measurement violation (ToMToU, open-writers): the kernel records an
    // all-zero template digest and extends all-ones.
    bool is_violation() const;
    // The data of a field by id (nullptr when the template has no such field
    // or the data is malformed).
    const ByteView* field(std::string_view id) const;
};

// A parsed list. Entries refer into the bytes given to parse_measurement_list,
// which must outlive it, and to the templates it owns.
struct MeasurementList {
    ByteOrder order = ByteOrder::little;
    HashAlgo digest_algo = HashAlgo::sha1;
    std::vector<Entry> entries;
    std::shared_ptr<TemplateSet> templates = std::make_shared<TemplateSet>();
    // Template names that are neither built-in nor a valid custom format, once
    // each, in order of appearance.
    std::vector<std::string> unknown_templates;
};

// Parses a whole list. An entry whose header or lengths run past the end, a
// PCR number of 24 or more, a template name of 0 or more than 255 bytes, or
// template data of more than kMaxTemplateData bytes throws
// FormatError("entry N at byte X: ..."). An entry of a known template whose
// data does not split into the template's fields is kept, with the cause in
// Entry::problem, so that replay still covers it.
MeasurementList parse_measurement_list(ByteView in, const ParseOptions& opts = {});

// Why a ListReader stopped, and which part of the entry it was reading.
enum class ListStop {
    end,              // every byte was used: the list is whole
    truncated,        // the input ends inside the entry
    bad_pcr,          // a PCR number of 24 or more
    bad_name_length,  // a template name of 0 or more than 255 bytes
    too_long,         // template data (or an "ima" event name) over kMaxTemplateData
};
enum class ListPart {
    header,       // u32 pcr, the template digest, u32 name length (all read before any is judged)
    name,         // the template name
    data_length,  // u32 length of the template data
    data,         // the template data
    ima_digest,   // template "ima": the 20-byte file digest and its u32 name length
    ima_name,     // template "ima": the event name
};

// Reads a list an entry at a time and says where and why it stopped, so that
// a caller with its own rules for a malformed list (imaevm-evmctl keeps
// evmctl's messages and statuses) reads it with the same parser as
// everyone else. parse_measurement_list is a loop over it.
class ListReader {
public:
    // Chooses the byte order as parse_measurement_list does (throws its
    // FormatError when OrderChoice::automatic finds none).
    explicit ListReader(ByteView in, const ParseOptions& opts = {});
    // The next entry (its fields split when its template is known), or
    // nullopt once the list stopped: then stop() says why.
    std::optional<Entry> next();

    ListStop stop() const { return stop_; }
    ListPart part() const { return part_; }  // what was being read when it stopped
    // "entry N at byte X: <why>" ("" after a whole list).
    const std::string& problem() const { return problem_; }
    // The stopped entry as far as it was read (pcr, template_name, ...).
    const Entry& partial() const { return partial_; }
    // The last length field read before the stop (a name or data length).
    uint32_t declared_length() const { return declared_; }
    size_t entries() const { return count_; }  // entries returned so far
    ByteOrder order() const { return order_; }
    const std::shared_ptr<TemplateSet>& templates() const { return templates_; }

private:
    ByteView in_;
    ParseOptions opts_;
    ByteOrder order_;
    Reader r_;
    std::shared_ptr<TemplateSet> templates_ = std::make_shared<TemplateSet>();
    std::optional<ListStop> stopped_;
    ListStop stop_ = ListStop::end;
    ListPart part_ = ListPart::header;
    std::string problem_;
    Entry partial_;
    uint32_t declared_ = 0;
    size_t count_ = 0;
};

// No entry's template data is larger (the kernel's largest are appended
// module signatures and ima-buf records of a few KiB).
inline constexpr uint32_t kMaxTemplateData = 1u << 24;

// Checks entry headers as bytes arrive, so that a stream that is not a list
// (a device of zeros, another file) fails at its first entry instead of
// being read whole. feed() takes every byte read so far and checks each
// entry completed since the last call; it throws FormatError as
// parse_measurement_list does for a malformed one.
class ListScanner {
public:
    explicit ListScanner(const ParseOptions& opts) : opts_(opts) {}
    void feed(ByteView so_far);
    size_t entries() const { return entries_; }

private:
    ParseOptions opts_;
    std::optional<ByteOrder> order_;
    size_t offset_ = 0, entries_ = 0;
};

// The largest measurement list load_measurement_list reads.
inline constexpr size_t kMaxListBytes = size_t{1} << 30;

// The byte order a list is in, by the rule of OrderChoice::automatic; nullopt
// when neither order gives a plausible first entry. An empty input is host order.
std::optional<ByteOrder> detect_byte_order(ByteView in, size_t digest_size = 20);

// A measurement list file read whole: the bytes, and the list referring into them.
struct LoadedList {
    Bytes bytes;
    MeasurementList list;
    LoadedList() = default;
    LoadedList(const LoadedList&) = delete;
    LoadedList& operator=(const LoadedList&) = delete;
};
// Reads `path` ("-": stdin) in chunks until EOF (securityfs files report
// size 0), checking entries as they arrive, and parses it. Throws IoError
// (cannot read), Error(env) (not a regular file), FormatError (malformed, or
// larger than kMaxListBytes; with the path in front).
std::unique_ptr<LoadedList> load_measurement_list(const std::string& path, const ParseOptions& opts = {});

// The algorithm a binary_runtime_measurements_<algo> file name carries
// ("..._sha256" -> sha256); sha1 for any other name.
HashAlgo digest_algo_from_file_name(const std::string& path);

}  // namespace ima::measurement
