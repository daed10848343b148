#include "ima/bytes.hpp"

#include <gtest/gtest.h>

#include "ima/error.hpp"

using namespace ima;

TEST(Bytes, HexRoundTrips) {
    Bytes b{0x00, 0x7f, 0xab, 0xff};
    EXPECT_EQ(to_hex(b), "007fabff");
    EXPECT_EQ(from_hex("007FABff"), b);
}

TEST(Bytes, FromHexRejectsOddLengthAndNonHex) {
    EXPECT_THROW(from_hex("abc"), FormatError);
    EXPECT_THROW(from_hex("zz"), FormatError);
    EXPECT_THROW(from_hex("0g"), FormatError);
}

TEST(Reader, ReadsBigAndLittleEndianFields) {
    Bytes b{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
    Reader r(b);
    EXPECT_EQ(r.u8(), 0x01);
    EXPECT_EQ(r.u16_be(), 0x0203);
    EXPECT_EQ(r.u32_le(), 0x07060504u);
    EXPECT_TRUE(r.empty());
    Reader le(b);
    EXPECT_EQ(le.u16_le(), 0x0201);
}

TEST(Reader, ThrowsNamingTheOffsetWhenOneByteShort) {
    Bytes b{0x01, 0x02, 0x03};
    Reader r(b, "header");
    r.u8();
    try {
        r.u32_be();
        FAIL() << "read past the end";
    } catch (const FormatError& e) {
        EXPECT_STREQ(e.what(), "header: truncated at byte 1 (need 4, have 2)");
    }
    EXPECT_EQ(r.pos(), 1u);  // a failed read consumes nothing
}

TEST(Reader, HugeLengthDoesNotOverflow) {
    Bytes b{0x01};
    Reader r(b);
    EXPECT_THROW(r.bytes(SIZE_MAX), FormatError);
}
