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
// Throws Error(env) "keyring NAME does not exist (use --create ...)".
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

// Unlinks the key with this serial or IMA key id ("1a2b3c4d") from the
// keyring; returns the serial removed. Throws Error(bad) when none matches.
key_serial_t remove_key(key_serial_t keyring, const std::string& keyid_or_serial);

// The IMA key id an asymmetric key's description ends with, if any.
std::optional<KeyId> keyid_from_description(const std::string& description);

}  // namespace ima::keyring
