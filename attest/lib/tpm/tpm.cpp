#include "ima/tpm/tpm.hpp"

#include <tss2/tss2_esys.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_tctildr.h>

#include <cstdlib>
#include <cstring>

#include "ima/error.hpp"
#include "ima/hash_algo.hpp"

namespace ima::tpm {

namespace {

constexpr unsigned kPcrCount = 24;

std::string rc_text(TSS2_RC rc) {
    return tss2_error_text(rc);
}

// Frees what ESAPI allocated for an output parameter.
template <class T>
struct EsysOut {
    T* p = nullptr;
    ~EsysOut() { Esys_Free(p); }
};

uint16_t alg_of(HashAlgo a) {
    auto id = tpm_alg_from_hash_algo(a);
    if (!id) throw UsageError(std::string(hash_algo_info(a).name) + " is not a TPM PCR bank algorithm");
    return *id;
}

}  // namespace

std::string tss2_error_text(uint32_t rc) {
    const char* s = Tss2_RC_Decode(rc);
    return s ? s : "TSS2 error " + std::to_string(rc);
}

std::string tcti_from_environment() {
    for (const char* var : {"IMAEVM_TCTI", "TPM2TOOLS_TCTI"})
        if (const char* v = std::getenv(var); v && *v) return v;
    return "";
}

std::string default_tcti() {
    std::string t = tcti_from_environment();
    return t.empty() ? "device:/dev/tpmrm0" : t;
}

Tpm::Tpm(const std::string& tcti) : tcti_conf_(tcti.empty() ? "tpm2-tss's default search" : tcti) {
    TSS2_RC rc = Tss2_TctiLdr_Initialize(tcti.empty() ? nullptr : tcti.c_str(), &tcti_);
    if (rc != TSS2_RC_SUCCESS) throw Error(ErrorKind::env, "cannot open TPM '" + tcti_conf_ + "': " + rc_text(rc));
    rc = Esys_Initialize(&esys_, tcti_, nullptr);
    if (rc != TSS2_RC_SUCCESS) {
        Tss2_TctiLdr_Finalize(&tcti_);
        throw Error(ErrorKind::env, "cannot open TPM '" + tcti_conf_ + "': " + rc_text(rc));
    }
}

Tpm::~Tpm() {
    if (esys_) Esys_Finalize(&esys_);
    if (tcti_) Tss2_TctiLdr_Finalize(&tcti_);
}

std::vector<HashAlgo> Tpm::pcr_banks() {
    EsysOut<TPMS_CAPABILITY_DATA> cap;
    TPMI_YES_NO more = 0;
    TSS2_RC rc =
        Esys_GetCapability(esys_, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, TPM2_CAP_PCRS, 0, 1, &more, &cap.p);
    if (rc != TSS2_RC_SUCCESS)
        throw Error(ErrorKind::env, "TPM '" + tcti_conf_ + "': reading PCR banks: " + rc_text(rc));
    std::vector<HashAlgo> out;
    const TPML_PCR_SELECTION& sel = cap.p->data.assignedPCR;
    for (UINT32 i = 0; i < sel.count && i < TPM2_NUM_PCR_BANKS; ++i) {
        const TPMS_PCR_SELECTION& s = sel.pcrSelections[i];
        bool any = false;
        for (UINT8 b = 0; b < s.sizeofSelect && b < TPM2_PCR_SELECT_MAX; ++b) any = any || s.pcrSelect[b] != 0;
        auto a = hash_algo_from_tpm_alg(s.hash);
        if (any && a) out.push_back(*a);
    }
    return out;
}

measurement::PcrMap Tpm::read_pcrs(HashAlgo bank, const std::vector<unsigned>& pcrs) {
    const uint16_t alg = alg_of(bank);
    const size_t size = hash_algo_info(bank).digest_size;
    std::vector<unsigned> todo;
    for (unsigned p : pcrs)
        if (p < kPcrCount) todo.push_back(p);
    measurement::PcrMap out;
    while (!todo.empty()) {
        TPML_PCR_SELECTION in{};
        in.count = 1;
        in.pcrSelections[0].hash = alg;
        in.pcrSelections[0].sizeofSelect = 3;
        for (unsigned p : todo) in.pcrSelections[0].pcrSelect[p / 8] |= static_cast<uint8_t>(1u << (p % 8));
        UINT32 counter = 0;
        EsysOut<TPML_PCR_SELECTION> sel;
        EsysOut<TPML_DIGEST> values;
        TSS2_RC rc = Esys_PCR_Read(esys_, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &in, &counter, &sel.p, &values.p);
        if (rc != TSS2_RC_SUCCESS)
            throw Error(ErrorKind::env,
                        "TPM '" + tcti_conf_ + "': reading " + hash_algo_info(bank).name + " PCRs: " + rc_text(rc));
        // The TPM returns the selected PCRs it read, lowest first.
        size_t k = 0;
        std::vector<unsigned> rest;
        bool any = false;
        for (unsigned p : todo) {
            bool read = sel.p->count == 1 && sel.p->pcrSelections[0].hash == alg &&
                        (sel.p->pcrSelections[0].pcrSelect[p / 8] & (1u << (p % 8)));
            if (read && k < values.p->count) {
                const TPM2B_DIGEST& d = values.p->digests[k++];
                if (d.size != size)
                    throw Error(ErrorKind::env, "TPM '" + tcti_conf_ + "': PCR " + std::to_string(p) + " of " +
                                                    hash_algo_info(bank).name + " has " + std::to_string(d.size) +
                                                    " bytes");
                out[p] = Bytes(d.buffer, d.buffer + d.size);
                any = true;
            } else {
                rest.push_back(p);
            }
        }
        if (!any)
            throw Error(ErrorKind::env,
                        "TPM '" + tcti_conf_ + "': no " + std::string(hash_algo_info(bank).name) + " PCR bank");
        todo = std::move(rest);
    }
    return out;
}

measurement::PcrValues Tpm::read_banks(const std::vector<HashAlgo>& banks, const std::vector<unsigned>& pcrs) {
    measurement::PcrValues v;
    v.source = "TPM " + tcti_conf_;
    std::vector<HashAlgo> have = pcr_banks();
    for (HashAlgo a : banks.empty() ? have : banks) {
        bool allocated = false;
        for (HashAlgo h : have) allocated = allocated || h == a;
        if (allocated) v.banks[a] = read_pcrs(a, pcrs);
    }
    return v;
}

void Tpm::extend(unsigned pcr, const std::vector<std::pair<HashAlgo, Bytes>>& digests) {
    if (pcr >= kPcrCount) throw UsageError("PCR " + std::to_string(pcr) + " is out of range (0-23)");
    TPML_DIGEST_VALUES values{};
    for (const auto& [algo, d] : digests) {
        if (values.count == TPM2_NUM_PCR_BANKS) throw UsageError("too many banks to extend at once");
        if (d.size() != hash_algo_info(algo).digest_size || d.size() > sizeof(TPMU_HA))
            throw UsageError("digest of the wrong size for " + std::string(hash_algo_info(algo).name));
        TPMT_HA& ha = values.digests[values.count++];
        ha.hashAlg = alg_of(algo);
        std::memcpy(&ha.digest, d.data(), d.size());
    }
    TSS2_RC rc = Esys_PCR_Extend(esys_, ESYS_TR_PCR0 + pcr, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &values);
    if (rc != TSS2_RC_SUCCESS)
        throw Error(ErrorKind::env,
                    "TPM '" + tcti_conf_ + "': extending PCR " + std::to_string(pcr) + ": " + rc_text(rc));
}

}  // namespace ima::tpm
