#include "ima/evm/verify.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "ima/error.hpp"
#include "ima/fd.hpp"

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
    Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd) throw IoError("HMAC key " + path, errno);
    struct stat st {};
    if (fstat(fd.get(), &st) != 0) throw IoError("HMAC key " + path, errno);
    if (!S_ISREG(st.st_mode)) throw Error(ErrorKind::env, "HMAC key " + path + ": not a regular file");
    std::string b(max_hmac_key_size + 1, '\0');  // one more byte tells "too long"
    struct Wipe {
        std::string& s;
        ~Wipe() { OPENSSL_cleanse(s.data(), s.size()); }
    } wipe{b};
    size_t got = 0;
    while (got < b.size()) {
        ssize_t n = read(fd.get(), b.data() + got, b.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw IoError("HMAC key " + path, errno);
        if (n == 0) break;
        got += static_cast<size_t>(n);
    }
    // A key file the tool cannot use is the environment's fault, as for
    // signing keys (exit 3), not a usage error.
    if (got == 0) throw Error(ErrorKind::env, "HMAC key " + path + ": empty file");
    if (got > max_hmac_key_size)
        throw Error(ErrorKind::env,
                    "HMAC key " + path + ": longer than the kernel's " + std::to_string(max_hmac_key_size) + " bytes");
    b.resize(got);  // shrinks in place: no copy of the key is left behind
    return SecretString(std::move(b));
}

}  // namespace ima::evm
