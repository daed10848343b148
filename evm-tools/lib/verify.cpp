#include "ima/evm/verify.hpp"

#include <openssl/crypto.h>

#include "ima/error.hpp"
#include "ima/key.hpp"

namespace ima::evm {

EvmCheck verify_evm_value(ByteView value, const EvmInputs& in, const std::vector<VerifyKey>& keys,
                          std::optional<ByteView> hmac_key) {
    EvmValue v = decode_evm_value(value);
    EvmCheck c;
    c.kind = v.kind;
    if (v.kind == EvmKind::hmac) {
        if (!hmac_key) throw VerifyError("an HMAC value (type 2) needs --hmac-key to be checked");
        Bytes want = evm_hmac(*hmac_key, in);
        if (want.size() != v.hmac.size() || CRYPTO_memcmp(want.data(), v.hmac.data(), want.size()) != 0)
            throw VerifyError("HMAC mismatch (metadata, protected xattrs or key differ)");
        return c;
    }
    c.algo = v.signature.algo;
    c.keyid = v.signature.keyid;
    const VerifyKey* key = find_verify_key(keys, v.signature.keyid);
    if (!key) throw VerifyError("no certificate for key id " + keyid_hex(v.signature.keyid));
    c.key_source = key->source;
    if (!hash_algo_info(v.signature.algo).openssl_name)
        throw VerifyError(std::string("hash algorithm ") + hash_algo_info(v.signature.algo).name +
                          " is not supported here");
    Bytes digest = evm_digest(v.signature.algo, in, v.kind);
    if (!verify_digest(key->pkey.get(), v.signature.algo, digest, v.signature.sig))
        throw VerifyError(std::string("bad ") + evm_kind_name(v.kind) + " EVM signature (key " +
                          keyid_hex(v.signature.keyid) + ")");
    return c;
}

SecretString load_hmac_key(const std::string& path) {
    // core's reader for secrets: a regular file, bounded, wiped on every path.
    SecretBytes b = read_key_file(path, "HMAC key");
    // A key file the tool cannot use is the environment's fault, as for
    // signing keys (exit 3), not a usage error.
    if (b.bytes().empty()) throw Error(ErrorKind::env, "HMAC key " + path + ": empty file");
    if (b.bytes().size() > max_hmac_key_size)
        throw Error(ErrorKind::env,
                    "HMAC key " + path + ": longer than the kernel's " + std::to_string(max_hmac_key_size) + " bytes");
    // Reserved beyond the short-string buffer, so the move into SecretString
    // hands over the heap buffer and leaves no copy behind.
    std::string key;
    key.reserve(max_hmac_key_size + 1);
    key.assign(reinterpret_cast<const char*>(b.bytes().data()), b.bytes().size());
    return SecretString(std::move(key));
}

}  // namespace ima::evm
