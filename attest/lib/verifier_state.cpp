#include "ima/attest/verifier_state.hpp"

#include <limits>
#include <nlohmann/json.hpp>

#include "ima/error.hpp"
#include "ima/hash_algo.hpp"

namespace ima::attest {

namespace {

using nlohmann::json;

constexpr int kVersion = 1;
constexpr const char* kType = "ima-attest state";

const json& member(const json& obj, const char* key) {
    if (!obj.is_object() || !obj.contains(key)) throw FormatError(std::string("no \"") + key + "\"");
    return obj.at(key);
}

uint64_t number(const json& obj, const char* key, uint64_t max) {
    const json& v = member(obj, key);
    if (!v.is_number_unsigned() || v.get<uint64_t>() > max)
        throw FormatError(std::string("\"") + key + "\" is not a count (0-" + std::to_string(max) + ")");
    return v.get<uint64_t>();
}

}  // namespace

VerifierState parse_verifier_state(ByteView in) {
    json doc = json::parse(in.begin(), in.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) throw FormatError("not a JSON object (truncated?)");
    if (member(doc, "version") != kVersion)
        throw FormatError("state version " + doc["version"].dump() + " (this tool reads 1)");
    if (member(doc, "type") != kType) throw FormatError("not an ima-attest state file");
    VerifierState s;
    const json& name = member(doc, "ak_name");
    if (!name.is_string()) throw FormatError("\"ak_name\" is not a string");
    s.ak_name = from_hex(name.get<std::string>(), "ak_name");
    s.clock = number(doc, "clock", std::numeric_limits<uint64_t>::max());
    s.reset_count = static_cast<uint32_t>(number(doc, "reset_count", std::numeric_limits<uint32_t>::max()));
    s.restart_count = static_cast<uint32_t>(number(doc, "restart_count", std::numeric_limits<uint32_t>::max()));
    const json& ima = member(doc, "ima");
    s.ima_entries = number(ima, "entries", std::numeric_limits<uint32_t>::max());
    const json& pcrs = member(ima, "pcrs");
    if (!pcrs.is_object()) throw FormatError("ima.pcrs is not an object");
    s.ima_pcrs.source = "the state file";
    for (const auto& [bank, values] : pcrs.items()) {
        HashAlgo h;
        try {
            h = parse_hash_algo(bank);
        } catch (const UsageError&) {
            throw FormatError("ima.pcrs: unknown bank \"" + bank + "\"");
        }
        if (!values.is_object()) throw FormatError("ima.pcrs." + bank + " is not an object");
        for (const auto& [n, v] : values.items()) {
            const auto pcr = measurement::parse_pcr_number(n);
            if (!pcr || !v.is_string()) throw FormatError("ima.pcrs." + bank + "." + n + " is not a PCR value");
            Bytes value = from_hex(v.get<std::string>(), "ima.pcrs." + bank + "." + n);
            if (value.size() != hash_algo_info(h).digest_size)
                throw FormatError("ima.pcrs." + bank + "." + n + " is not a " + bank + " digest");
            s.ima_pcrs.banks[h][*pcr] = std::move(value);
        }
    }
    return s;
}

std::string verifier_state_json(const VerifierState& s) {
    json pcrs = json::object();
    for (const auto& [h, map] : s.ima_pcrs.banks)
        for (const auto& [n, v] : map) pcrs[hash_algo_info(h).name][std::to_string(n)] = to_hex(v);
    json doc = {{"version", kVersion},
                {"type", kType},
                {"ak_name", to_hex(s.ak_name)},
                {"clock", s.clock},
                {"reset_count", s.reset_count},
                {"restart_count", s.restart_count},
                {"ima", {{"entries", s.ima_entries}, {"pcrs", pcrs}}}};
    return doc.dump(2) + "\n";
}

}  // namespace ima::attest
