#include "ima/evm/inputs.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/ossl.hpp"

namespace ima::evm {

namespace {

void put_le(Bytes& out, uint64_t v, unsigned bytes) {
    for (unsigned i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// Wipes the padded key on every path.
struct PaddedKey {
    std::array<uint8_t, max_hmac_key_size> b{};
    ~PaddedKey() { OPENSSL_cleanse(b.data(), b.size()); }
};

}  // namespace

const char* evm_kind_name(EvmKind k) {
    switch (k) {
        case EvmKind::hmac: return "hmac";
        case EvmKind::immutable: return "immutable";
        case EvmKind::portable: return "portable";
    }
    return "unknown";
}

const std::vector<std::string>& protected_xattrs() {
    static const std::vector<std::string> names = {
        "security.selinux",     "security.SMACK64",  "security.SMACK64EXEC", "security.SMACK64TRANSMUTE",
        "security.SMACK64MMAP", "security.apparmor", "security.ima",         "security.capability",
    };
    return names;
}

bool is_protected_xattr(const std::string& name) {
    const auto& p = protected_xattrs();
    return std::find(p.begin(), p.end(), name) != p.end();
}

const Bytes* EvmInputs::xattr(const std::string& name) const {
    for (const auto& [n, v] : xattrs)
        if (n == name) return &v;
    return nullptr;
}

Bytes evm_misc(const EvmInputs& in, EvmKind kind, MiscLayout layout) {
    const bool portable = kind == EvmKind::portable;
    Bytes out;
    out.reserve(24);
    if (layout == MiscLayout::lp64) put_le(out, portable ? 0 : in.ino, 8);
    if (layout == MiscLayout::ilp32) put_le(out, portable ? 0 : static_cast<uint32_t>(in.ino), 4);
    if (layout != MiscLayout::no_inode) put_le(out, portable ? 0 : in.generation, 4);
    put_le(out, in.uid, 4);
    put_le(out, in.gid, 4);
    put_le(out, in.mode, 2);
    put_le(out, 0, 2);  // the padding sizeof(struct h_misc) includes; memset to 0 by the kernel
    return out;
}

Bytes evm_message(const EvmInputs& in, EvmKind kind) {
    Bytes out;
    bool any = false;
    for (const auto& name : protected_xattrs()) {
        if (const Bytes* v = in.xattr(name)) {
            append(out, *v);
            any = true;
        }
    }
    if (!any)
        throw FormatError("no protected xattr to cover (security.ima, security.selinux, security.capability, ...)");
    if (kind == EvmKind::portable && !in.xattr("security.ima"))
        throw FormatError("a portable EVM signature needs security.ima (the kernel refuses one without it)");
    append(out, evm_misc(in, kind));
    if (in.uuid && kind != EvmKind::portable) append(out, *in.uuid);
    return out;
}

Bytes evm_digest(HashAlgo algo, const EvmInputs& in, EvmKind kind) {
    return digest_bytes(algo, evm_message(in, kind));
}

Bytes evm_hmac(ByteView key, const EvmInputs& in) {
    if (key.empty()) throw UsageError("the EVM HMAC key is empty");
    if (key.size() > max_hmac_key_size)
        throw UsageError("the EVM HMAC key has " + std::to_string(key.size()) + " bytes; the kernel takes at most " +
                         std::to_string(max_hmac_key_size));
    return padded_key_hmac(key, evm_message(in, EvmKind::hmac), "SHA1");
}

Bytes padded_key_hmac(ByteView key, ByteView message, const std::string& digest) {
    if (key.size() > max_hmac_key_size)
        throw UsageError("the EVM HMAC key has " + std::to_string(key.size()) + " bytes; the kernel takes at most " +
                         std::to_string(max_hmac_key_size));
    PaddedKey padded;
    std::copy(key.begin(), key.end(), padded.b.begin());
    MacPtr mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    if (!mac) throw CryptoError("EVM HMAC", "EVP_MAC_fetch");
    MacCtxPtr ctx(EVP_MAC_CTX_new(mac.get()));
    if (!ctx) throw CryptoError("EVM HMAC", "EVP_MAC_CTX_new");
    std::string name = digest;
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, name.data(), 0),
                           OSSL_PARAM_construct_end()};
    if (EVP_MAC_init(ctx.get(), padded.b.data(), padded.b.size(), params) != 1)
        throw CryptoError("EVM HMAC with " + digest, "EVP_MAC_init");
    if (EVP_MAC_update(ctx.get(), message.data(), message.size()) != 1)
        throw CryptoError("EVM HMAC with " + digest, "EVP_MAC_update");
    Bytes out(EVP_MAX_MD_SIZE);
    size_t len = 0;
    if (EVP_MAC_final(ctx.get(), out.data(), &len, out.size()) != 1)
        throw CryptoError("EVM HMAC with " + digest, "EVP_MAC_final");
    out.resize(len);
    return out;
}

}  // namespace ima::evm
