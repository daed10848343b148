#!/usr/bin/env bash
# ima-sign against evmctl (ima-evm-utils), both directions:
# RSA-2048 and ECDSA P-256 with sha1, sha256, sha384, sha512.
. "$TESTS_DIR/lib/assert.sh"
need evmctl getfattr setfattr
K=$TESTS_DIR/fixtures/keys
d=$WORK/files
mkdir -p "$d"
head -c 100000 /dev/urandom >"$d/ours"
cp "$d/ours" "$d/theirs"
: >"$d/empty"

for algo in sha1 sha256 sha384 sha512; do
    # RSA: PKCS#1 v1.5 is deterministic, so the bytes are evmctl's bytes
    for f in ours empty; do
        expect_ok ima-sign sign -q -a $algo -k "$K/rsa.key" -c "$K/rsa.pem" "$d/$f"
        ours=$(xattr_hex "$d/$f" security.ima)
        expect_ok evmctl ima_sign -a $algo --key "$K/rsa.key" "$d/$f"
        expect_eq "$(xattr_hex "$d/$f" security.ima)" "$ours" "RSA $algo value for $f vs evmctl"
    done
    ima-sign sign -q -a $algo -k "$K/rsa.key" "$d/ours"
    expect_ok evmctl ima_verify --key "$K/rsa.der" "$d/ours"
    evmctl ima_sign -a $algo --key "$K/rsa.key" "$d/theirs" >/dev/null 2>&1
    expect_ok ima-sign verify -q -c "$K/rsa.pem" "$d/theirs"

    # ECDSA P-256: randomised, so each side verifies the other's
    expect_ok ima-sign sign -q -a $algo -k "$K/ec256.key" "$d/ours"
    expect_ok evmctl ima_verify --key "$K/ec256.der" "$d/ours"
    expect_ok evmctl ima_sign -a $algo --key "$K/ec256.key" "$d/theirs"
    expect_ok ima-sign verify -q -c "$K/ec256.pem" "$d/theirs"

    # digests: the value ima_hash writes
    expect_ok ima-sign hash -q -a $algo "$d/ours"
    ours=$(xattr_hex "$d/ours" security.ima)
    evmctl ima_hash -a $algo "$d/ours" >/dev/null 2>&1
    expect_eq "$(xattr_hex "$d/ours" security.ima)" "$ours" "ima_hash $algo"
    expect_ok ima-sign verify -q "$d/ours"

    # sign-hash: stdin to stdout exactly as evmctl sign_hash
    sum=$(${algo}sum "$d/ours")
    want=$(evmctl sign_hash -a $algo --key "$K/rsa.key" <<<"$sum" 2>/dev/null)
    expect_ok ima-sign sign-hash -a $algo -k "$K/rsa.key" <<<"$sum"
    expect_eq "$want" "$OUT" "sign-hash $algo vs evmctl sign_hash"
done

# ECDSA P-384 and encrypted keys work with evmctl's verifier too
expect_ok ima-sign sign -q -a sha384 -k "$K/ec384.enc.key" --pass-file "$K/pass.txt" "$d/ours"
expect_ok evmctl ima_verify --key "$K/ec384.der" "$d/ours"

# rejections: an altered file, a wrong key, a corrupted value
ima-sign sign -q -k "$K/rsa.key" "$d/ours"
cp --preserve=xattr "$d/ours" "$d/altered"
echo x >>"$d/altered"
expect_status 1 ima-sign verify -c "$K/rsa.pem" "$d/altered"
expect_status 1 evmctl ima_verify --key "$K/rsa.der" "$d/altered"
expect_status 1 ima-sign verify -c "$K/other.pem" "$d/ours"
v=$(xattr_hex "$d/ours" security.ima)
setfattr -n security.ima -v "0x${v:0:100}00${v:102}" "$d/ours"
expect_status 1 ima-sign verify -c "$K/rsa.pem" "$d/ours"
expect_status 1 evmctl ima_verify --key "$K/rsa.der" "$d/ours"

# a tree signed recursively by evmctl verifies with ours, and the reverse
mkdir -p "$WORK/tree/a/b"
for i in 1 2 3 4 5; do head -c $((i * 999)) /dev/urandom >"$WORK/tree/a/b/f$i"; done
expect_ok evmctl ima_sign -r --key "$K/rsa.key" "$WORK/tree"
expect_ok ima-sign verify -q -c "$K/rsa.pem" "$WORK/tree"
expect_ok ima-sign sign -q -k "$K/ec256.key" "$WORK/tree"
for i in 1 2 3 4 5; do expect_ok evmctl ima_verify --key "$K/ec256.der" "$WORK/tree/a/b/f$i"; done
done_testing
