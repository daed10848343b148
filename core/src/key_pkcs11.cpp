// Keys on PKCS#11 tokens. Debian 12 ships no PKCS#11 provider for OpenSSL 3,
// only the pkcs11 engine (libengine-pkcs11-openssl, libp11), so this one file
// uses the ENGINE API that OpenSSL 3 marks deprecated; the rest of the code
// base is built with OPENSSL_NO_DEPRECATED.
#undef OPENSSL_NO_DEPRECATED
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/engine.h>

#include <cstdlib>

#include "ima/error.hpp"
#include "ima/key.hpp"

namespace ima {

namespace {

struct EngineHandle {
    ENGINE* e = nullptr;
    bool initialized = false;
    ~EngineHandle() {
        if (initialized) ENGINE_finish(e);
        if (e) ENGINE_free(e);
    }
};

// The engine is loaded once; every key of the run shares it and its lock.
std::shared_ptr<EngineHandle> pkcs11_engine(const std::string& uri, const SecretString* pin) {
    auto h = std::make_shared<EngineHandle>();
    h->e = ENGINE_by_id("pkcs11");
    if (!h->e)
        throw Error(ErrorKind::env, "key " + uri +
                                        ": the OpenSSL pkcs11 engine is not available (install "
                                        "libengine-pkcs11-openssl): " +
                                        drain_openssl_errors());
    // libp11 prints its own lines on stderr (Login failed...) unless quiet:
    // our one error line says it all.
    ENGINE_ctrl_cmd(h->e, "QUIET", 0, nullptr, nullptr, 1);
    if (const char* module = std::getenv("IMAEVM_PKCS11_MODULE"); module && *module) {
        if (!ENGINE_ctrl_cmd_string(h->e, "MODULE_PATH", module, 0))
            throw Error(ErrorKind::env,
                        "key " + uri + ": cannot use PKCS#11 module " + module + ": " + drain_openssl_errors());
    }
    if (!ENGINE_init(h->e))
        throw Error(ErrorKind::env, "key " + uri + ": cannot start the pkcs11 engine: " + drain_openssl_errors());
    h->initialized = true;
    if (pin && !ENGINE_ctrl_cmd_string(h->e, "PIN", pin->str().c_str(), 0))
        throw Error(ErrorKind::env, "key " + uri + ": the pkcs11 engine refused the PIN: " + drain_openssl_errors());
    return h;
}

}  // namespace

PrivateKey load_pkcs11_key(const std::string& uri, const PassphraseSource& pass) {
    if (uri.find("pin-value=") != std::string::npos)
        throw UsageError("key " + uri.substr(0, uri.find("pin-value=")) +
                         "...: a PIN in the URI would be on the command line; use --pass-file FILE or "
                         "IMAEVM_KEY_PASS instead of pin-value");
    std::optional<SecretString> pin = obtain_passphrase(pass, uri);
    auto engine = pkcs11_engine(uri, pin ? &*pin : nullptr);
    EVP_PKEY* pk = ENGINE_load_private_key(engine->e, uri.c_str(), nullptr, nullptr);
    if (!pk) {
        std::string why = drain_openssl_errors();
        throw Error(ErrorKind::env, "key " + uri + ": cannot load the private key from the token (no such object, " +
                                        (pin ? "wrong PIN" : "no PIN given: use --pass-file or IMAEVM_KEY_PASS") + ")" +
                                        (why.empty() ? "" : ": " + why));
    }
    PrivateKey key;
    key.pkey.reset(pk);
    key.source = uri;
    key.token = engine;
    key.sign_lock = std::make_shared<std::mutex>();
    return key;
}

}  // namespace ima
