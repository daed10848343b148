#include "ima/xattr_io.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "ima/error.hpp"
#include "ima/fd.hpp"
#include "test_util.hpp"

using namespace ima;

TEST(XattrIo, SetGetListRemoveThroughTheDescriptor) {
    test::TempDir d;
    std::string p = d.file("f", "data");
    Fd fd(open(p.c_str(), O_RDONLY));
    const std::string name = xattr_name(XattrNamespace::user, "ima");
    EXPECT_EQ(name, "user.ima");
    EXPECT_FALSE(get_xattr(fd.get(), name, p).has_value());
    Bytes v{0x04, 0x04, 0xaa};
    set_xattr(fd.get(), name, v, p);
    EXPECT_EQ(get_xattr(fd.get(), name, p), v);
    auto names = list_xattrs(fd.get(), p);
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end());
    EXPECT_TRUE(remove_xattr(fd.get(), name, p));
    EXPECT_FALSE(remove_xattr(fd.get(), name, p));
}

TEST(XattrIo, LargeValueRoundTrips) {
    test::TempDir d;
    std::string p = d.file("f", "data");
    Fd fd(open(p.c_str(), O_RDONLY));
    Bytes v(1024, 0x5a);
    set_xattr(fd.get(), "user.big", v, p);
    EXPECT_EQ(get_xattr(fd.get(), "user.big", p), v);
}

TEST(XattrIo, ErrorsNameTheFile) {
    try {
        get_xattr(-1, "user.ima", "/some/file");
        FAIL();
    } catch (const IoError& e) {
        EXPECT_STREQ(e.what(), "/some/file: reading user.ima: Bad file descriptor");
    }
}
