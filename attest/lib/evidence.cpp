// Read with simdjson: a verifier checks many documents of hundreds of KiB
// (the base64 list is nearly all of one), and simdjson parses them at
// memory speed where a DOM built a character at a time takes milliseconds.
#include "ima/attest/evidence.hpp"

#include <simdjson.h>

#include "ima/error.hpp"
#include "ima/tpm/ak_file.hpp"

namespace ima::attest {

namespace {

using simdjson::dom::element;
using simdjson::dom::object;

constexpr int64_t kVersion = 1;
constexpr std::string_view kType = "ima-attest evidence";

element member(object obj, std::string_view key, const std::string& where) {
    element v;
    if (obj.at_key(key).get(v)) throw FormatError(where + "no \"" + std::string(key) + "\"");
    return v;
}

object as_object(element v, const std::string& what) {
    object o;
    if (v.get(o)) throw FormatError(what + " is not an object");
    return o;
}

// The string in the parser's buffer (valid while the parser is).
std::string_view text(element v, const std::string& what) {
    std::string_view s;
    if (v.get(s)) throw FormatError(what + " is not a string");
    return s;
}

Bytes hex(element v, const std::string& what) {
    return from_hex(text(v, what), what);
}

Bytes b64(element v, const std::string& what) {
    return tpm::from_base64(text(v, what), what);
}

// The keys are written as quote writes them: no leading zero.
unsigned pcr_number(std::string_view key, const std::string& bank) {
    const auto n = measurement::parse_pcr_number(key);
    if (!n || (key.size() == 2 && key[0] == '0'))
        throw FormatError("pcrs." + bank + ": \"" + std::string(key) + "\" is not a PCR number (0-23)");
    return *n;
}

HashAlgo bank_algo(std::string_view name, const std::string& where) {
    for (HashAlgo h : measurement::replay_banks())
        if (name == hash_algo_info(h).name) return h;
    throw FormatError(where + ": unknown bank \"" + std::string(name) + "\"");
}

}  // namespace

Evidence parse_evidence(ByteView in) {
    simdjson::dom::parser parser;
    element root;
    // The input is copied into simdjson's padded buffer (its reads run past the end).
    if (parser.parse(reinterpret_cast<const char*>(in.data()), in.size(), true).get(root))
        throw FormatError("not a JSON document (truncated?)");
    object doc;
    if (root.get(doc)) throw FormatError("not an evidence document (a JSON object)");
    element version = member(doc, "version", "");
    int64_t v = 0;
    if (version.get(v) || v != kVersion)
        throw FormatError("evidence version " + simdjson::minify(version) + " (this tool reads version 1)");
    element type = member(doc, "type", "");
    if (text(type, "type") != kType)
        throw FormatError("not an ima-attest evidence document (type " + simdjson::minify(type) + ")");
    Evidence ev;
    ev.nonce = hex(member(doc, "nonce", ""), "nonce");
    ev.ak_name = hex(member(doc, "ak_name", ""), "ak_name");
    ev.selection = std::string(text(member(doc, "selection", ""), "selection"));
    object q = as_object(member(doc, "quote", ""), "quote");
    ev.message = b64(member(q, "message", "quote: "), "quote.message");
    ev.signature = b64(member(q, "signature", "quote: "), "quote.signature");
    for (auto [bank_key, values] : as_object(member(doc, "pcrs", ""), "pcrs")) {
        const std::string bank(bank_key);
        HashAlgo h = bank_algo(bank, "pcrs");
        auto& map = ev.pcrs[h];
        for (auto [n, value] : as_object(values, "pcrs." + bank)) {
            const std::string what = "pcrs." + bank + "." + std::string(n);
            Bytes digest = hex(value, what);
            if (digest.size() != hash_algo_info(h).digest_size)
                throw FormatError(what + ": " + std::to_string(digest.size()) + " bytes, not a " + bank + " digest");
            map[pcr_number(n, bank)] = std::move(digest);
        }
    }
    element ima_v;
    if (!doc.at_key("ima").get(ima_v)) {
        object ima = as_object(ima_v, "ima");
        Bytes live = b64(member(ima, "log", "ima: "), "ima.log");
        ev.ima_log.emplace();
        element staged_v;
        if (!ima.at_key("staged").get(staged_v)) {
            simdjson::dom::array staged;
            if (staged_v.get(staged)) throw FormatError("ima.staged is not an array");
            size_t i = 0;
            for (element chunk_v : staged) {
                Bytes chunk = b64(chunk_v, "ima.staged[" + std::to_string(i++) + "]");
                ev.ima_log->insert(ev.ima_log->end(), chunk.begin(), chunk.end());
            }
        }
        ev.ima_log->insert(ev.ima_log->end(), live.begin(), live.end());
        element banks_v;
        if (!ima.at_key("banks").get(banks_v))
            for (auto [bank, list] : as_object(banks_v, "ima.banks"))
                ev.ima_banks[bank_algo(bank, "ima.banks")] = b64(list, "ima.banks." + std::string(bank));
    }
    element eventlog;
    if (!doc.at_key("eventlog").get(eventlog)) ev.eventlog = b64(eventlog, "eventlog");
    return ev;
}

}  // namespace ima::attest
