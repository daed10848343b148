#include "boot_aggregate.hpp"

#include "ima/error.hpp"
#include "ima/file_io.hpp"
#include "ima/measurement/boot_aggregate.hpp"
#include "ima/measurement/eventlog.hpp"
#include "status.hpp"
#include "target.hpp"

namespace ima::evmctl {

Bytes boot_aggregate(const Bank& bank) {
    measurement::PcrMap pcrs;
    for (unsigned i = 0; i < num_pcrs; ++i) pcrs[i] = bank.pcr[i];
    return measurement::boot_aggregate(bank.algo, pcrs);
}

void replay_tpm12_event_log(ByteView log, Bank& sha1) {
    auto banks = measurement::replay_event_log(measurement::parse_event_log(log, measurement::EventLogDialect::evmctl));
    const measurement::PcrMap& pcrs = banks.at(HashAlgo::sha1);
    for (unsigned i = 0; i < num_pcrs; ++i) sha1.pcr[i] = pcrs.at(i);
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
        } else if (!read_tpm_pcrs(banks, sysfs_root, opts.hwtpm)) {
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
