#!/usr/bin/env bash
# show: every security.ima and security.evm type decoded, for people and as
# JSON, compared with golden files (UPDATE_GOLDEN=1 regenerates them; review
# the diff). A malformed value is shown, named on stderr, and exits 1.
. "$TESTS_DIR/lib/assert.sh"
need getfattr setfattr jq
K=$TESTS_DIR/fixtures/keys
G=$(cd "$(dirname "$0")" && pwd)/golden
printf '\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10' >"$WORK/evm-key"
d=$WORK/s
mkdir "$d"
cd "$d"
for f in digest-ng signed-portable hmac digest-sha1 sig-v1 verity immutable malformed none; do
    echo "$f" >"$f"
    chmod 0644 "$f"
done
fixed="--ino 1 --generation 2 --uuid 01234567-89ab-cdef-0123-456789abcdef"
ima-sign hash -q digest-ng
ima-sign sign -q -k "$K/rsa.key" signed-portable hmac immutable
evm-tool sign -q --portable -k "$K/rsa.key" signed-portable
evm-tool hmac -q --hmac-key "$WORK/evm-key" $fixed hmac
evm-tool sign -q -a sha384 -k "$K/rsa.key" $fixed immutable
setfattr -n security.ima -v 0x01$(sha1sum digest-sha1 | cut -c1-40) digest-sha1
setfattr -n security.ima -v 0x0301000000000102010203040506070801000800 sig-v1
setfattr -n security.ima -v 0x06030479d765db000401020304 verity
setfattr -n security.ima -v 0x0404$(sha256sum malformed | cut -c1-64) malformed
setfattr -n security.evm -v 0x0502040000000000ff00 malformed

compare() {  # compare GOLDEN-FILE TEXT
    if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
        printf '%s\n' "$2" >"$G/$1"
        echo "updated $G/$1"
    fi
    expect_eq "$(cat "$G/$1")" "$2" "output vs golden/$1"
}

expect_status 1 evm-tool show .
compare show.txt "$OUT"
expect_eq "evm-tool: error: ./malformed: malformed security.evm: sig_size: 255 but 1 bytes follow" "$ERR"
expect_status 1 evm-tool show -v .
compare show-verbose.txt "$OUT"
expect_status 1 evm-tool show --json .
compare show.json "$OUT"
expect_eq 9 "$(echo "$OUT" | jq '.shown')" "files in the JSON document"
expect_eq "" "$(echo "$OUT" | jq -r '.files[] | select(.path == "./none") | .["security.ima"] // ""')"

# the values show prints are the values on disk
expect_eq "$(xattr_hex immutable security.evm)" \
    "$(evm-tool show --json immutable | jq -r '.files[0]["security.evm"].value')" "JSON value"
expect_ok evm-tool show hmac
expect_contains "$OUT" "security.evm: evm-hmac, hmac-sha1 $(xattr_hex hmac security.evm | cut -c3-)"

# user.* with --xattr-user
setfattr -n user.evm -v 0x02$(printf '%040d' 0) none
expect_ok evm-tool show --xattr-user none
expect_eq "$(printf 'none\n  user.ima: none\n  user.evm: evm-hmac, hmac-sha1 %040d' 0)" "$OUT"
done_testing
