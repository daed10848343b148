#!/usr/bin/env bash
# ima-sign tar: every regular file of a tar stream signed into SCHILY.xattr
# PAX records, everything else passed through; GNU tar and bsdtar restore the
# values; stdin to stdout as an unprivileged user, in constant memory.
. "$TESTS_DIR/lib/assert.sh"
need tar bsdtar getfattr setfattr setpriv evmctl
K=$TESTS_DIR/fixtures/keys
src=$WORK/src
mkdir -p "$src/usr/bin" "$src/etc" "$src/lib/modules/6.1/kernel/a/very/long/path/that/needs/a/pax/header/to/be/stored/in/a/tar/archive"
cp /bin/ls "$src/usr/bin/ls"
printf 'conf\n' >"$src/etc/conf"
: >"$src/etc/empty"
printf 'module\n' >"$src/lib/modules/6.1/kernel/a/very/long/path/that/needs/a/pax/header/to/be/stored/in/a/tar/archive/m.ko"
printf 'naïve\n' >"$src/etc/ünïcode file"
head -c $((9 * 1024 * 1024 + 7)) /dev/urandom >"$src/big"  # above the in-memory threshold (4 MiB): spooled
ln -s ls "$src/usr/bin/dir"
ln "$src/etc/conf" "$src/etc/conf.hard"
mkfifo "$src/fifo"
setfattr -n user.keep -v kept "$src/etc/conf"
setfattr -n security.ima -v 0x0404deadbeef "$src/usr/bin/ls"  # a stale value the signer replaces
tar --xattrs --xattrs-include='*' -cf "$WORK/in.tar" -C "$src" .

expect_ok ima-sign tar -k "$K/rsa.key" -c "$K/rsa.pem" --manifest "$WORK/tar.json" "$WORK/in.tar" "$WORK/out.tar"
expect_contains "$ERR" "signed 6 of"

# GNU tar restores the values; every file verifies; the rest is unchanged.
mkdir "$WORK/gnu" "$WORK/plain"
tar --xattrs --xattrs-include='*' -xf "$WORK/out.tar" -C "$WORK/gnu"
tar -xf "$WORK/in.tar" -C "$WORK/plain"
expect_ok diff -r --no-dereference -x fifo "$WORK/plain" "$WORK/gnu"
expect_ok ima-sign verify -c "$K/rsa.pem" "$WORK/gnu"
expect_contains "$ERR" "verified 6 files"   # the hard link is one file
expect_eq "kept" "$(getfattr --absolute-names --only-values -n user.keep "$WORK/gnu/etc/conf")" "user xattr passed through"
[ -L "$WORK/gnu/usr/bin/dir" ] && [ -p "$WORK/gnu/fifo" ] || fail "symlink or fifo lost"
pass
[ "$(stat -c %i "$WORK/gnu/etc/conf")" = "$(stat -c %i "$WORK/gnu/etc/conf.hard")" ] || fail "hard link lost"
pass
expect_ok evmctl ima_verify --key "$K/rsa.der" "$WORK/gnu/usr/bin/ls"
has_xattr "$WORK/gnu/fifo" security.ima && fail "a fifo got a signature" || pass
strings "$WORK/out.tar" >"$WORK/strings"
grep -q 'LIBARCHIVE.xattr' "$WORK/strings" && fail "LIBARCHIVE.xattr records written" || pass
grep -q 'SCHILY.xattr.security.ima' "$WORK/strings" || fail "no SCHILY.xattr.security.ima record"
pass

# bsdtar restores them too.
mkdir "$WORK/bsd"
bsdtar --xattrs -xpf "$WORK/out.tar" -C "$WORK/bsd"
expect_ok ima-sign verify -c "$K/rsa.pem" "$WORK/bsd"

# The same values as signing the extracted tree (RSA is deterministic).
cp -a "$WORK/plain" "$WORK/tree"
expect_ok ima-sign sign -q -k "$K/rsa.key" -c "$K/rsa.pem" --manifest "$WORK/tree.json" "$WORK/tree"
expect_eq "$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["files"]))' "$WORK/tree.json")" \
    "$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["files"]))' "$WORK/tar.json")" \
    "manifest of the tar run vs the tree run"
expect_eq "no root|$(cd "$WORK" && pwd -P)/tree" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("root", "no root"))' "$WORK/tar.json")|$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["root"])' "$WORK/tree.json")" \
    "a tar manifest names no folder of this host; a tree's names its root"

