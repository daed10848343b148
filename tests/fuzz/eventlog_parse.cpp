// Fuzzes the TCG event log parser (SHA-1 and crypto-agile formats, and the
// evmctl dialect) and its replay into PCR banks, and boot_aggregate from
// them: any input parses or throws FormatError.
#include <cstdint>
#include <cstdlib>

#include "ima/error.hpp"
#include "ima/measurement/boot_aggregate.hpp"
#include "ima/measurement/eventlog.hpp"

using namespace ima::measurement;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    for (auto dialect : {EventLogDialect::tcg, EventLogDialect::evmctl}) {
        try {
            EventLog log = parse_event_log(ima::ByteView(data, size), dialect);
            for (const auto& [algo, pcrs] : replay_event_log(log)) {
                if (pcrs.size() != 24) std::abort();
                (void)boot_aggregate(algo, pcrs);
            }
        } catch (const ima::FormatError&) {
        }
    }
    return 0;
}
