#include "ima/measurement/ascii.hpp"

#include <cstdio>

#include "ima/measurement/fields.hpp"

namespace ima::measurement {

namespace {

// DATA_FMT_DIGEST_WITH_ALGO: print the C string up to its NUL unless the ':'
// is its first character, then the hex of what follows ':' and the NUL.
std::string digest_with_algo(ByteView data) {
    std::string_view s = field_string(data);
    size_t colon = s.rfind(':');
    if (colon == std::string_view::npos) return to_hex(data);
    std::string out = colon != 0 ? std::string(s) : std::string();
    size_t skip = colon + 2;
    if (skip < data.size()) out += to_hex(data.subspan(skip));
    return out;
}

}  // namespace

std::string ascii_field(const Entry& e, size_t i, ByteOrder order) {
    ByteView data = e.fields[i];
    if (data.empty()) return "";
    switch (e.desc->fields[i]->format) {
        case FieldFormat::digest:
        case FieldFormat::hex: return to_hex(data);
        case FieldFormat::digest_with_algo: return digest_with_algo(data);
        case FieldFormat::string: return std::string(field_string(data));
        case FieldFormat::uint: {
            auto v = decode_uint(data, order);
            return v ? std::to_string(*v) : std::string();
        }
    }
    return "";
}

void append_ascii_line(std::string& out, const Entry& e, ByteOrder order) {
    char pcr[16];
    std::snprintf(pcr, sizeof pcr, "%2u ", e.pcr);
    out += pcr;
    out += to_hex(e.template_digest);
    out += ' ';
    out.append(e.template_name);
    if (e.desc && e.problem.empty()) {
        for (size_t i = 0; i < e.fields.size(); ++i) {
            out += ' ';
            out += ascii_field(e, i, order);
        }
    } else {
        // Not something the kernel prints: an unknown or malformed template's data as one hex field.
        out += ' ';
        out += to_hex(e.template_data);
    }
    out += '\n';
}

}  // namespace ima::measurement
