#include "ima/attest/evidence.hpp"

#include <nlohmann/json.hpp>

#include "ima/error.hpp"
#include "ima/tpm/ak_file.hpp"

namespace ima::attest {

namespace {

using nlohmann::json;

constexpr int kVersion = 1;
constexpr const char* kType = "ima-attest evidence";

const json& member(const json& obj, const char* key, const std::string& where) {
    if (!obj.is_object() || !obj.contains(key)) throw FormatError(where + "no \"" + key + "\"");
    return obj.at(key);
}

std::string text(const json& v, const std::string& what) {
    if (!v.is_string()) throw FormatError(what + " is not a string");
    return v.get<std::string>();
}

Bytes hex(const json& v, const std::string& what) {
    return from_hex(text(v, what), what);
}

Bytes b64(const json& v, const std::string& what) {
    return tpm::from_base64(text(v, what), what);
}

unsigned pcr_number(const std::string& key, const std::string& bank) {
    if (key.empty() || key.size() > 2 || key.find_first_not_of("0123456789") != std::string::npos ||
        (key.size() == 2 && key[0] == '0') || std::stoul(key) > 23)
        throw FormatError("pcrs." + bank + ": \"" + key + "\" is not a PCR number (0-23)");
    return static_cast<unsigned>(std::stoul(key));
}

HashAlgo bank_algo(const std::string& name, const std::string& where) {
    for (HashAlgo h : measurement::replay_banks())
        if (name == hash_algo_info(h).name) return h;
    throw FormatError(where + ": unknown bank \"" + name + "\"");
}

}  // namespace

Evidence parse_evidence(ByteView in) {
    json doc = json::parse(in.begin(), in.end(), nullptr, false);
    if (doc.is_discarded()) throw FormatError("not a JSON document (truncated?)");
    if (!doc.is_object()) throw FormatError("not an evidence document (a JSON object)");
    const json& version = member(doc, "version", "");
    if (!version.is_number_integer() || version.get<long long>() != kVersion)
        throw FormatError("evidence version " + version.dump() + " (this tool reads version 1)");
    if (text(member(doc, "type", ""), "type") != kType)
        throw FormatError("not an ima-attest evidence document (type " + member(doc, "type", "").dump() + ")");
    Evidence ev;
    ev.nonce = hex(member(doc, "nonce", ""), "nonce");
    ev.ak_name = hex(member(doc, "ak_name", ""), "ak_name");
    ev.selection = text(member(doc, "selection", ""), "selection");
    const json& q = member(doc, "quote", "");
    ev.message = b64(member(q, "message", "quote: "), "quote.message");
    ev.signature = b64(member(q, "signature", "quote: "), "quote.signature");
    const json& pcrs = member(doc, "pcrs", "");
    if (!pcrs.is_object()) throw FormatError("pcrs is not an object");
    for (const auto& [bank, values] : pcrs.items()) {
        HashAlgo h = bank_algo(bank, "pcrs");
        if (!values.is_object()) throw FormatError("pcrs." + bank + " is not an object");
        auto& map = ev.pcrs[h];
        for (const auto& [n, v] : values.items()) {
            const std::string what = "pcrs." + bank + "." + n;
            Bytes value = hex(v, what);
            if (value.size() != hash_algo_info(h).digest_size)
                throw FormatError(what + ": " + std::to_string(value.size()) + " bytes, not a " + bank + " digest");
            map[pcr_number(n, bank)] = std::move(value);
        }
    }
    if (doc.contains("ima")) {
        const json& ima = doc.at("ima");
        Bytes live = b64(member(ima, "log", "ima: "), "ima.log");
        ev.ima_log.emplace();
        if (ima.contains("staged")) {
            const json& staged = ima.at("staged");
            if (!staged.is_array()) throw FormatError("ima.staged is not an array");
            for (size_t i = 0; i < staged.size(); ++i) {
                Bytes chunk = b64(staged[i], "ima.staged[" + std::to_string(i) + "]");
                ev.ima_log->insert(ev.ima_log->end(), chunk.begin(), chunk.end());
            }
        }
        ev.ima_log->insert(ev.ima_log->end(), live.begin(), live.end());
        if (ima.contains("banks")) {
            const json& banks = ima.at("banks");
            if (!banks.is_object()) throw FormatError("ima.banks is not an object");
            for (const auto& [bank, list] : banks.items())
                ev.ima_banks[bank_algo(bank, "ima.banks")] = b64(list, "ima.banks." + bank);
        }
    }
    if (doc.contains("eventlog")) ev.eventlog = b64(doc.at("eventlog"), "eventlog");
    return ev;
}

}  // namespace ima::attest
