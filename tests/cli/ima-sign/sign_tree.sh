#!/usr/bin/env bash
# Signing a tree: every regular file once, through security.ima and user.ima;
# links, devices and FIFOs left alone; excludes honoured; verify agrees.
. "$TESTS_DIR/lib/assert.sh"
need getfattr setfattr openssl
K=$TESTS_DIR/fixtures/keys

t=$WORK/tree
mkdir -p "$t/usr/bin" "$t/usr/lib" "$t/etc" "$t/var/cache"
for i in $(seq 1 50); do head -c $((i * 100)) /dev/urandom >"$t/usr/lib/lib$i.so"; done
printf '#!/bin/sh\necho hi\n' >"$t/usr/bin/hello"
echo conf >"$t/etc/app.conf"
echo cache >"$t/var/cache/x.tmp"
ln -s hello "$t/usr/bin/hello-link"
ln "$t/etc/app.conf" "$t/etc/app-hard.conf"
mkfifo "$t/etc/fifo"
mknod "$t/etc/null" c 1 3
: >"$t/empty"

for ns in security user; do
    flag=; [ $ns = user ] && flag=--xattr-user
    expect_ok ima-sign sign -q $flag -k "$K/rsa.key" -c "$K/rsa.pem" --exclude '*.tmp' "$t"
    expect_eq "" "$OUT" "stdout of a quiet run"
    n=0
    while IFS= read -r -d '' f; do
        case "$f" in
            */x.tmp) has_xattr "$f" $ns.ima && fail "$f was excluded but signed" || pass ;;
            */app-hard.conf|*/app.conf) ;;  # one inode, checked below
            *) has_xattr "$f" $ns.ima || fail "$f has no $ns.ima"; pass; n=$((n + 1)) ;;
        esac
    done < <(find "$t" -type f -print0)
    expect_eq 52 "$n" "signed regular files"
    has_xattr "$t/etc/app.conf" $ns.ima || fail "hard-linked file not signed"
    pass
    # verify the whole tree, then break one file
    expect_ok ima-sign verify -q $flag -c "$K/rsa.pem" --exclude '*.tmp' "$t"
    echo tampered >>"$t/usr/lib/lib7.so"
    expect_status 1 ima-sign verify -q $flag -c "$K/rsa.pem" --exclude '*.tmp' "$t"
    expect_eq "ima-sign: error: $t/usr/lib/lib7.so: bad signature (key id $(cert_keyid "$K/rsa.pem"), sha256)" "$ERR"
    # clear removes them all
    expect_ok ima-sign clear -q $flag "$t"
    has_xattr "$t/usr/bin/hello" $ns.ima && fail "clear left $ns.ima" || pass
done

# the symlink itself carries nothing, and its target was signed through its own path
getfattr -h -n security.ima "$t/usr/bin/hello-link" >/dev/null 2>&1 && fail "a symlink got an xattr" || pass

# hash: every file gets the digest value; -j 1 and -j 8 give the same values
expect_ok ima-sign hash -q -j 1 -a sha512 "$t/usr/lib"
v1=$(xattr_hex "$t/usr/lib/lib3.so" security.ima)
expect_ok ima-sign hash -q -j 8 -a sha512 "$t/usr/lib"
expect_eq "$v1" "$(xattr_hex "$t/usr/lib/lib3.so" security.ima)" "digest value with -j 1 and -j 8"
expect_eq "0406$(sha512sum "$t/usr/lib/lib3.so" | cut -c1-128)" "$v1" "sha512 digest value"
expect_ok ima-sign verify -q "$t/usr/lib"

# one filesystem: a tmpfs mounted inside the tree is skipped unless --cross-fs
mkdir "$t/mnt"
if mount -t tmpfs none "$t/mnt" 2>/dev/null; then
    on_exit "umount_mnt"; umount_mnt() { umount "$t/mnt"; }
    echo inner >"$t/mnt/inner"
    expect_ok ima-sign sign -q --xattr-user -k "$K/rsa.key" "$t"
    has_xattr "$t/mnt/inner" user.ima && fail "crossed into another filesystem" || pass
    expect_ok ima-sign sign -q --xattr-user --cross-fs -k "$K/rsa.key" "$t"
    has_xattr "$t/mnt/inner" user.ima || fail "--cross-fs did not descend"
    pass
else
    fail "cannot mount a tmpfs to test --cross-fs (run as root)"
fi
done_testing
