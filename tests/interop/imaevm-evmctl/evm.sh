#!/usr/bin/env bash
# imaevm-evmctl against evmctl for security.evm: sign (portable, with fixed
# inode/generation/UUID, --m32/--m64/--smack, -i, the metadata and xattr
# overrides, --imasig/--imahash first), verify and hmac.
. "$TESTS_DIR/lib/assert.sh"
. "$TESTS_DIR/interop/imaevm-evmctl/compare.sh"
[ "$(id -u)" = 0 ] || fail "needs root: security.* xattrs are compared"
K=$TESTS_DIR/fixtures/keys
U=01234567-89ab-cdef-0123-456789abcdef

in=$WORK/input
mkdir -p "$in/d"
echo hello >"$in/a"
head -c 5000 /dev/urandom >"$in/b"
echo plain >"$in/noima"
echo nested >"$in/d/n"
ln -s a "$in/link"
for f in a b d/n; do evmctl ima_sign -k "$K/rsa.key" "$in/$f" >/dev/null 2>&1; done
setfattr -n security.selinux -v "system_u:object_r:bin_t:s0" "$in/b"
setfattr -n security.SMACK64EXEC -v "_" "$in/b"
setfattr -n security.capability -v 0x0100000202000000000000000000000000000000 "$in/b"
set_input "$in"

# --- sign: portable signatures do not depend on the inode, so copies compare
for algo in sha1 sha256 sha384 sha512; do
    both sign --portable -a $algo -k "$K/rsa.key" a
    expect_rc 0
done
both sign --portable -k "$K/rsa.key" b
both sign --portable --smack -k "$K/rsa.key" b
both sign -o -n -k "$K/rsa.key" b
both sign --portable --xattr-user -k "$K/rsa.key" a
both sign --portable --uid 7 --gid 8 --mode 33261 -k "$K/rsa.key" a
both sign --portable --selinux=unconfined_u:object_r:user_home_t:s0 -k "$K/rsa.key" b
both sign --portable --ima=0404aabbccdd -k "$K/rsa.key" b
both sign --portable --caps -k "$K/rsa.key" b
both sign --portable --caps=raw -k "$K/rsa.key" b
both sign --portable --keyid 01020304 -k "$K/rsa.key" a
both sign --portable -s -k "$K/rsa.key" noima
both sign --portable -d -k "$K/rsa.key" noima
both sign --portable -d -a sha512 -k "$K/rsa.key" noima
# immutable signatures with the inode, generation and UUID fixed
both sign --uuid=$U --inode 12 --generation 34 -k "$K/rsa.key" a
both sign -u --ino 12 --generation 34 -k "$K/rsa.key" b
both sign --uuid=$U --ino 12 --generation 34 --m32 -k "$K/rsa.key" b
both sign --uuid=$U --ino 12 --generation 34 --m64 -k "$K/rsa.key" b
both sign --uuid=$U --ino 12 --generation 34 --smack --uid 0 --gid 0 --mode 420 -k "$K/rsa.key" b
both sign -i -k "$K/rsa.key" b
both sign -u --ino 1 --generation 2 -k "$K/rsa.key" d
both sign -u --ino 1 --generation 2 --xattr-user -k "$K/rsa.key" a
both sign -u --ino 1 --generation 2 -a sha1 -n -k "$K/rsa.key" b
both sign -o -i -k "$K/rsa.key" a
both --random sign --portable -k "$K/ec256.key" a
# errors
both sign --portable -k "$K/rsa.key" noima
expect_rc 125
both sign --portable -k "$K/rsa.key" missing
expect_rc 125
both sign --portable -k "$WORK/no-such-key" a
expect_rc 125
both sign --portable -a foo -k "$K/rsa.key" a
expect_rc 1
both sign --uuid=nonsense --ino 1 --generation 1 -k "$K/rsa.key" a
expect_rc 125
both sign -k "$K/rsa.key"
expect_rc 125
# recursive: files without security.ima fail one by one, the status stays 0
both sign -r --portable -k "$K/rsa.key" .
expect_rc 0
both sign -r --portable -k "$K/rsa.key" d
both sign -r -d --portable -k "$K/rsa.key" .

