// Typed views of template fields: the file digest of 'd', 'd-ng', 'd-ngv2'
// and 'd-modsig', the event name, and the integer fields, decoded as the
// kernel wrote them (ima_template_lib.c: ima_eventdigest_init_common,
// ima_write_template_field_data).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ima/bytes.hpp"
#include "ima/hash_algo.hpp"
#include "ima/measurement/list.hpp"

namespace ima::measurement {

struct DigestField {
    std::string type;              // 'd-ngv2' digest type ("ima", "verity"); "" otherwise
    std::string algo_name;         // as written ("sha256"); "sha1" for 'd'
    std::optional<HashAlgo> algo;  // nullopt when the kernel's table has no such name
    ByteView digest;
};

// Decodes a 'd-ng'-style field: "<algo>:" or "<type>:<algo>:", a NUL, then
// the digest. Throws FormatError naming what is wrong.
DigestField decode_digest_with_algo(ByteView data);

// The file digest of an entry: 'd-ngv2', 'd-ng' or 'd' (SHA-1). nullopt when
// the template has none or the entry is malformed; throws FormatError when the
// field is there but cannot be decoded.
std::optional<DigestField> entry_file_digest(const Entry& e);

// The event name ('n-ng' or 'n'), up to the first NUL; nullopt when absent.
std::optional<std::string> entry_event_name(const Entry& e);

// A 'iuid'/'igid'/'imode' field: 1, 2, 4 or 8 bytes in the list's byte order.
std::optional<uint64_t> decode_uint(ByteView data, ByteOrder order);

// The bytes of a string field up to the first NUL (as seq_printf("%s") prints them).
std::string_view field_string(ByteView data);

}  // namespace ima::measurement
