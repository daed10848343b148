#include "ima/measurement/eventlog.hpp"

#include <algorithm>
#include <cstring>

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/hash_algo.hpp"

namespace ima::measurement {

namespace {

constexpr uint32_t kPcrCount = 24;
constexpr char kSpecId[] = "Spec ID Event03";    // with its NUL: 16 bytes
constexpr char kLocality[] = "StartupLocality";  // with its NUL: 16 bytes
constexpr size_t kMaxAlgorithms = 16;
constexpr size_t kSha1HeaderBytes = 32;           // pcr, type, digest[20], data size
constexpr uint32_t kEvmctlMaxEventData = 200000;  // evmctl's buffer for one event's data

// The shared Reader has no 16-bit little-endian read.
uint16_t u16_le(Reader& r) {
    ByteView b = r.bytes(2);
    return static_cast<uint16_t>(b[0] | b[1] << 8);
}

bool all_zero(ByteView b) {
    return std::all_of(b.begin(), b.end(), [](uint8_t c) { return c == 0; });
}

bool has_signature(ByteView data, const char* sig) {
    return data.size() >= 16 && std::memcmp(data.data(), sig, 16) == 0;
}

// TCG_EfiSpecIdEvent: signature[16], platformClass u32, specVersionMinor,
// specVersionMajor, specErrata, uintnSize (u8 each), numberOfAlgorithms u32,
// {algorithmId u16, digestSize u16}[n], vendorInfoSize u8, vendorInfo[].
void parse_spec_id(ByteView data, EventLog& log) {
    Reader r(data, "Spec ID event");
    r.skip(16 + 4 + 4);
    uint32_t n = r.u32_le();
    if (n == 0 || n > kMaxAlgorithms) throw FormatError("Spec ID event: " + std::to_string(n) + " algorithms");
    for (uint32_t i = 0; i < n; ++i) {
        uint16_t alg = u16_le(r);
        uint16_t size = u16_le(r);
        if (size == 0 || size > 64)
            throw FormatError("Spec ID event: digest size " + std::to_string(size) + " of algorithm " +
                              std::to_string(alg));
        if (auto a = hash_algo_from_tpm_alg(alg); a && hash_algo_info(*a).digest_size != size)
            throw FormatError("Spec ID event: " + std::string(hash_algo_info(*a).name) + " with digest size " +
                              std::to_string(size));
        log.algorithms.emplace_back(alg, size);
    }
    uint8_t vendor = r.u8();
    r.skip(vendor);
}

std::string at(size_t index, size_t offset) {
    return "event " + std::to_string(index) + " at byte " + std::to_string(offset);
}

}  // namespace

namespace {

// The evmctl dialect: fixed-size SHA-1 headers read as evmctl reads them.
EventLog parse_evmctl_log(ByteView in) {
    EventLog log;
    log.extend_no_action = true;
    Reader r(in, "event log");
    while (r.remaining() >= kSha1HeaderBytes) {
        TcgEvent e;
        e.index = log.events.size() + 1;
        e.offset = r.pos();
        e.pcr = r.u32_host();
        e.type = r.u32_host();
        e.digests.push_back({tpm_alg_sha1, r.bytes(20)});
        uint32_t size = r.u32_host();
        if (e.pcr >= kPcrCount)
            throw FormatError(at(e.index, e.offset) + ": PCR " + std::to_string(e.pcr) + " is out of range (0-23)");
        if (size > kEvmctlMaxEventData)
            throw FormatError(at(e.index, e.offset) + ": event data of " + std::to_string(size) +
                              " bytes (at most 200000)");
        const bool last = size == 0 || r.remaining() < size;
        e.data = r.bytes(std::min<size_t>(size, r.remaining()));
        log.events.push_back(std::move(e));
        if (last) break;
    }
    return log;
}

}  // namespace

EventLog parse_event_log(ByteView in, EventLogDialect dialect) {
    if (dialect == EventLogDialect::evmctl) return parse_evmctl_log(in);
    EventLog log;
    Reader r(in, "event log");
    bool first = true;
    while (!r.empty()) {
        if (all_zero(r.rest())) break;
        TcgEvent e;
        e.index = log.events.size() + 1;
        e.offset = r.pos();
        try {
            e.pcr = r.u32_le();
            e.type = r.u32_le();
            if (e.pcr >= kPcrCount) throw FormatError("PCR " + std::to_string(e.pcr) + " is out of range (0-23)");
            if (first || !log.crypto_agile) {
                e.digests.push_back({tpm_alg_sha1, r.bytes(20)});
            } else {
                uint32_t count = r.u32_le();
                if (count > log.algorithms.size())
                    throw FormatError(std::to_string(count) + " digests, the log has " +
                                      std::to_string(log.algorithms.size()) + " algorithms");
                for (uint32_t i = 0; i < count; ++i) {
                    uint16_t alg = u16_le(r);
                    auto it = std::find_if(log.algorithms.begin(), log.algorithms.end(),
                                           [&](const auto& a) { return a.first == alg; });
                    if (it == log.algorithms.end())
                        throw FormatError("digest of algorithm 0x" + to_hex(Bytes{uint8_t(alg >> 8), uint8_t(alg)}) +
                                          ", which the Spec ID event does not list");
                    e.digests.push_back({alg, r.bytes(it->second)});
                }
            }
            uint32_t size = r.u32_le();
            e.data = r.bytes(size);
            if (first && e.type == ev_no_action && has_signature(e.data, kSpecId)) {
                log.crypto_agile = true;
                parse_spec_id(e.data, log);
            } else if (e.type == ev_no_action && has_signature(e.data, kLocality)) {
                if (e.data.size() < 17) throw FormatError("StartupLocality event without a locality");
                log.startup_locality = e.data[16];
            }
        } catch (const FormatError& ex) {
            throw FormatError(at(e.index, e.offset) + ": " + ex.what());
        }
        first = false;
        log.events.push_back(std::move(e));
    }
    return log;
}

size_t measured_events(const EventLog& log) {
    return static_cast<size_t>(
        std::count_if(log.events.begin(), log.events.end(), [](const TcgEvent& e) { return e.type != ev_no_action; }));
}

std::map<HashAlgo, PcrMap> replay_event_log(const EventLog& log) {
    std::map<HashAlgo, PcrMap> out;
    std::vector<std::pair<uint16_t, HashAlgo>> banks;
    if (log.crypto_agile) {
        for (auto [alg, size] : log.algorithms)
            // A bank OpenSSL cannot hash (SM3 on some builds) is left out, as one
            // the kernel does not know: never a usage error from the log's data.
            if (auto a = hash_algo_from_tpm_alg(alg); a && openssl_has(*a)) banks.emplace_back(alg, *a);
    } else {
        banks.emplace_back(tpm_alg_sha1, HashAlgo::sha1);
    }
    for (auto [alg, algo] : banks) {
        const size_t size = hash_algo_info(algo).digest_size;
        PcrMap& pcrs = out[algo];
        for (unsigned p = 0; p < kPcrCount; ++p) pcrs[p] = Bytes(size, 0);
        pcrs[0][size - 1] = log.startup_locality;
        Hasher h(algo);
        for (const TcgEvent& e : log.events) {
            if (e.type == ev_no_action && !log.extend_no_action) continue;
            for (const TcgDigest& d : e.digests) {
                if (d.alg != alg) continue;
                h.update(pcrs[e.pcr]);
                h.update(d.digest);
                pcrs[e.pcr] = h.finish();
            }
        }
    }
    return out;
}

}  // namespace ima::measurement
