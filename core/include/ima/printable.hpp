// Text from hostile input (file names, event names, log fields) made safe to
// print on a line of its own: it can neither end the line nor move the
// terminal's cursor, so no report line can be forged by a file name.
#pragma once

#include <string>
#include <string_view>

namespace ima {

// `s` with every control character (C0, DEL, and the C1 range U+0080-U+009F),
// every byte that is not part of valid UTF-8, and the backslash escaped:
// "\n", "\r", "\t", "\\", else "\xHH". Valid UTF-8 text passes unchanged.
std::string printable(std::string_view s);

// True when `s` is valid UTF-8 (RFC 3629), as a JSON string must be.
bool is_utf8(std::string_view s);

}  // namespace ima
