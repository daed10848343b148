#include "ima/keyring/keyring.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include "ima/error.hpp"

namespace ima::keyring {

namespace {

std::string errno_text(int e) {
    return std::strerror(e);
}

struct Special {
    const char* name;
    key_serial_t id;
};
constexpr Special specials[] = {
    {"@t", KEY_SPEC_THREAD_KEYRING}, {"@p", KEY_SPEC_PROCESS_KEYRING},       {"@s", KEY_SPEC_SESSION_KEYRING},
    {"@u", KEY_SPEC_USER_KEYRING},   {"@us", KEY_SPEC_USER_SESSION_KEYRING},
};

// A keyring whose description is `name`, from /proc/keys (the kernel's
// system rings such as .ima are not reachable by search from a session).
std::optional<key_serial_t> find_in_proc_keys(const std::string& name) {
    std::ifstream in("/proc/keys");
    std::string line;
    while (std::getline(in, line)) {
        // serial flags usage timeout perm uid gid type description: summary
        std::istringstream ss(line);
        std::string serial, flags, usage, timeout, perm, uid, gid, type;
        if (!(ss >> serial >> flags >> usage >> timeout >> perm >> uid >> gid >> type)) continue;
        if (type != "keyring") continue;
        std::string rest;
        std::getline(ss, rest);
        size_t start = rest.find_first_not_of(' ');
        if (start == std::string::npos) continue;
        std::string desc = rest.substr(start);
        if (auto colon = desc.find(':'); colon != std::string::npos) desc = desc.substr(0, colon);
        if (desc == name) return static_cast<key_serial_t>(std::stoul(serial, nullptr, 16));
    }
    return std::nullopt;
}

}  // namespace

key_serial_t resolve_keyring(const std::string& spec, Create create) {
    for (const auto& s : specials)
        if (spec == s.name) {
            key_serial_t id = keyctl_get_keyring_ID(s.id, create == Create::yes);
            if (id < 0) throw Error(ErrorKind::env, "keyring " + spec + ": " + errno_text(errno));
            return id;
        }
    if (!spec.empty() && spec.find_first_not_of("0123456789") == std::string::npos) {
        unsigned long v = std::stoul(spec);
        key_serial_t id = static_cast<key_serial_t>(v);
        if (keyctl_get_keyring_ID(id, 0) < 0) throw Error(ErrorKind::env, "keyring " + spec + ": " + errno_text(errno));
        return id;
    }
    if (spec.empty()) throw UsageError("empty keyring name");
    for (key_serial_t from : {KEY_SPEC_SESSION_KEYRING, KEY_SPEC_USER_KEYRING}) {
        long id = keyctl_search(from, "keyring", spec.c_str(), 0);
        if (id > 0) return static_cast<key_serial_t>(id);
    }
    // The kernel's own rings (.ima, .evm, .platform, .builtin_trusted_keys)
    // hang off no session: find them by name in /proc/keys.
    if (spec.front() == '.')
        if (auto id = find_in_proc_keys(spec)) return *id;
    if (create == Create::no)
        throw Error(ErrorKind::env, "keyring " + spec +
                                        " does not exist (use --create to make it under the user keyring, or "
                                        "check that the kernel has IMA/EVM keyring support)");
    if (spec.front() == '.')
        throw Error(ErrorKind::env,
                    "keyring " + spec + " is a kernel keyring (made at boot by the kernel); it cannot be created");
    key_serial_t id = add_key("keyring", spec.c_str(), nullptr, 0, KEY_SPEC_USER_KEYRING);
    if (id < 0) throw Error(ErrorKind::env, "keyring " + spec + ": cannot create it: " + errno_text(errno));
    return id;
}

key_serial_t import_certificate(key_serial_t keyring, ByteView der, const std::string& source) {
    key_serial_t id = add_key("asymmetric", nullptr, der.data(), der.size(), keyring);
    if (id >= 0) return id;
    int e = errno;
    std::string what = "certificate " + source + ": ";
    switch (e) {
        case ENODEV:
            throw Error(ErrorKind::env,
                        what + "the kernel has no \"asymmetric\" key type (CONFIG_ASYMMETRIC_KEY_TYPE)");
        case ENOPKG:
        case ENOENT:  // no akcipher for the key's algorithm in this kernel
            throw Error(ErrorKind::env, what +
                                            "the kernel lacks the certificate's algorithm (for example ECDSA without "
                                            "CONFIG_CRYPTO_ECDSA): use an RSA key, or a kernel with it");
        case EKEYREJECTED:
        case ENOKEY:
            throw Error(ErrorKind::env, what +
                                            "the keyring refused it: a trusted keyring (.ima, .evm) takes only "
                                            "certificates signed by a built-in or secondary trusted key (" +
                                            errno_text(e) + ")");
        case EBADMSG:
        case EINVAL:
            throw Error(ErrorKind::bad,
                        what + "the kernel cannot parse it as an X.509 certificate (" + errno_text(e) + ")");
        case EACCES:
        case EPERM:
            throw Error(ErrorKind::env, what +
                                            "no permission to add keys to this keyring (run as root, or in a session "
                                            "keyring you possess)");
        default: throw Error(ErrorKind::env, what + errno_text(e));
    }
}

std::optional<KeyId> keyid_from_description(const std::string& description) {
    // Asymmetric keys are described "<subject CN>: <key identifier hex>".
    auto sp = description.find_last_of(" :");
    std::string hex = sp == std::string::npos ? description : description.substr(sp + 1);
    if (hex.size() < 8 || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) return std::nullopt;
    Bytes b = from_hex(hex.substr(hex.size() - 8));
    KeyId id{};
    std::copy(b.begin(), b.end(), id.begin());
    return id;
}

std::vector<KeyInfo> list_keys(key_serial_t keyring) {
    void* raw = nullptr;
    long n = keyctl_read_alloc(keyring, &raw);
    if (n < 0)
        throw Error(ErrorKind::env, "keyring " + std::to_string(keyring) + ": cannot read it: " + errno_text(errno));
    std::unique_ptr<void, decltype(&free)> buf(raw, &free);
    std::vector<KeyInfo> out;
    auto* serials = static_cast<key_serial_t*>(raw);
    for (long i = 0; i < n / static_cast<long>(sizeof(key_serial_t)); ++i) {
        KeyInfo k;
        k.serial = serials[i];
        char* d = nullptr;
        if (keyctl_describe_alloc(k.serial, &d) >= 0) {
            std::unique_ptr<char, decltype(&free)> desc(d, &free);
            // type;uid;gid;perm;description
            std::string s(d);
            size_t pos = 0;
            for (int field = 0; field < 4 && pos != std::string::npos; ++field) {
                size_t semi = s.find(';', pos);
                if (field == 0) k.type = s.substr(pos, semi - pos);
                pos = semi == std::string::npos ? semi : semi + 1;
            }
            if (pos != std::string::npos) k.description = s.substr(pos);
        }
        if (k.type == "asymmetric") k.ima_keyid = keyid_from_description(k.description);
        out.push_back(std::move(k));
    }
    return out;
}

key_serial_t remove_key(key_serial_t keyring, const std::string& which) {
    std::optional<KeyId> want_id;
    std::optional<key_serial_t> want_serial;
    if (which.size() == 8 && which.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos)
        want_id = keyid_from_description(which);
    if (!which.empty() && which.find_first_not_of("0123456789") == std::string::npos)
        want_serial = static_cast<key_serial_t>(std::stoul(which));
    if (!want_id && !want_serial)
        throw UsageError("'" + which + "' is neither a key id (8 hex digits) nor a serial number");
    for (const auto& k : list_keys(keyring)) {
        if ((want_serial && k.serial == *want_serial) || (want_id && k.ima_keyid && *k.ima_keyid == *want_id)) {
            if (keyctl_unlink(k.serial, keyring) < 0)
                throw Error(ErrorKind::env, "key " + which + ": cannot remove it: " + errno_text(errno));
            return k.serial;
        }
    }
    throw Error(ErrorKind::bad, "no key " + which + " in keyring " + std::to_string(keyring));
}

}  // namespace ima::keyring
