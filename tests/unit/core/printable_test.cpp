#include "ima/printable.hpp"

#include <gtest/gtest.h>

using ima::is_utf8;
using ima::printable;

TEST(Printable, PlainTextAndUtf8PassUnchanged) {
    EXPECT_EQ(printable("/usr/bin/ls"), "/usr/bin/ls");
    EXPECT_EQ(printable("/etc/ünïcode file"), "/etc/ünïcode file");
    EXPECT_EQ(printable("日本語"), "日本語");
}

TEST(Printable, NothingCanEndALineOrMoveTheCursor) {
    EXPECT_EQ(printable("a\nentry 9 /bin/x: ok"), "a\\nentry 9 /bin/x: ok");
    EXPECT_EQ(printable("a\rb\tc"), "a\\rb\\tc");
    EXPECT_EQ(printable("\x1b[2J"), "\\x1b[2J");
    EXPECT_EQ(printable(std::string("a\0b", 3)), "a\\x00b");
    EXPECT_EQ(printable("back\\slash"), "back\\\\slash");
    EXPECT_EQ(printable("\x7f"), "\\x7f");
    EXPECT_EQ(printable("\xc2\x9b"), "\\xc2\\x9b");  // U+009B, the C1 control sequence introducer
}

TEST(Printable, BytesThatAreNotUtf8AreEscaped) {
    EXPECT_EQ(printable("\xff\xfe"), "\\xff\\xfe");
    EXPECT_EQ(printable("\xc3"), "\\xc3");                    // a sequence cut short
    EXPECT_EQ(printable("\xc0\xaf"), "\\xc0\\xaf");           // overlong '/'
    EXPECT_EQ(printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate
    EXPECT_TRUE(is_utf8("ünï"));
    EXPECT_FALSE(is_utf8("\xff"));
    EXPECT_FALSE(is_utf8("\xc0\xaf"));
}