# stdin to stdout, as an unprivileged user who cannot set security.* anywhere.
cp "$K/rsa.key" "$WORK/nobody.key"
chown nobody "$WORK/nobody.key" "$WORK"
setpriv --reuid=nobody --regid=nogroup --clear-groups ima-sign tar -q -k "$WORK/nobody.key" - - \
    <"$WORK/in.tar" >"$WORK/piped.tar" || fail "unprivileged stdin-to-stdout run failed"
pass
# Same bytes; a pipe gets the last block padded to the full record size.
expect_ok cmp -n "$(stat -c %s "$WORK/out.tar")" "$WORK/out.tar" "$WORK/piped.tar"

# Constant memory: a 300 MiB file streamed through a pipe takes no more
# memory than a 30 MiB one (and under 64 MiB in a normal build; sanitizer
# builds add their own overhead, so the comparison is what is asserted).
peak() { # peak SIZE: peak RSS in KiB of signing a tar holding one SIZE file
    rm -rf "$WORK/large" && mkdir "$WORK/large" && truncate -s "$1" "$WORK/large/zeros"
    tar -cf - -C "$WORK/large" . | /usr/bin/time -f %M -o "$WORK/rss" ima-sign tar -q -k "$K/ec256.key" - - |
        tar --xattrs --xattrs-include='security.*' -tvf - >/dev/null
    cat "$WORK/rss"
}
small=$(peak 30M)
large=$(peak 300M)
[ "$large" -lt $((small + 16 * 1024)) ] || fail "peak memory grows with the entry: ${small} KiB for 30 MiB, ${large} KiB for 300 MiB"
pass
if [ -z "${ASAN_OPTIONS:-}" ]; then
    [ "$large" -lt $((64 * 1024)) ] || fail "peak memory ${large} KiB for a 300 MiB entry"
    pass
fi

# sigv3 and ECDSA through tar.
expect_ok ima-sign tar -q --sigv3 -k "$K/ec256.key" -c "$K/ec256.pem" "$WORK/in.tar" "$WORK/v3.tar"
mkdir "$WORK/v3" && tar --xattrs --xattrs-include='*' -xf "$WORK/v3.tar" -C "$WORK/v3"
expect_ok ima-sign verify -c "$K/ec256.pem" "$WORK/v3"
expect_contains "$OUT" "signature-v3"

# --evm-portable: security.evm from the header's uid, gid, mode and xattrs,
# which evmctl verify accepts on the extracted file, until the mode changes.
expect_ok ima-sign tar -q --evm-portable -k "$K/rsa.key" -c "$K/rsa.pem" "$WORK/in.tar" "$WORK/evm.tar"
mkdir "$WORK/evm" && tar --xattrs --xattrs-include='*' -xpf "$WORK/evm.tar" -C "$WORK/evm"
expect_eq "0502" "$(xattr_hex "$WORK/evm/usr/bin/ls" security.evm | head -c 4)" "portable EVM signature, v2"
expect_ok evmctl verify --key "$K/rsa.der" "$WORK/evm/usr/bin/ls"
expect_ok evmctl verify --key "$K/rsa.der" "$WORK/evm/etc/conf"
chmod 0700 "$WORK/evm/usr/bin/ls"
expect_status 1 evmctl verify --key "$K/rsa.der" "$WORK/evm/usr/bin/ls"

# Bad input: one line naming the input, exit 1, no output file left behind.
head -c 3000 "$WORK/in.tar" >"$WORK/truncated.tar"
expect_status 1 ima-sign tar -k "$K/rsa.key" "$WORK/truncated.tar" "$WORK/t-out.tar"
expect_one_line "$ERR"
expect_contains "$ERR" "ima-sign: error: $WORK/truncated.tar: "
[ ! -e "$WORK/t-out.tar" ] && [ -z "$(ls "$WORK" | grep 't-out.tar.')" ] || fail "partial output left behind"
pass
head -c 5000 /dev/urandom >"$WORK/garbage.tar"
expect_status 1 ima-sign tar -k "$K/rsa.key" "$WORK/garbage.tar" "$WORK/g-out.tar"
expect_one_line "$ERR"
expect_contains "$ERR" "$WORK/garbage.tar: not a readable tar stream"
expect_status 3 ima-sign tar -k "$K/rsa.key" "$WORK/missing.tar" "$WORK/m-out.tar"
expect_eq "ima-sign: error: $WORK/missing.tar: No such file or directory" "$ERR"
expect_status 2 ima-sign tar -k "$K/rsa.key" "$WORK/in.tar" "$WORK/in.tar"
done_testing
