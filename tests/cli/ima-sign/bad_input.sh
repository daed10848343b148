#!/usr/bin/env bash
# Bad input: one clear line naming the file and the cause, the exit status
# from SPEC.md (1 bad, 2 usage, 3 environment), and nothing half-written.
. "$TESTS_DIR/lib/assert.sh"
need getfattr setfattr setpriv
K=$TESTS_DIR/fixtures/keys
f=$WORK/file
echo data >"$f"

# keys
printf 'wrong\n' >"$WORK/wrong-pass"
expect_status 3 ima-sign sign -k "$K/rsa.enc.key" --pass-file "$WORK/wrong-pass" "$f"
expect_eq "ima-sign: error: key $K/rsa.enc.key: wrong passphrase or corrupted encrypted key" "$ERR"
has_xattr "$f" security.ima && fail "xattr written after a key error" || pass
IMAEVM_KEY_PASS=test-pass expect_ok ima-sign sign -q -k "$K/rsa.enc.key" "$f"
expect_ok ima-sign sign -q -k "$K/rsa.trad.enc.key" --pass-file "$K/pass.txt" "$f"
expect_status 3 ima-sign sign -k "$K/rsa.enc.key" "$f" </dev/null
expect_contains "$ERR" "encrypted and no passphrase given"
expect_one_line "$ERR"
expect_status 2 ima-sign sign -k "$K/rsa.key" --pass secret "$f"   # never from argv
expect_status 3 ima-sign sign -k "$K/rsa.pem" "$f"
expect_eq "ima-sign: error: key $K/rsa.pem: not a private key (expected PEM or DER, PKCS#8 or traditional)" "$ERR"
expect_status 3 ima-sign sign -k "$WORK/nope.key" "$f"
expect_eq "ima-sign: error: key $WORK/nope.key: No such file or directory" "$ERR"
expect_status 2 ima-sign sign -k "$K/rsa.key" -c "$K/other.pem" "$f"
expect_eq "ima-sign: error: certificate $K/other.pem does not match the private key $K/rsa.key" "$ERR"
echo garbage >"$WORK/garbage.pem"
# A certificate the tool is given and cannot use is an environment error, like such a key.
expect_status 3 ima-sign sign -k "$K/rsa.key" -c "$WORK/garbage.pem" "$f"
expect_eq "ima-sign: error: certificate $WORK/garbage.pem: not an X.509 certificate (PEM or DER)" "$ERR"

# options
expect_status 2 ima-sign sign -k "$K/rsa.key" -a sha999 "$f"
expect_eq "ima-sign: error: unknown hash algorithm 'sha999'" "$ERR"
expect_status 2 ima-sign sign -k "$K/rsa.key" --keyid 12 "$f"
expect_one_line "$ERR"
expect_status 2 ima-sign frobnicate
expect_status 2 ima-sign sign "$f"
expect_one_line "$ERR"

# operands
setfattr -x security.ima "$f"
mkfifo "$WORK/fifo"
ln -s "$f" "$WORK/link"
expect_status 1 ima-sign sign -k "$K/rsa.key" "$WORK/fifo"
expect_eq "ima-sign: error: $WORK/fifo: not a regular file" "$(echo "$ERR" | head -1)"
expect_status 1 ima-sign sign -k "$K/rsa.key" "$WORK/link"
expect_eq "ima-sign: error: $WORK/link: is a symbolic link (not followed)" "$(echo "$ERR" | head -1)"
has_xattr "$f" security.ima && fail "a symlink operand signed its target" || pass
expect_status 3 ima-sign sign -k "$K/rsa.key" "$WORK/missing" "$f"
expect_eq "ima-sign: error: $WORK/missing: No such file or directory" "$(echo "$ERR" | head -1)"
has_xattr "$f" security.ima || fail "the good operand beside a missing one was not signed"
pass

# unreadable file and no permission to set security.*, as an unprivileged user
mkdir -m 755 "$WORK/u"
echo secret >"$WORK/u/secret"; chmod 600 "$WORK/u/secret"
echo open >"$WORK/u/open"; chmod 644 "$WORK/u/open"
cp "$K/rsa.key" "$WORK/u/key"; chmod 644 "$WORK/u/key"
chmod 755 "$WORK"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
expect_status 3 as_nobody "$IMAEVM_BIN/ima-sign" hash --xattr-user "$WORK/u/secret"
expect_eq "ima-sign: error: $WORK/u/secret: Permission denied" "$(echo "$ERR" | head -1)"
expect_status 3 as_nobody "$IMAEVM_BIN/ima-sign" sign -k "$WORK/u/key" "$WORK/u/open"
expect_contains "$ERR" "$WORK/u/open: setting security.ima: "
has_xattr "$WORK/u/open" security.ima && fail "half-written security.ima" || pass

# malformed values: verify names the file and the field
for v in 0x03 0x0302 0x030204aabbccdd0100ff 0x07aabb 0x04041234 0x0302047c6f68e50002aabbcc; do
    setfattr -n security.ima -v "$v" "$f"
    expect_status 1 ima-sign verify -c "$K/rsa.pem" "$f"
    expect_contains "$(echo "$ERR" | head -1)" "ima-sign: error: $f: malformed security.ima: "
done
setfattr -x security.ima "$f"
expect_status 1 ima-sign verify -c "$K/rsa.pem" "$f"
expect_eq "ima-sign: error: $f: no security.ima" "$(echo "$ERR" | head -1)"
# a signature from a key we were not given
ima-sign sign -q -k "$K/other.key" "$f"
expect_status 1 ima-sign verify -c "$K/rsa.pem" "$f"
expect_contains "$ERR" "$f: no certificate for key id "
# a flipped bit in the signature
ima-sign sign -q -k "$K/rsa.key" "$f"
good=$(xattr_hex "$f" security.ima)
setfattr -n security.ima -v "0x${good:0:40}$(printf '%02x' $(( 0x${good:40:2} ^ 1 )))${good:42}" "$f"
expect_status 1 ima-sign verify -c "$K/rsa.pem" "$f"
expect_contains "$ERR" "$f: bad signature"

# sign-hash: a bad line is named by its number
printf '%s  a\nnothex  b\n' "$(sha256sum "$f" | cut -c1-64)" >"$WORK/lines"
expect_status 1 ima-sign sign-hash -k "$K/rsa.key" <"$WORK/lines"
expect_eq "ima-sign: error: stdin line 2: digest: not a hex digit at position 0" "$ERR"
expect_eq 1 "$(echo "$OUT" | wc -l)" "lines signed before the bad one"
expect_status 1 ima-sign sign-hash -k "$K/rsa.key" <<<'abcd  short'
expect_eq "ima-sign: error: stdin line 1: digest has 2 bytes, sha256 needs 32" "$ERR"
done_testing
