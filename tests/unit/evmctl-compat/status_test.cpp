// The one mapping from the libraries' errors to evmctl's exit statuses.
#include "status.hpp"

#include <gtest/gtest.h>

#include <cerrno>

using namespace ima;
using namespace ima::evmctl;

TEST(EvmctlStatus, AFailedCheckIsOneEverythingElse125) {
    EXPECT_EQ(evmctl_status(VerifyError("bad signature")), status_bad);
    EXPECT_EQ(evmctl_status(bad("x")), status_bad);
    EXPECT_EQ(evmctl_status(error("x")), status_error);
    EXPECT_EQ(evmctl_status(FormatError("malformed")), status_error);  // evmctl's -EINVAL paths
    EXPECT_EQ(evmctl_status(UsageError("unknown algorithm")), status_error);
    EXPECT_EQ(evmctl_status(IoError("f", ENOENT)), status_error);
    EXPECT_EQ(evmctl_status(CryptoError("sign", "EVP_PKEY_sign")), status_error);
}

TEST(EvmctlStatus, RethrowForPutsThePathInFrontAndKeepsTheStatus) {
    try {
        rethrow_for(bad("bad signature"), "/f");
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "/f: bad signature");
        EXPECT_EQ(evmctl_status(e), status_bad);
    }
    try {
        rethrow_for(IoError("read", EIO), "/g");
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("/g: read: ", 0), 0u);
        EXPECT_EQ(evmctl_status(e), status_error);
    }
}
