#include "ima/keyring/keyring.hpp"

#include <unistd.h>

#include <cerrno>
#include <charconv>
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
        key_serial_t id = 0;
        auto [end, ec] = std::from_chars(spec.data(), spec.data() + spec.size(), id);
        if (ec != std::errc() || end != spec.data() + spec.size() || id <= 0)
            throw UsageError("keyring " + spec + ": not a key serial (1 to 2147483647)");
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
    // Made in the session keyring, which this process possesses, then given
    // to the owner (not only to its possessors) and linked into the user
    // keyring, where the kernel's request_key and later sessions find it. A
    // keyring made straight under the user keyring from a session that does
    // not link it (keyctl session -) would be possessed by nobody: not even
    // its maker could add keys to it.
    key_serial_t id = add_key("keyring", spec.c_str(), nullptr, 0, KEY_SPEC_SESSION_KEYRING);
    if (id < 0) throw Error(ErrorKind::env, "keyring " + spec + ": cannot create it: " + errno_text(errno));
    if (keyctl_setperm(id, KEY_POS_ALL | KEY_USR_ALL) < 0 || keyctl_link(id, KEY_SPEC_USER_KEYRING) < 0) {
        int e = errno;
        keyctl_unlink(id, KEY_SPEC_SESSION_KEYRING);
        throw Error(ErrorKind::env, "keyring " + spec + ": cannot link it into the user keyring: " + errno_text(e));
    }
    return id;
}

namespace {

// "keyring _ima (serial 123, in the user keyring, owner uid 0, permissions
// 3f010000)": what a refusal needs to say about the keyring.
std::string keyring_facts(key_serial_t keyring, std::string& holder) {
    std::string out = "keyring";
    char* d = nullptr;
    std::string desc, uid, perm;
    if (keyctl_describe_alloc(keyring, &d) >= 0) {
        std::unique_ptr<char, decltype(&free)> own(d, &free);
        std::string s(d);  // type;uid;gid;perm;description
        std::vector<std::string> f;
        size_t start = 0;
        for (int i = 0; i < 4; ++i) {
            size_t semi = s.find(';', start);
            if (semi == std::string::npos) break;
            f.push_back(s.substr(start, semi - start));
            start = semi + 1;
        }
        if (f.size() == 4) uid = f[1], perm = f[3], desc = s.substr(start);
    }
    if (!desc.empty()) out += " " + desc;
    out += " (serial " + std::to_string(keyring);
    if (!desc.empty()) {
        if (keyctl_search(KEY_SPEC_SESSION_KEYRING, "keyring", desc.c_str(), 0) == keyring)
            out += ", in this session's keyring", holder = "@s";
        else if (keyctl_search(KEY_SPEC_USER_KEYRING, "keyring", desc.c_str(), 0) == keyring)
            out += ", in the user keyring", holder = "@u";
    }
    if (!uid.empty()) out += ", owner uid " + uid;
    if (!perm.empty()) out += ", permissions " + perm;
    return out + ")";
}

}  // namespace

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
            // Often a keyring an earlier session made (keyctl session -, a
            // login): its possessor rights belong to that session, and being
            // root does not give them back.
            {
                std::string holder;
                std::string facts = keyring_facts(keyring, holder);
                throw Error(ErrorKind::env,
                            what + facts +
                                " does not let this process add keys: it was made by another session, which alone "
                                "possesses it; unlink it (keyctl unlink " +
                                std::to_string(keyring) + " " + (holder.empty() ? "<the keyring holding it>" : holder) +
                                ") and import again with --create to make a fresh one" +
                                (geteuid() != 0 ? ", or run as root" : ""));
            }
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

RemovedKey choose_key_to_remove(const std::vector<KeyInfo>& keys, const std::string& which, key_serial_t keyring) {
    // "keyid:HEX" and "serial:N" say which is meant; a bare word may be either.
    std::string word = which;
    bool only_id = false, only_serial = false;
    if (word.rfind("keyid:", 0) == 0) word = word.substr(6), only_id = true;
    if (word.rfind("serial:", 0) == 0) word = word.substr(7), only_serial = true;
    std::optional<KeyId> want_id;
    std::optional<key_serial_t> want_serial;
    if (!only_serial && word.size() == 8 && word.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos)
        want_id = keyid_from_description(word);
    if (!only_id && !word.empty() && word.size() <= 10 && word.find_first_not_of("0123456789") == std::string::npos &&
        std::stoull(word) <= 0x7fffffffULL)
        want_serial = static_cast<key_serial_t>(std::stoul(word));
    if (!want_id && !want_serial)
        throw UsageError("'" + which + "' is neither a key id (8 hex digits) nor a serial number");
    const KeyInfo *by_id = nullptr, *by_serial = nullptr;
    for (const auto& k : keys) {
        if (want_serial && k.serial == *want_serial) by_serial = &k;
        if (want_id && k.ima_keyid && *k.ima_keyid == *want_id && !by_id) by_id = &k;
    }
    if (by_id && by_serial && by_id->serial != by_serial->serial)
        throw UsageError("'" + which + "' is the key id of key " + std::to_string(by_id->serial) +
                         " and the serial of another key: say keyid:" + word + " or serial:" + word);
    if (by_serial) return RemovedKey{by_serial->serial, RemovedKey::by_serial, by_serial->ima_keyid};
    if (by_id) return RemovedKey{by_id->serial, RemovedKey::by_keyid, by_id->ima_keyid};
    throw Error(ErrorKind::bad, "no key " + which + " in keyring " + std::to_string(keyring));
}

RemovedKey remove_key(key_serial_t keyring, const std::string& which) {
    RemovedKey hit = choose_key_to_remove(list_keys(keyring), which, keyring);
    if (keyctl_unlink(hit.serial, keyring) < 0)
        throw Error(ErrorKind::env, "key " + which + ": cannot remove it: " + errno_text(errno));
    return hit;
}

}  // namespace ima::keyring
