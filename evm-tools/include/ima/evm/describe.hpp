// What `evm-tool show` says about a security.ima or security.evm value:
// every type decoded into plain facts, rendered for people or as JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "ima/bytes.hpp"
#include "ima/hash_algo.hpp"
#include "ima/xattr_format.hpp"

namespace ima::evmtool {

struct ValueFacts {
    uint8_t type = 0;
    std::string type_name;            // xattr_type_name(): "signature", "evm-portable-signature", ...
    std::optional<unsigned> version;  // signatures
    std::optional<HashAlgo> algo;     // digests and v2/v3 signatures; sha1 for an HMAC
    std::string keyid;                // hex: 4 bytes (v2/v3), 8 bytes (v1)
    std::optional<size_t> sig_size;   // bytes of signature
    Bytes digest;                     // the digest (0x01, 0x04) or the HMAC (0x02)
};

// Which attribute a value came from: type 0x03 is an IMA signature in
// security.ima but an immutable EVM signature in security.evm.
enum class Attr { ima, evm };

// Decodes any security.ima / security.evm value. Throws FormatError naming the field.
ValueFacts describe_value(ByteView value, Attr attr = Attr::ima);

// One line: "signature v2, sha256, key 1a2b3c4d, 256-byte signature".
std::string facts_text(const ValueFacts& f);
// {"type":3,"type_name":"signature","version":2,"hash_algo":"sha256","keyid":"1a2b3c4d","sig_size":256,"value":"<hex>"}
nlohmann::json facts_json(const ValueFacts& f, ByteView raw);

}  // namespace ima::evmtool
