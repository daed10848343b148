// Fuzzes the binary measurement list parser and everything that reads an
// entry: the kernel's ascii lines, the digest and name fields, template
// digests, the signature decoders (IMA v2/v3, appended PKCS#7, EVM in
// evm-sig), replay and the boot_aggregate lookup, and the entry-at-a-time
// ListReader as imaevm-evmctl reads with it. Any input either parses or
// throws FormatError; nothing may crash or throw anything else.
#include <cstdint>
#include <cstdlib>

#include "ima/error.hpp"
#include "ima/measurement/ascii.hpp"
#include "ima/measurement/boot_aggregate.hpp"
#include "ima/measurement/fields.hpp"
#include "ima/measurement/list.hpp"
#include "ima/measurement/replay.hpp"
#include "ima/measurement/signatures.hpp"

using namespace ima::measurement;

namespace {

void exercise(const MeasurementList& list) {
    static const std::vector<ima::VerifyKey> no_keys;
    std::string text;
    for (const Entry& e : list.entries) {
        append_ascii_line(text, e, list.order);
        (void)entry_event_name(e);
        try {
            (void)entry_file_digest(e);
        } catch (const ima::FormatError&) {
        }
        for (const auto& c : check_entry_signatures(e, list.order, no_keys))
            if (c.status == SigStatus::good) std::abort();  // no key, nothing can verify
    }
    ReplayResult r = replay(list, {{ima::HashAlgo::sha1, ima::HashAlgo::sha256}, nullptr});
    if (r.entries != list.entries.size()) std::abort();
    (void)find_boot_aggregate(list);
}

// The scanner that checks a list as it is read, fed in uneven pieces, must
// refuse only what the whole parse refuses, and count what it counts.
void scan_in_pieces(ima::ByteView in, const ParseOptions& opts, bool parsed, size_t entries) {
    ListScanner scan(opts);
    try {
        for (size_t n = 1; n < in.size(); n += 1 + n / 3) scan.feed(in.first(n));
        scan.feed(in);
    } catch (const ima::FormatError&) {
        if (parsed) std::abort();  // the scanner refused a list the parser takes
        return;
    }
    if (parsed && scan.entries() != entries) std::abort();
}

// The entry-at-a-time reader with imaevm-evmctl's options (host order, the
// name as a C string): it stops once, says why, and counts what it returned.
void read_as_evmctl(ima::ByteView in) {
    ListReader reader(in, ParseOptions{.order = OrderChoice::host, .name_ends_at_nul = true});
    size_t n = 0;
    while (auto e = reader.next()) {
        if (e->pcr >= 24 || e->template_name.find('\0') != std::string_view::npos) std::abort();
        ++n;
    }
    if (reader.next() || reader.entries() != n) std::abort();
    if ((reader.stop() == ListStop::end) != reader.problem().empty()) std::abort();
    if (reader.stop() == ListStop::bad_pcr && reader.partial().pcr < 24) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ima::ByteView in(data, size);
    for (OrderChoice o : {OrderChoice::automatic, OrderChoice::big}) {
        ParseOptions opts;
        opts.order = o;
        // Every other input is read as a per-bank (sha256) list.
        if (size % 2) opts.digest_algo = ima::HashAlgo::sha256;
        bool parsed = false;
        size_t entries = 0;
        try {
            MeasurementList list = parse_measurement_list(in, opts);
            parsed = true;
            entries = list.entries.size();
            exercise(list);
        } catch (const ima::FormatError&) {
        }
        scan_in_pieces(in, opts, parsed, entries);
    }
    read_as_evmctl(in);
    return 0;
}
