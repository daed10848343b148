#include "ima/attest/pcr_source.hpp"

#include "ima/error.hpp"
#include "ima/file_io.hpp"
#include "ima/measurement/eventlog.hpp"
#include "ima/measurement/list.hpp"
#include "ima/tpm/tpm.hpp"

namespace ima::attest {

void PcrSource::check() const {
    int n = !pcr_files.empty() + tpm + sysfs + !eventlog.empty();
    if (n > 1) throw UsageError("give one source of PCR values: --pcrs, --tpm, --sysfs or --eventlog");
}

measurement::PcrValues PcrSource::read(const std::vector<HashAlgo>& banks) const {
    check();
    std::vector<unsigned> all;
    for (unsigned p = 0; p < 24; ++p) all.push_back(p);
    measurement::PcrValues v;
    if (!pcr_files.empty()) {
        for (const auto& f : pcr_files) measurement::load_pcr_file_arg(f, v);
    } else if (tpm) {
        tpm::Tpm t(tcti.empty() ? tpm::default_tcti() : tcti);
        std::vector<HashAlgo> want = banks.empty() ? measurement::replay_banks() : banks;
        v = t.read_banks(want, all);
    } else if (!eventlog.empty()) {
        Bytes bytes =
            read_bounded(eventlog, ReadOptions{.max_bytes = measurement::kMaxEventLogBytes, .allow_stdin = true});
        measurement::EventLog log;
        try {
            log = measurement::parse_event_log(bytes);
        } catch (const FormatError& e) {
            throw FormatError(eventlog + ": " + e.what());
        }
        // PCRs replayed from a log with nothing in it are the TPM's reset
        // values: they prove nothing about a boot.
        if (measurement::measured_events(log) == 0)
            throw FormatError(eventlog + ": the event log holds no measurements");
        v.banks = measurement::replay_event_log(log);
        v.source = eventlog;
    } else {
        v = measurement::read_sysfs_pcrs(sysfs_dir);
    }
    for (HashAlgo a : banks)
        if (!v.bank(a)) throw Error(ErrorKind::env, v.source + ": no " + hash_algo_info(a).name + " PCR bank");
    return v;
}

std::vector<HashAlgo> parse_bank_option(const std::string& bank) {
    if (bank == "all") return {};
    HashAlgo a = parse_hash_algo(bank);
    for (HashAlgo b : measurement::replay_banks())
        if (a == b) return {a};
    throw UsageError("--bank: '" + bank + "' is not a PCR bank (sha1, sha256, sha384, sha512, all)");
}

std::vector<HashAlgo> select_banks(const std::vector<HashAlgo>& wanted, const measurement::PcrValues& have) {
    if (!wanted.empty()) {
        for (HashAlgo a : wanted)
            if (!have.bank(a))
                throw Error(ErrorKind::env, have.source + ": no " + hash_algo_info(a).name + " PCR bank");
        return wanted;
    }
    std::vector<HashAlgo> out;
    for (HashAlgo a : measurement::replay_banks())
        if (have.bank(a)) out.push_back(a);
    if (out.empty()) throw Error(ErrorKind::env, have.source + ": no sha1, sha256, sha384 or sha512 PCR values");
    return out;
}

}  // namespace ima::attest
