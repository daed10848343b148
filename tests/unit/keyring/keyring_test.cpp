#include "ima/keyring/keyring.hpp"

#include <gtest/gtest.h>

#include "ima/error.hpp"

using namespace ima;
using namespace ima::keyring;

namespace {
KeyInfo key(key_serial_t serial, const char* keyid_hex) {
    KeyInfo k;
    k.serial = serial;
    k.type = "asymmetric";
    k.description = std::string("test: 00112233") + keyid_hex;
    k.ima_keyid = keyid_from_description(k.description);
    return k;
}
}  // namespace

TEST(ResolveKeyring, ASerialOutOfRangeIsAUsageErrorNotACrash) {
    // all digits, more than any key_serial_t (and more than unsigned long)
    EXPECT_THROW(resolve_keyring("99999999999999999999999", Create::no), UsageError);
    EXPECT_THROW(resolve_keyring("2147483648", Create::no), UsageError);
    EXPECT_THROW(resolve_keyring("0", Create::no), UsageError);
    EXPECT_THROW(resolve_keyring("", Create::no), UsageError);
}

TEST(RemoveKey, AWordThatReadsBothWaysMustNotPickForTheUser) {
    // 12345678 is the key id of one key and the serial of another.
    std::vector<KeyInfo> keys = {key(555, "12345678"), key(12345678, "aaaaaaaa")};
    try {
        choose_key_to_remove(keys, "12345678", 1);
        FAIL() << "an ambiguous word removed a key";
    } catch (const UsageError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "'12345678' is the key id of key 555 and the serial of another key: say keyid:12345678 or "
                  "serial:12345678");
    }
    RemovedKey by_id = choose_key_to_remove(keys, "keyid:12345678", 1);
    EXPECT_EQ(by_id.serial, 555);
    EXPECT_EQ(by_id.matched, RemovedKey::by_keyid);
    RemovedKey by_serial = choose_key_to_remove(keys, "serial:12345678", 1);
    EXPECT_EQ(by_serial.serial, 12345678);
    EXPECT_EQ(by_serial.matched, RemovedKey::by_serial);
}

TEST(RemoveKey, AWordThatMatchesOneWayIsReadThatWayAndSaysSo) {
    std::vector<KeyInfo> keys = {key(555, "12345678"), key(777, "bbbbbbbb")};
    RemovedKey r = choose_key_to_remove(keys, "12345678", 1);
    EXPECT_EQ(r.serial, 555);
    EXPECT_EQ(r.matched, RemovedKey::by_keyid);
    r = choose_key_to_remove(keys, "777", 1);
    EXPECT_EQ(r.matched, RemovedKey::by_serial);
    EXPECT_THROW(choose_key_to_remove(keys, "99999999", 1), Error);
    EXPECT_THROW(choose_key_to_remove(keys, "serial:bbbbbbbb", 1), UsageError);
    EXPECT_THROW(choose_key_to_remove(keys, "nonsense", 1), UsageError);
}
