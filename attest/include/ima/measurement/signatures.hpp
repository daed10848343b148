// Checking the signatures a measurement list carries against known keys:
//  - 'sig' (ima-sig, ima-sigv2, ima-modsig): the file's security.ima
//    signature, v2 over the file digest of 'd-ng', v3 over the hash of an
//    ima_file_id (type 3, or 6 with an fs-verity digest);
//  - 'modsig' (ima-modsig): an appended PKCS#7 signature over the digest in
//    'd-modsig' (no signed attributes, as sign-file makes them);
//  - 'evmsig' (evm-sig): a portable EVM signature over the xattrs, uid, gid
//    and mode the entry records.
// A malformed value (for example a little-endian sig_size, as some logs in
// the wild carry) is reported as such, never counted as valid.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ima/measurement/list.hpp"
#include "ima/signature.hpp"

namespace ima::measurement {

enum class SigKind { ima, modsig, evm };
const char* sig_kind_name(SigKind k);  // "ima signature", "appended signature", "EVM signature"

enum class SigStatus {
    good,         // verified with one of the keys
    bad,          // a key with that id exists, the signature does not verify
    unknown_key,  // no key with that id
    malformed,    // the value does not follow its format
    unsupported,  // well-formed but not checkable here (v1 header, EVM signature outside evm-sig, signed attributes)
};
const char* sig_status_name(SigStatus s);  // "good", "bad", "unknown key", "malformed", "unsupported"

struct SignatureCheck {
    SigKind kind;
    SigStatus status;
    std::string detail;          // the cause, for anything but good
    std::optional<KeyId> keyid;  // from the header, when it has one
};

// Every signature the entry carries, checked; empty when it carries none.
std::vector<SignatureCheck> check_entry_signatures(const Entry& e, ByteOrder order, const std::vector<VerifyKey>& keys);

}  // namespace ima::measurement
