#include "ima/evm/describe.hpp"

#include <variant>

#include "ima/error.hpp"

namespace ima::evmtool {

namespace {

// The v1 header (evmctl's signature_hdr, packed): version, timestamp (4),
// pubkey algo, hash (the kernel's numbering), keyid[8], nmpi, then MPIs.
void describe_v1(ByteView raw, ValueFacts& f) {
    Reader r(raw.subspan(1), "signature v1 header");
    f.version = r.u8();
    r.skip(4);  // timestamp
    r.skip(1);  // public key algorithm (RSA)
    auto algo = hash_algo_from_number(r.u8());
    if (algo) f.algo = algo->id;
    f.keyid = to_hex(r.bytes(8));
    r.skip(1);  // nmpi
    f.sig_size = r.remaining();
}

}  // namespace

ValueFacts describe_value(ByteView value, Attr attr) {
    XattrValue v = decode_xattr(value);
    ValueFacts f;
    f.type = value[0];
    f.type_name = xattr_type_name(static_cast<XattrType>(f.type));
    if (attr == Attr::evm && f.type == 0x03) f.type_name = "evm-immutable-signature";
    if (auto* d = std::get_if<DigestValue>(&v)) {
        f.algo = d->algo;
        f.digest = d->digest;
    } else if (auto* h = std::get_if<HmacValue>(&v)) {
        f.algo = HashAlgo::sha1;
        f.digest = h->hmac;
    } else if (auto* s = std::get_if<SignatureValue>(&v)) {
        f.version = s->version;
        f.algo = s->algo;
        f.keyid = keyid_hex(s->keyid);
        f.sig_size = s->sig.size();
    } else {
        describe_v1(value, f);
    }
    return f;
}

std::string facts_text(const ValueFacts& f) {
    std::string out = f.type_name;
    if (f.version) out.append(" v").append(std::to_string(*f.version));
    // Appends, not "literal" + temporaries: GCC 12 misreports those at -O3.
    if (f.type == 0x02) return out.append(", hmac-sha1 ").append(to_hex(f.digest));
    if (f.algo) out.append(", ").append(hash_algo_info(*f.algo).name);
    if (!f.digest.empty()) out.append(" ").append(to_hex(f.digest));
    if (!f.keyid.empty()) out.append(", key ").append(f.keyid);
    if (f.sig_size) out.append(", ").append(std::to_string(*f.sig_size)).append("-byte signature");
    if (f.version == 1u) out += " (obsolete v1 format)";
    return out;
}

nlohmann::json facts_json(const ValueFacts& f, ByteView raw) {
    nlohmann::json j = {{"type", f.type}, {"type_name", f.type_name}};
    if (f.version) j["version"] = *f.version;
    if (f.algo) j["hash_algo"] = hash_algo_info(*f.algo).name;
    if (!f.keyid.empty()) j["keyid"] = f.keyid;
    if (f.sig_size) j["sig_size"] = *f.sig_size;
    if (!f.digest.empty()) j[f.type == 0x02 ? "hmac" : "digest"] = to_hex(f.digest);
    j["value"] = to_hex(raw);
    return j;
}

}  // namespace ima::evmtool
