#!/usr/bin/env bash
# The filesystem UUID: taken from the filesystem the file lives on (here a
# loop-mounted ext4 made with a known UUID), overridden by --uuid, left out
# by --no-uuid, never part of a portable signature.
. "$TESTS_DIR/lib/assert.sh"
need getfattr setfattr mkfs.ext4 mount umount losetup
K=$TESTS_DIR/fixtures/keys
uuid=5d1c7f0e-2b4a-4c39-9e61-0a7b3c2d1e4f
other=01234567-89ab-cdef-0123-456789abcdef
head -c 32 /dev/urandom >"$WORK/evm-key"

truncate -s 16M "$WORK/fs.img"
mkfs.ext4 -q -U $uuid "$WORK/fs.img"
mkdir "$WORK/mnt"
mount -o loop "$WORK/fs.img" "$WORK/mnt" || fail "cannot loop-mount an ext4 image (needs root and /dev/loop*)"
unmount() { umount "$WORK/mnt"; }
on_exit unmount

f=$WORK/mnt/file
echo data >"$f"
ima-sign sign -q -k "$K/rsa.key" "$f"

hmac() { evm-tool hmac -q --print --hmac-key "$WORK/evm-key" "$@" "$f" | cut -d' ' -f2; }
auto=$(hmac)
expect_eq "$(hmac --uuid $uuid)" "$auto" "HMAC with the detected UUID vs --uuid $uuid"
expect_eq "$(hmac --uuid ${uuid//-/})" "$auto" "UUID given as 32 hex digits"
[ "$(hmac --uuid $other)" != "$auto" ] && pass || fail "another --uuid gave the same HMAC"
[ "$(hmac --no-uuid)" != "$auto" ] && pass || fail "--no-uuid gave the same HMAC"

expect_ok evm-tool sign -q -k "$K/rsa.key" "$f"
expect_ok evm-tool verify -c "$K/rsa.pem" "$f"
expect_ok evm-tool verify -c "$K/rsa.pem" --uuid $uuid "$f"
expect_status 1 evm-tool verify -c "$K/rsa.pem" --uuid $other "$f"
expect_status 1 evm-tool verify -c "$K/rsa.pem" --no-uuid "$f"

# an image for another filesystem: sign with its UUID, verify there
expect_ok evm-tool sign -q -k "$K/rsa.key" --uuid $other "$f"
expect_status 1 evm-tool verify -c "$K/rsa.pem" "$f"
expect_ok evm-tool verify -c "$K/rsa.pem" --uuid $other "$f"

# portable signatures carry no UUID
expect_ok evm-tool sign -q --portable -k "$K/rsa.key" --uuid $other "$f"
expect_ok evm-tool verify -c "$K/rsa.pem" "$f"
expect_ok evm-tool verify -c "$K/rsa.pem" --no-uuid "$f"

# the same file bytes on the host filesystem: the UUID there is another one
cp --preserve=xattr "$f" "$WORK/host-copy"
expect_ok evm-tool hmac -q --hmac-key "$WORK/evm-key" --ino "$(stat -c %i "$f")" \
    --generation "$(lsattr -v "$f" | cut -d' ' -f1)" --uuid $uuid "$WORK/host-copy"
expect_eq "$auto" "$(xattr_hex "$WORK/host-copy" security.evm)" "HMAC rebuilt on another filesystem with overrides"
done_testing