# --- verify: values made by evmctl, checked by both
signed=$WORK/signed
rm -rf "$signed"
cp -a "$in" "$signed"
evmctl sign --portable -k "$K/rsa.key" "$signed/a" >/dev/null 2>&1
evmctl sign --portable -a sha512 -k "$K/rsa.key" "$signed/b" >/dev/null 2>&1
evmctl sign -u --ino 12 --generation 34 -k "$K/rsa.key" "$signed/d/n" >/dev/null 2>&1
# (cp leaves security.evm behind: copies get it by hand)
v=$(xattr_hex "$signed/a" security.evm)
cp -a "$signed/a" "$signed/chmod"
setfattr -n security.evm -v "0x$v" "$signed/chmod"
chmod 600 "$signed/chmod"
cp -a "$signed/a" "$signed/hmac"
setfattr -n security.evm -v 0x020102030405060708090a0b0c0d0e0f1011121314 "$signed/hmac"
cp -a "$signed/a" "$signed/portable3"
setfattr -n security.evm -v "0x0503${v:4}" "$signed/portable3"
set_input "$signed"
both verify -k "$K/rsa.der" a
expect_rc 0
expect_contains "$(cat "$WORK/err.o")" "a: verification is OK"
both verify -k "$K/rsa.der" b
both verify -u --ino 12 --generation 34 -k "$K/rsa.der" d/n
expect_rc 0
both verify -u --ino 13 --generation 34 -k "$K/rsa.der" d/n
expect_rc 1
both verify -k "$K/rsa.der" chmod
expect_rc 1
both verify -k "$K/other.der" a
both verify -k "$K/ec256.der,$K/rsa.der" a
expect_rc 0
both verify -k "$K/rsa.der" noima
expect_rc 125
both verify -k "$K/rsa.der" hmac
expect_rc 125
both verify -k "$K/rsa.der" portable3
expect_rc 125
both verify -k "$K/rsa.der" missing
expect_rc 125
both verify -k "$K/rsa.der"
expect_rc 125

# ECDSA crosswise
cp -a "$in" "$WORK/ec"
for key in ec256 ec384; do
    evmctl sign --portable -k "$K/$key.key" "$WORK/ec/a" >/dev/null 2>&1
    expect_ok imaevm-evmctl verify -k "$K/$key.der" "$WORK/ec/a"
    expect_ok imaevm-evmctl sign --portable -a sha384 -k "$K/$key.key" "$WORK/ec/a"
    expect_ok evmctl verify -k "$K/$key.der" "$WORK/ec/a"
done

# --- hmac: the key lives at evmctl's fixed path; the HMAC covers the inode,
# so both tools run on the same file one after the other.
keyfile=/etc/keys/evm-key-plain
if [ -e "$keyfile" ]; then
    cp -a "$keyfile" "$WORK/saved-evm-key"
    restore_key() { cp -a "$WORK/saved-evm-key" "$keyfile"; }
else
    [ -d /etc/keys ] || { mkdir /etc/keys && on_exit remove_keys_dir; }
    remove_keys_dir() { rmdir /etc/keys 2>/dev/null || true; }
    restore_key() { rm -f "$keyfile"; }
fi
on_exit restore_key
rm -f "$keyfile"
set_input "$in"
both hmac a
expect_rc 125  # no key file yet
head -c 32 /dev/urandom >"$keyfile"
same_file=$WORK/same
rm -rf "$same_file"
cp -a "$in" "$same_file"
for args in "-a sha1" "" "-a sha512" "--m32" "--smack -a sha1"; do
    for f in a b; do
        # shellcheck disable=SC2086
        expect_ok evmctl hmac $args "$same_file/$f"
        want=$(xattr_hex "$same_file/$f" security.evm)
        setfattr -x security.evm "$same_file/$f"
        # shellcheck disable=SC2086
        expect_ok imaevm-evmctl hmac $args "$same_file/$f"
        expect_eq "$want" "$(xattr_hex "$same_file/$f" security.evm)" "hmac $args $f"
        expect_eq "" "$OUT" "hmac prints nothing on stdout"
    done
done
# --hmackey FILE (evmctl 1.6): the key from FILE, not from the fixed path
head -c 32 /dev/urandom >"$WORK/alt-key"
cp "$WORK/alt-key" "$keyfile"
expect_ok evmctl hmac -a sha1 "$same_file/a"
want=$(xattr_hex "$same_file/a" security.evm)
setfattr -x security.evm "$same_file/a"
head -c 32 /dev/urandom >"$keyfile"  # another key at the fixed path
expect_ok imaevm-evmctl hmac --hmackey "$WORK/alt-key" -a sha1 "$same_file/a"
expect_eq "$want" "$(xattr_hex "$same_file/a" security.evm)" "hmac --hmackey"
expect_status 125 imaevm-evmctl hmac --hmackey "$WORK/no-such-key" "$same_file/a"
both --no-xattrs hmac noima
both --no-xattrs hmac -d noima
both --no-xattrs hmac -s -k "$K/rsa.key" noima
both hmac missing
expect_rc 125
touch "$in/bare"
both hmac bare
expect_rc 125
both hmac
expect_rc 125
head -c 129 /dev/urandom >"$keyfile"
both hmac a
expect_rc 125

done_testing
