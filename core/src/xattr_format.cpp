#include "ima/xattr_format.hpp"

#include "ima/error.hpp"

namespace ima {

const char* xattr_type_name(XattrType t) {
    switch (t) {
        case XattrType::digest: return "digest";
        case XattrType::evm_hmac: return "evm-hmac";
        case XattrType::digsig: return "signature";
        case XattrType::digest_ng: return "digest-ng";
        case XattrType::evm_portable: return "evm-portable-signature";
        case XattrType::verity_digsig: return "verity-signature";
    }
    return "unknown";
}

std::string keyid_hex(const KeyId& id) {
    return to_hex(id);
}

Bytes encode_digest(const DigestValue& d) {
    Bytes out;
    if (d.algo == HashAlgo::sha1) {
        out.push_back(static_cast<uint8_t>(XattrType::digest));
    } else {
        out.push_back(static_cast<uint8_t>(XattrType::digest_ng));
        out.push_back(static_cast<uint8_t>(d.algo));
    }
    append(out, d.digest);
    return out;
}

Bytes encode_hmac(const HmacValue& h) {
    Bytes out{static_cast<uint8_t>(XattrType::evm_hmac)};
    append(out, h.hmac);
    return out;
}

Bytes encode_signature(const SignatureValue& s) {
    if (s.sig.size() > 0xffff)
        throw FormatError("sig_size: signature of " + std::to_string(s.sig.size()) + " bytes does not fit");
    Bytes out{static_cast<uint8_t>(s.type), s.version, static_cast<uint8_t>(s.algo)};
    append(out, s.keyid);
    put_u16_be(out, static_cast<uint16_t>(s.sig.size()));
    append(out, s.sig);
    return out;
}

static HashAlgo checked_algo(uint8_t n, const char* field) {
    auto info = hash_algo_from_number(n);
    if (!info) throw FormatError(std::string(field) + ": unknown hash algorithm number " + std::to_string(n));
    return info->id;
}

static void expect_size(size_t have, size_t want, const char* field) {
    if (have != want)
        throw FormatError(std::string(field) + ": " + std::to_string(have) + " bytes, expected " +
                          std::to_string(want));
}

SignatureValue decode_signature(ByteView in, SigSize sig_size) {
    Reader r(in, "signature header");
    SignatureValue s;
    uint8_t type = r.u8();
    if (type != 0x03 && type != 0x05 && type != 0x06)
        throw FormatError("type: 0x" + to_hex(ByteView(&type, 1)) + " is not a signature type");
    s.type = static_cast<XattrType>(type);
    s.version = r.u8();
    if (s.version != 2 && s.version != 3)
        throw FormatError("version: signature version " + std::to_string(s.version) + " is not 2 or 3");
    s.algo = checked_algo(r.u8(), "hash_algo");
    auto id = r.bytes(4);
    std::copy(id.begin(), id.end(), s.keyid.begin());
    uint16_t size = r.u16_be();
    if (sig_size == SigSize::ignored) {
        auto rest = r.rest();
        s.sig.assign(rest.begin(), rest.end());
        return s;
    }
    // The kernel (asymmetric_verify) requires sig_size to cover exactly the rest.
    if (size != r.remaining())
        throw FormatError("sig_size: " + std::to_string(size) + " but " + std::to_string(r.remaining()) +
                          " bytes follow");
    if (size == 0) throw FormatError("sig_size: empty signature");
    auto sig = r.bytes(size);
    s.sig.assign(sig.begin(), sig.end());
    return s;
}

XattrValue decode_xattr(ByteView in) {
    if (in.empty()) throw FormatError("type: empty value");
    Reader r(in, "xattr value");
    uint8_t type = r.u8();
    switch (type) {
        case 0x01: {
            expect_size(r.remaining(), 20, "digest");
            auto d = r.rest();
            return DigestValue{HashAlgo::sha1, Bytes(d.begin(), d.end())};
        }
        case 0x02: {
            expect_size(r.remaining(), 20, "hmac");
            auto d = r.rest();
            return HmacValue{Bytes(d.begin(), d.end())};
        }
        case 0x04: {
            HashAlgo algo = checked_algo(r.u8(), "hash_algo");
            expect_size(r.remaining(), hash_algo_info(algo).digest_size, "digest");
            auto d = r.rest();
            return DigestValue{algo, Bytes(d.begin(), d.end())};
        }
        case 0x03:
            if (in.size() >= 2 && in[1] == 1) {
                // signature_hdr v1: version, timestamp, algo, hash, keyid[8], nmpi, MPI.
                if (in.size() < 2 + 4 + 1 + 1 + 8 + 1) throw FormatError("signature v1 header: truncated");
                return SignatureV1Value{Bytes(in.begin(), in.end())};
            }
            return decode_signature(in);
        case 0x05:
        case 0x06: return decode_signature(in);
        default: throw FormatError("type: unknown xattr type 0x" + to_hex(ByteView(&type, 1)));
    }
}

}  // namespace ima
