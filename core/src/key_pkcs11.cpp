// Keys on PKCS#11 tokens. Debian 12 ships no PKCS#11 provider for OpenSSL 3,
// only the pkcs11 engine (libengine-pkcs11-openssl, libp11), so this one file
// uses the ENGINE API that OpenSSL 3 marks deprecated; the rest of the code
// base is built with OPENSSL_NO_DEPRECATED.
#undef OPENSSL_NO_DEPRECATED
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/engine.h>

#include <cstdlib>
#include <mutex>

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

// One engine for the process, shared by every key loaded from it: a second
// key on the same token then takes the same lock (one signing operation at
// a time per session), and the engine outlives each key it backs.
struct Pkcs11Engine {
    std::shared_ptr<EngineHandle> engine;
    std::shared_ptr<std::mutex> lock;
};

Pkcs11Engine shared_engine(const std::string& uri, const SecretString* pin);

std::shared_ptr<EngineHandle> new_engine(const std::string& uri) {
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
    return h;
}

Pkcs11Engine shared_engine(const std::string& uri, const SecretString* pin) {
    static std::mutex m;
    static std::weak_ptr<EngineHandle> engine;
    static std::weak_ptr<std::mutex> lock;
    std::lock_guard g(m);
    Pkcs11Engine out{engine.lock(), lock.lock()};
    if (!out.engine || !out.lock) {
        out.engine = new_engine(uri);
        out.lock = std::make_shared<std::mutex>();
        engine = out.engine;
        lock = out.lock;
    }
    // The PIN applies to the keys loaded next; a token key loads with it.
    if (pin && !ENGINE_ctrl_cmd_string(out.engine->e, "PIN", pin->str().c_str(), 0))
        throw Error(ErrorKind::env, "key " + uri + ": the pkcs11 engine refused the PIN: " + drain_openssl_errors());
    return out;
}

}  // namespace

PrivateKey load_pkcs11_key(const std::string& uri, const PassphraseSource& pass, const KeyRules& rules) {
    if (uri.find("pin-value=") != std::string::npos)
        throw UsageError("key " + uri.substr(0, uri.find("pin-value=")) +
                         "...: a PIN in the URI would be on the command line; use --pass-file FILE or "
                         "IMAEVM_KEY_PASS instead of pin-value");
    std::optional<SecretString> pin = obtain_passphrase(pass, uri);
    Pkcs11Engine shared = shared_engine(uri, pin ? &*pin : nullptr);
    EVP_PKEY* pk = ENGINE_load_private_key(shared.engine->e, uri.c_str(), nullptr, nullptr);
    if (!pk) {
        std::string why = drain_openssl_errors();
        throw Error(ErrorKind::env, "key " + uri + ": cannot load the private key from the token (no such object, " +
                                        (pin ? "wrong PIN" : "no PIN given: use --pass-file or IMAEVM_KEY_PASS") + ")" +
                                        (why.empty() ? "" : ": " + why));
    }
    PrivateKey key;
    key.token = shared.engine;  // before pkey: destroyed after it
    key.sign_lock = shared.lock;
    key.pkey.reset(pk);
    key.source = uri;
    check_key_rules(key.pkey.get(), uri, rules);
    return key;
}

}  // namespace ima
