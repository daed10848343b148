// Byte buffers, hex text and a bounds-checked reader for hostile input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ima {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline ByteView view(const std::string& s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Lower-case hex of the bytes.
std::string to_hex(ByteView in);
// The value of one hex digit (either case), or -1 when it is none.
int hex_digit_value(char c);
// Parses hex (either case, even length). Throws FormatError naming `what`.
Bytes from_hex(std::string_view hex, std::string_view what = "hex value");

// Reads fixed-size fields from a byte span. Every read checks the bounds and
// throws FormatError("<what>: truncated at byte N") instead of reading past the end.
class Reader {
public:
    explicit Reader(ByteView in, std::string what = "input") : in_(in), what_(std::move(what)) {}

    uint8_t u8();
    uint16_t u16_be();
    uint32_t u32_be();
    uint16_t u16_host();
    uint32_t u32_host();
    uint16_t u16_le();
    uint32_t u32_le();
    uint64_t u64_le();
    ByteView bytes(size_t n);
    void skip(size_t n) { bytes(n); }

    size_t pos() const { return pos_; }
    size_t remaining() const { return in_.size() - pos_; }
    bool empty() const { return pos_ == in_.size(); }
    ByteView rest() const { return in_.subspan(pos_); }
    const std::string& what() const { return what_; }
    // Throws TruncatedError unless `n` more bytes are there.
    void need(size_t n) const;

private:
    ByteView in_;
    std::string what_;
    size_t pos_ = 0;
};

void put_u16_be(Bytes& out, uint16_t v);
void put_u32_be(Bytes& out, uint32_t v);
void append(Bytes& out, ByteView in);

}  // namespace ima
