#include "ima/tpm/ak_file.hpp"

#include <openssl/evp.h>
#include <tss2/tss2_mu.h>

#include <array>
#include <nlohmann/json.hpp>
#include <string_view>

#include "ima/error.hpp"

namespace ima::tpm {

namespace {

using nlohmann::json;

constexpr int kVersion = 1;
constexpr const char* kType = "ima-attest ak";

const json& member(const json& obj, const char* key, const std::string& where) {
    if (!obj.is_object() || !obj.contains(key)) throw FormatError(where + ": no \"" + key + "\"");
    return obj.at(key);
}

std::string text_member(const json& obj, const char* key, const std::string& where) {
    const json& v = member(obj, key, where);
    if (!v.is_string()) throw FormatError(where + ": \"" + key + "\" is not a string");
    return v.get<std::string>();
}

}  // namespace

std::string to_base64(ByteView in) {
    std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), in.data(), static_cast<int>(in.size()));
    out.resize(static_cast<size_t>(n));
    return out;
}

Bytes from_base64(std::string_view text, const std::string& what) {
    if (text.size() % 4 != 0) throw FormatError(what + ": not base64 (length " + std::to_string(text.size()) + ")");
    // A table, not isalnum: lists of hundreds of KiB come through here.
    static const auto alphabet = [] {
        std::array<bool, 256> t{};
        for (unsigned char c : std::string_view("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="))
            t[c] = true;
        return t;
    }();
    for (char c : text)
        if (!alphabet[static_cast<unsigned char>(c)]) throw FormatError(what + ": not base64");
    Bytes out(text.size() / 4 * 3 + 1);
    int n =
        EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (n < 0) throw FormatError(what + ": not base64");
    size_t pad = 0;
    if (!text.empty() && text.back() == '=') pad = text[text.size() - 2] == '=' ? 2 : 1;
    // '=' only at the end.
    if (text.find('=') != std::string_view::npos && text.find('=') < text.size() - pad)
        throw FormatError(what + ": not base64");
    out.resize(static_cast<size_t>(n) - pad);
    return out;
}

std::string ak_json(const AkFile& ak) {
    json doc = {{"version", kVersion},
                {"type", kType},
                {"alg", key_alg_name(ak.alg)},
                {"ak",
                 {{"public", to_base64(ak.ak_public)},
                  {"private", to_base64(ak.ak_private)},
                  {"name", to_hex(name_of(parse_public(ak.ak_public)))}}},
                {"ek", {{"public", to_base64(ak.ek_public)}}}};
    if (ak.ek_certificate) doc["ek"]["certificate"] = to_base64(*ak.ek_certificate);
    return doc.dump(2) + "\n";
}

AkFile parse_ak_json(ByteView text) {
    json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) throw FormatError("not a JSON object");
    const json& version = member(doc, "version", "AK file");
    if (!version.is_number_integer() || version.get<int64_t>() != kVersion)
        throw FormatError("AK file: version " + version.dump() + ", this tool reads version 1");
    if (text_member(doc, "type", "AK file") != kType) throw FormatError("AK file: \"type\" is not \"ima-attest ak\"");
    AkFile out;
    const std::string alg = text_member(doc, "alg", "AK file");
    if (alg == "rsa")
        out.alg = KeyAlg::rsa;
    else if (alg == "ecc")
        out.alg = KeyAlg::ecc;
    else
        throw FormatError("AK file: \"alg\" is \"" + alg + "\", not rsa or ecc");
    const json& ak = member(doc, "ak", "AK file");
    const json& ek = member(doc, "ek", "AK file");
    out.ak_public = from_base64(text_member(ak, "public", "ak"), "ak.public");
    out.ak_private = from_base64(text_member(ak, "private", "ak"), "ak.private");
    out.ek_public = from_base64(text_member(ek, "public", "ek"), "ek.public");
    if (ek.contains("certificate"))
        out.ek_certificate = from_base64(text_member(ek, "certificate", "ek"), "ek.certificate");

    PublicArea akp, ekp;
    try {
        akp = parse_public(out.ak_public);
    } catch (const FormatError& e) {
        throw FormatError(std::string("ak.public: ") + e.what());
    }
    try {
        ekp = parse_public(out.ek_public);
    } catch (const FormatError& e) {
        throw FormatError(std::string("ek.public: ") + e.what());
    }
    Bytes name = from_hex(text_member(ak, "name", "ak"), "ak.name");
    if (name != name_of(akp)) throw FormatError("ak.name is not the name of ak.public");
    if (auto p = ak_problems(akp); !p.empty()) throw FormatError("ak.public is not an attestation key: " + p.front());
    if (auto p = ek_problems(ekp); !p.empty()) throw FormatError("ek.public is not an endorsement key: " + p.front());
    const uint16_t want = out.alg == KeyAlg::rsa ? TPM2_ALG_RSA : TPM2_ALG_ECC;
    if (akp.type != want || ekp.type != want) throw FormatError("AK file: a key that is not \"alg\"'s type");
    TPM2B_PRIVATE priv{};
    size_t off = 0;
    if (Tss2_MU_TPM2B_PRIVATE_Unmarshal(out.ak_private.data(), out.ak_private.size(), &off, &priv) != TSS2_RC_SUCCESS ||
        off != out.ak_private.size() || priv.size == 0)
        throw FormatError("ak.private is not a TPM2B_PRIVATE");
    return out;
}

}  // namespace ima::tpm
