#include "ima/printable.hpp"

#include <cstdint>

namespace ima {

namespace {

void escape_byte(std::string& out, uint8_t b) {
    static constexpr char digits[] = "0123456789abcdef";
    switch (b) {
        case '\n': out += "\\n"; return;
        case '\r': out += "\\r"; return;
        case '\t': out += "\\t"; return;
        case '\\': out += "\\\\"; return;
        default:
            out += "\\x";
            out += digits[b >> 4];
            out += digits[b & 0xf];
    }
}

// The length of the valid UTF-8 sequence at s[i] (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF), or 0.
size_t utf8_length(std::string_view s, size_t i, uint32_t& cp) {
    auto at = [&](size_t k) { return static_cast<uint8_t>(s[i + k]); };
    uint8_t b = at(0);
    size_t n = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
    if (n == 0 || b > 0xf4 || i + n > s.size()) return 0;
    cp = b & (0x7f >> n);
    for (size_t k = 1; k < n; ++k) {
        if ((at(k) & 0xc0) != 0x80) return 0;
        cp = cp << 6 | (at(k) & 0x3f);
    }
    static constexpr uint32_t min_for[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return n;
}

}  // namespace

std::string printable(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        uint8_t b = static_cast<uint8_t>(s[i]);
        if (b >= 0x20 && b < 0x7f && b != '\\') {
            out += static_cast<char>(b);
            ++i;
            continue;
        }
        uint32_t cp = 0;
        size_t n = b >= 0x80 ? utf8_length(s, i, cp) : 0;
        if (n && !(cp >= 0x80 && cp <= 0x9f)) {
            out.append(s.substr(i, n));
            i += n;
            continue;
        }
        // A C1 control is escaped byte by byte, like any invalid byte.
        for (size_t k = 0; k < (n ? n : 1); ++k) escape_byte(out, static_cast<uint8_t>(s[i + k]));
        i += n ? n : 1;
    }
    return out;
}

bool is_utf8(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        if (static_cast<uint8_t>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        uint32_t cp = 0;
        size_t n = utf8_length(s, i, cp);
        if (!n) return false;
        i += n;
    }
    return true;
}

}  // namespace ima
