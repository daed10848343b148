#!/usr/bin/env bash
# Keys in an HSM: pkcs11: URIs through the OpenSSL pkcs11 engine, against a
# SoftHSM token. RSA signatures from the token equal the software key's (RSA
# PKCS#1 v1.5 is deterministic); ECDSA ones verify; evmctl accepts both.
. "$TESTS_DIR/lib/assert.sh"
need softhsm2-util evmctl openssl
module=/usr/lib/softhsm/libsofthsm2.so
[ -f "$module" ] || fail "SoftHSM module $module is missing (install softhsm2)"
[ -f /usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so ] || fail "the OpenSSL pkcs11 engine is missing (install libengine-pkcs11-openssl)"
K=$TESTS_DIR/fixtures/keys
export SOFTHSM2_CONF=$WORK/softhsm2.conf IMAEVM_PKCS11_MODULE=$module
mkdir "$WORK/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\n' "$WORK/tokens" >"$SOFTHSM2_CONF"
softhsm2-util --init-token --free --label imaevm --pin 1234 --so-pin 5678 >/dev/null
for k in rsa ec256; do
    openssl pkcs8 -topk8 -nocrypt -in "$K/$k.key" -out "$WORK/$k.p8"
    softhsm2-util --import "$WORK/$k.p8" --token imaevm --label "$k" --id "$( [ $k = rsa ] && echo 01 || echo 02)" \
        --pin 1234 >/dev/null
done
printf '1234\n' >"$WORK/pin"
tree=$WORK/tree
mkdir -p "$tree/bin"
for i in $(seq 1 40); do head -c $((i * 997)) /dev/urandom >"$tree/bin/f$i"; done
cp -a "$tree" "$WORK/soft"

uri="pkcs11:token=imaevm;object=rsa;type=private"
expect_ok ima-sign sign -q -j 4 -k "$uri" --pass-file "$WORK/pin" -c "$K/rsa.pem" "$tree"
expect_ok ima-sign sign -q -k "$K/rsa.key" -c "$K/rsa.pem" "$WORK/soft"
for i in 1 17 40; do
    expect_eq "$(xattr_hex "$WORK/soft/bin/f$i" security.ima)" "$(xattr_hex "$tree/bin/f$i" security.ima)" "token vs software f$i"
done
expect_ok ima-sign verify -q -c "$K/rsa.pem" "$tree"
expect_ok evmctl ima_verify --key "$K/rsa.der" "$tree/bin/f3"

# ECDSA on the token, PIN from the environment.
IMAEVM_KEY_PASS=1234 expect_ok ima-sign sign -q -k "pkcs11:token=imaevm;object=ec256;type=private" -c "$K/ec256.pem" "$tree"
expect_ok ima-sign verify -q -c "$K/ec256.pem" "$tree"
expect_ok evmctl ima_verify --key "$K/ec256.der" "$tree/bin/f5"

# sign-hash and tar from the token.
line="$(sha256sum "$tree/bin/f2")"
expect_ok sh -c "echo '$line' | ima-sign sign-hash -k '$uri' --pass-file '$WORK/pin'"
expect_eq "$line $(xattr_hex "$WORK/soft/bin/f2" security.ima)" "$OUT" "sign-hash with the token key"
tar -cf "$WORK/in.tar" -C "$WORK/soft" .
expect_ok ima-sign tar -q -k "$uri" --pass-file "$WORK/pin" "$WORK/in.tar" "$WORK/out.tar"

# Errors: a PIN in the URI is refused (it would be on the command line); a
# wrong PIN and a missing object are one line each, exit 3, nothing written.
expect_status 2 ima-sign sign -k "pkcs11:token=imaevm;object=rsa;pin-value=1234" "$tree/bin/f1"
expect_one_line "$ERR"
expect_contains "$ERR" "use --pass-file FILE or IMAEVM_KEY_PASS instead of pin-value"
expect_not_contains "$ERR" "1234"
printf '9999\n' >"$WORK/wrong"
setfattr -x security.ima "$tree/bin/f1"
# libp11 keeps its RSA method and engine strings after a failed login: not
# ours to free, so LeakSanitizer (ASan builds) is told to look away here.
ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 expect_status 3 ima-sign sign -k "$uri" --pass-file "$WORK/wrong" "$tree/bin/f1"
expect_one_line "$ERR"
expect_contains "$ERR" "ima-sign: error: key $uri: "
has_xattr "$tree/bin/f1" security.ima && fail "xattr written after a token error" || pass
ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 expect_status 3 ima-sign sign -k "pkcs11:token=imaevm;object=nothing;type=private" --pass-file "$WORK/pin" "$tree/bin/f1"
expect_one_line "$ERR"
done_testing
