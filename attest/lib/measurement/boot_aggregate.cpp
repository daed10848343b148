#include "ima/measurement/boot_aggregate.hpp"

#include "ima/digest.hpp"
#include "ima/error.hpp"

namespace ima::measurement {

Bytes boot_aggregate(HashAlgo bank, const PcrMap& pcrs) {
    // PCRs 8 and 9 (kernel command line and image in a typical allocation)
    // only count for non-SHA-1 banks, to keep old SHA-1 values unchanged.
    const unsigned last = bank == HashAlgo::sha1 ? 7 : 9;
    Hasher h(bank);
    for (unsigned p = 0; p <= last; ++p) {
        auto it = pcrs.find(p);
        if (it == pcrs.end())
            throw FormatError("boot_aggregate needs " + std::string(hash_algo_info(bank).name) + " PCR " +
                              std::to_string(p));
        h.update(it->second);
    }
    return h.finish();
}

std::optional<BootAggregateEntry> find_boot_aggregate(const MeasurementList& list) {
    for (const Entry& e : list.entries) {
        auto name = entry_event_name(e);
        if (!name || *name != "boot_aggregate") continue;
        auto d = entry_file_digest(e);
        if (!d) return std::nullopt;
        return BootAggregateEntry{&e, *d};
    }
    return std::nullopt;
}

}  // namespace ima::measurement
