#include "boot_aggregate.hpp"

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/file_io.hpp"
#include "ima/measurement/boot_aggregate.hpp"
#include "ima/measurement/eventlog.hpp"
#include "status.hpp"
#include "target.hpp"

namespace ima::evmctl {

namespace {

// evmctl's limit on one event's data.
constexpr uint32_t max_event_data = 200000;

}  // namespace

Bytes boot_aggregate(const Bank& bank) {
    measurement::PcrMap pcrs;
    for (unsigned i = 0; i < num_pcrs; ++i) pcrs[i] = bank.pcr[i];
    return measurement::boot_aggregate(bank.algo, pcrs);
}

void replay_tpm12_event_log(ByteView log, Bank& sha1) {
    Reader r(log, "TPM 1.2 event log");
    Hasher h(HashAlgo::sha1);
    while (r.remaining() >= 32) {
        uint32_t pcr = r.u32_host();
        r.u32_host();  // event type
        ByteView digest = r.bytes(20);
        uint32_t len = r.u32_host();
        if (pcr >= num_pcrs) throw error("TPM 1.2 event log: invalid PCR " + std::to_string(pcr));
        h.update(sha1.pcr[pcr]);
        h.update(digest);
        sha1.pcr[pcr] = h.finish();
        if (len > max_event_data) throw error("TPM 1.2 event log: event data too long (" + std::to_string(len) + ")");
        // evmctl reads the data with fread(buf, len, 1): a zero-length event
        // reads as a short read and ends the replay, as does a truncated one.
        if (len == 0 || r.remaining() < len) break;
        r.skip(len);
    }
}

int cmd_ima_boot_aggregate(const Options& opts, Console& con, const std::string& sysfs_root) {
    std::vector<Bank> banks = evmctl_banks();
    try {
        if (opts.args.size() > 1) {
            const std::string& log = opts.args[1];
            Bytes data = read_bounded(log, ReadOptions{.max_bytes = measurement::kMaxEventLogBytes});
            replay_tpm12_event_log(data, banks[0]);
            banks[0].supported = true;
            banks[1].supported = false;
        } else if (!opts.pcrs.empty()) {
            read_pcr_files(opts.pcrs, banks);
        } else if (!read_tpm_pcrs(banks, sysfs_root)) {
            throw error("failed to read any TPM PCRs (no TPM, and no --pcrs given)");
        }
    } catch (const Error& e) {
        con.error(e.what());
        return evmctl_status(e);
    }
    std::string out;
    for (const auto& b : banks)
        if (b.supported) out += b.name() + ":" + to_hex(boot_aggregate(b)) + "\n";
    con.print(out);
    return status_ok;
}

}  // namespace ima::evmctl
