#include "pcrs.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "ima/bytes.hpp"
#include "ima/error.hpp"
#include "ima/file_io.hpp"
#include "ima/measurement/pcr_values.hpp"
#include "ima/tpm/tpm.hpp"
#include "status.hpp"
#include "target.hpp"

namespace ima::evmctl {

namespace {

// A small sysfs or PCR file, to EOF (sysfs reports size 0).
std::string read_text(const std::string& path) {
    Bytes b = read_bounded(path, ReadOptions{.max_bytes = measurement::kMaxPcrFile});
    return std::string(b.begin(), b.end());
}

// A TPM 2.0 through tpm2-tss (where evmctl 1.4 ran tsspcrread): the TCTI of
// $IMAEVM_TCTI or $TPM2TOOLS_TCTI, else tpm2-tss's own search, as evmctl 1.6
// does (it finds a simulator on localhost:2321 with nothing configured).
bool read_tpm2(std::vector<Bank>& banks) {
    std::string tcti = tpm::tcti_from_environment();
    if (tcti.rfind("device:", 0) == 0) {
        struct stat st {};
        if (stat(tcti.substr(7).c_str(), &st) != 0) return false;
    }
    std::vector<unsigned> all;
    for (unsigned i = 0; i < num_pcrs; ++i) all.push_back(i);
    try {
        tpm::Tpm t(tcti);
        bool any = false;
        for (auto& b : banks) {
            b.supported = false;
            try {
                measurement::PcrMap values = t.read_pcrs(b.algo, all);
                for (const auto& [n, v] : values)
                    if (n < num_pcrs && v.size() == b.digest_size()) b.pcr[n] = v;
                b.supported = values.size() == num_pcrs;
            } catch (const Error&) {
                b.supported = false;  // the bank is not allocated
            }
            any = any || b.supported;
        }
        return any;
    } catch (const Error&) {
        return false;
    }
}

}  // namespace

Bank::Bank(HashAlgo a) : algo(a) {
    for (auto& p : pcr) p.assign(digest_size(), 0);
}
std::string Bank::name() const {
    return hash_algo_info(algo).name;
}
size_t Bank::digest_size() const {
    return hash_algo_info(algo).digest_size;
}

std::vector<Bank> evmctl_banks() {
    return {Bank(HashAlgo::sha1), Bank(HashAlgo::sha256)};
}

bool parse_pcr_lines(const std::string& text, Bank& bank) {
    return measurement::read_pcr_lines_lenient(text, bank.pcr);
}

void read_pcr_files(const std::vector<std::string>& specs, std::vector<Bank>& banks) {
    for (auto& b : banks) b.supported = false;
    for (const auto& spec : specs) {
        auto comma = spec.find(',');
        std::string algo = comma == std::string::npos ? "sha1" : spec.substr(0, comma);
        std::string path = comma == std::string::npos ? spec : spec.substr(comma + 1);
        Bank* bank = nullptr;
        for (auto& b : banks)
            if (b.name() == algo) bank = &b;
        if (!bank) throw error("--pcrs: unknown algorithm '" + algo + "' (sha1 or sha256)");
        struct stat st {};
        if (stat(path.c_str(), &st) != 0) throw error("--pcrs " + path + ": " + std::strerror(errno));
        if (!S_ISREG(st.st_mode)) throw error("--pcrs " + path + ": not a regular file");
        if (!parse_pcr_lines(read_text(path), *bank)) throw error("--pcrs " + path + ": no PCR values");
        bank->supported = true;
    }
}

namespace {

// The kernel's per-bank TPM 2.0 files, /sys/class/tpm/tpm0/pcr-<algo>/<n>;
// a bank is supported when all 24 are there.
bool read_sysfs_tpm2(std::vector<Bank>& banks, const std::string& sysfs_root) {
    bool any = false;
    for (auto& b : banks) {
        b.supported = false;
        bool all = true;
        for (size_t i = 0; i < num_pcrs && all; ++i) {
            std::string path = sysfs_root + "/tpm/tpm0/pcr-" + b.name() + "/" + std::to_string(i);
            try {
                std::string text = read_text(path);
                std::fill(b.pcr[i].begin(), b.pcr[i].end(), 0);
                measurement::read_hex_prefix(text, b.pcr[i]);
            } catch (const Error&) {
                all = false;
            }
        }
        b.supported = all;
        any = any || all;
    }
    return any;
}

}  // namespace

bool read_tpm_pcrs(std::vector<Bank>& banks, const std::string& sysfs_root, bool hwtpm) {
    for (const char* tpm12 : {"/tpm/tpm0/device/pcrs", "/misc/tpm0/device/pcrs"}) {
        struct stat st {};
        if (stat((sysfs_root + tpm12).c_str(), &st) != 0) continue;
        try {
            if (!parse_pcr_lines(read_text(sysfs_root + tpm12), banks[0])) continue;
        } catch (const Error&) {
            continue;
        }
        banks[0].supported = true;
        for (size_t i = 1; i < banks.size(); ++i) banks[i].supported = false;
        return true;
    }
    // evmctl 1.6: --hwtpm reads the sysfs files before asking the TPM.
    if (hwtpm && read_sysfs_tpm2(banks, sysfs_root)) return true;
    if (read_tpm2(banks)) return true;
    return !hwtpm && read_sysfs_tpm2(banks, sysfs_root);
}

}  // namespace ima::evmctl
