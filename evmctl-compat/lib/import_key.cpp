#include "import_key.hpp"

#include <keyutils.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>

#include "ima/error.hpp"
#include "ima/key.hpp"
#include "ima/keyring/keyring.hpp"
#include "keys.hpp"
#include "status.hpp"

namespace ima::evmctl {

namespace {

// evmctl's reading of the keyring argument, including its leniencies: an
// unknown "@" name keeps the user keyring, a name without "@" is parsed as a
// number (so "_ima" is keyring 0, which the kernel refuses).
key_serial_t keyring_of(const std::string& ring) {
    if (ring.empty() || ring[0] != '@') {
        int base = ring.size() > 1 && ring[0] == '0' && ring[1] == 'x' ? 16 : 10;
        return static_cast<key_serial_t>(std::strtoul(ring.c_str(), nullptr, base));
    }
    if (ring == "@t") return KEY_SPEC_THREAD_KEYRING;
    if (ring == "@p") return KEY_SPEC_PROCESS_KEYRING;
    if (ring == "@s") return KEY_SPEC_SESSION_KEYRING;
    if (ring == "@us") return KEY_SPEC_USER_SESSION_KEYRING;
    if (ring == "@g") return KEY_SPEC_GROUP_KEYRING;
    return KEY_SPEC_USER_KEYRING;
}

}  // namespace

int cmd_import(const Options& opts, Console& con) {
    if (opts.rsa_v1) {
        con.error("import: --rsa: keys for signature format v1 are not supported");
        return status_error;
    }
    std::string path = opts.args.size() > 1 ? opts.args[1] : default_verify_key;
    key_serial_t ring = KEY_SPEC_USER_KEYRING;
    if (opts.args.size() > 2) ring = keyring_of(opts.args[2]);
    try {
        Bytes der;
        try {
            der = read_small_file(path, "certificate");
        } catch (const Error& e) {
            throw bad(e.what());
        }
        // evmctl takes DER only (d2i_X509); a PEM file is refused the same way.
        if (der.empty() || der[0] != 0x30) throw bad(path + ": not a DER X.509 certificate");
        KeyId id{};
        try {
            id = keyid_of_certificate(parse_certificate(der, path));
        } catch (const Error& e) {
            throw bad(e.what());
        }
        con.info("Importing public key " + to_hex(id) + " from file " + path + " into keyring " + std::to_string(ring));
        // A keyring that is not there: said as such, not as the kernel's
        // ENOKEY, which from a real keyring means the certificate's signer is
        // not trusted.
        if (keyctl_get_keyring_ID(ring, 0) < 0) {
            int e = errno;
            con.error(
                "add_key failed: keyring " + std::to_string(ring) + ": " +
                (e == ENOKEY || e == EINVAL ? std::string("no such keyring") : std::generic_category().message(e)));
            return status_error;
        }
        key_serial_t serial = 0;
        try {
            serial = keyring::import_certificate(ring, der, path);
        } catch (const Error& e) {
            throw error(std::string("add_key failed: ") + e.what());
        }
        con.info("keyid: " + std::to_string(serial));
        con.print(std::to_string(serial) + "\n");
        return status_ok;
    } catch (const Error& e) {
        con.error(e.what());
        return evmctl_status(e);
    }
}

}  // namespace ima::evmctl
