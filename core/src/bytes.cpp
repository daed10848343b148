#include "ima/bytes.hpp"

#include <endian.h>

#include <cstring>

#include "ima/error.hpp"

namespace ima {

std::string to_hex(ByteView in) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.resize(in.size() * 2);
    for (size_t i = 0; i < in.size(); ++i) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 0xf];
    }
    return out;
}

int hex_digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

Bytes from_hex(std::string_view hex, std::string_view what) {
    if (hex.size() % 2 != 0) throw FormatError(std::string(what) + ": odd number of hex digits");
    Bytes out(hex.size() / 2);
    for (size_t i = 0; i < out.size(); ++i) {
        int hi = hex_digit_value(hex[2 * i]);
        int lo = hex_digit_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            throw FormatError(std::string(what) + ": not a hex digit at position " +
                              std::to_string(2 * i + (hi < 0 ? 0 : 1)));
        out[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    return out;
}

void Reader::need(size_t n) const {
    if (n > in_.size() - pos_)
        throw TruncatedError(what_ + ": truncated at byte " + std::to_string(pos_) + " (need " + std::to_string(n) +
                             ", have " + std::to_string(in_.size() - pos_) + ")");
}

uint8_t Reader::u8() {
    need(1);
    return in_[pos_++];
}

template <class T>
static T load(ByteView in, size_t pos) {
    T v;
    std::memcpy(&v, in.data() + pos, sizeof v);
    return v;
}

uint16_t Reader::u16_be() {
    need(2);
    auto v = be16toh(load<uint16_t>(in_, pos_));
    pos_ += 2;
    return v;
}
uint32_t Reader::u32_be() {
    need(4);
    auto v = be32toh(load<uint32_t>(in_, pos_));
    pos_ += 4;
    return v;
}
uint16_t Reader::u16_host() {
    need(2);
    auto v = load<uint16_t>(in_, pos_);
    pos_ += 2;
    return v;
}
uint32_t Reader::u32_host() {
    need(4);
    auto v = load<uint32_t>(in_, pos_);
    pos_ += 4;
    return v;
}
uint16_t Reader::u16_le() {
    need(2);
    auto v = le16toh(load<uint16_t>(in_, pos_));
    pos_ += 2;
    return v;
}
uint32_t Reader::u32_le() {
    need(4);
    auto v = le32toh(load<uint32_t>(in_, pos_));
    pos_ += 4;
    return v;
}
uint64_t Reader::u64_le() {
    need(8);
    auto v = le64toh(load<uint64_t>(in_, pos_));
    pos_ += 8;
    return v;
}
ByteView Reader::bytes(size_t n) {
    need(n);
    auto v = in_.subspan(pos_, n);
    pos_ += n;
    return v;
}

void put_u16_be(Bytes& out, uint16_t v) {
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
}
void put_u32_be(Bytes& out, uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(v >> s));
}
void append(Bytes& out, ByteView in) {
    out.insert(out.end(), in.begin(), in.end());
}

}  // namespace ima
