// Kernel keyrings through libkeyutils: finding the keyrings IMA and EVM look
// keys up in (_ima, _evm, .ima, .evm, .platform), adding X.509 certificates
// to them as "asymmetric" keys, listing and removing keys.
#pragma once

#include <keyutils.h>

#include <string>
#include <vector>

#include "ima/bytes.hpp"
#include "ima/xattr_format.hpp"

namespace ima::keyring {

enum class Create { no, yes };

// A keyring by name ("_ima", ".ima"...), special id ("@u", "@s", "@us", "@p",
// "@t") or serial number. Names are searched from the session and user
// keyrings (as the kernel's request_key finds _ima and _evm); names starting
// with "." (the kernel's own .ima/.evm/.platform rings) in /proc/keys. With
// Create::yes a missing name is made as a keyring under the user keyring.
// Throws UsageError for an empty name or a serial out of range, Error(env)
// "keyring NAME does not exist (use --create ...)" or when it cannot be read
// or made.
key_serial_t resolve_keyring(const std::string& spec, Create create);

// Adds one DER certificate as an asymmetric key; returns its serial. The
// error says what to do: the kernel lacks the key type or the algorithm,
// the keyring only takes certificates signed by a built-in or secondary key,
// no permission. `source` names the certificate in the message.
key_serial_t import_certificate(key_serial_t keyring, ByteView der, const std::string& source);

struct KeyInfo {
    key_serial_t serial = 0;
    std::string type;                // "asymmetric", "keyring", ...
    std::string description;         // "CN: <subjectKeyIdentifier hex>" for certificates
    std::optional<KeyId> ima_keyid;  // the last 4 bytes of the key identifier in the description
};

// The keys linked into `keyring`. Throws Error(env) when it cannot be read.
std::vector<KeyInfo> list_keys(key_serial_t keyring);

struct RemovedKey {
    key_serial_t serial = 0;
    enum { by_serial, by_keyid } matched;  // how the word was read
    std::optional<KeyId> keyid;
};

// Unlinks the key with this serial or IMA key id ("1a2b3c4d") from the
// keyring. A word that reads both ways (12345678) means the one that
// matches a key; "keyid:HEX" or "serial:N" says which outright. Throws
// UsageError when the word is neither a key id nor a serial, or is the key
// id of one key and the serial of another, Error(bad) when nothing matches,
// Error(env) when the keyring cannot be read or the key cannot be unlinked.
RemovedKey remove_key(key_serial_t keyring, const std::string& keyid_or_serial);
// The decision remove_key makes, on the keys of `keyring` (which names it in
// the message when nothing matches).
RemovedKey choose_key_to_remove(const std::vector<KeyInfo>& keys, const std::string& keyid_or_serial,
                                key_serial_t keyring);

// The IMA key id an asymmetric key's description ends with, if any.
std::optional<KeyId> keyid_from_description(const std::string& description);

}  // namespace ima::keyring
