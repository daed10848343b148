#!/usr/bin/env bash
# fs-verity signatures (type 0x06, v3): the digest as `fsverity digest`
# computes it, the signature as OpenSSL checks it over the ima_file_id, the
# same bytes from `sign --veritysig` and from `sign-hash --veritysig`.
# (evmctl 1.4 has no --veritysig, so OpenSSL is the independent oracle.)
. "$TESTS_DIR/lib/assert.sh"
need fsverity openssl xxd
K=$TESTS_DIR/fixtures/keys
f=$WORK/prog
head -c 100000 /dev/urandom >"$f"
expect_ok ima-sign sign -q --veritysig --xattr-user -k "$K/rsa.key" -c "$K/rsa.pem" "$f"
value=$(xattr_hex "$f" user.ima)
expect_eq "060304$(cert_keyid "$K/rsa.pem")0100" "${value:0:18}" "header: type 6, v3, sha256, key id, 256-byte signature"
printf '%s' "${value:18}" | xxd -r -p >"$WORK/sig.bin"
digest=$(fsverity digest --compact "$f")
printf '0604%s' "$digest" | xxd -r -p | openssl dgst -sha256 -binary >"$WORK/signed.bin"
openssl x509 -in "$K/rsa.pem" -pubkey -noout >"$WORK/pub.pem"
expect_ok openssl pkeyutl -verify -pubin -inkey "$WORK/pub.pem" -pkeyopt digest:sha256 -in "$WORK/signed.bin" -sigfile "$WORK/sig.bin"
expect_ok ima-sign verify --xattr-user -c "$K/rsa.pem" "$f"
expect_contains "$OUT" "fsverity-signature sha256"
# sign-hash on fsverity digest lines gives the same value (RSA is deterministic).
line=$(fsverity digest "$f")
expect_ok sh -c "echo '$line' | ima-sign sign-hash --veritysig -k '$K/rsa.key'"
expect_eq "$line $value" "$OUT" "sign-hash --veritysig"
# ECDSA P-256 and sha512 verify too.
expect_ok ima-sign sign -q --veritysig -a sha512 --xattr-user -k "$K/ec256.key" -c "$K/ec256.pem" "$f"
expect_ok ima-sign verify --xattr-user -c "$K/ec256.pem" "$f"
expect_contains "$OUT" "fsverity-signature sha512"
# An altered file fails; fs-verity takes sha256 and sha512 only.
echo x >>"$f"
expect_status 1 ima-sign verify --xattr-user -c "$K/ec256.pem" "$f"
expect_contains "$ERR" "bad signature"
expect_status 2 ima-sign sign -q --veritysig -a sha384 --xattr-user -k "$K/rsa.key" "$f"
expect_eq "ima-sign: error: fs-verity digests use sha256 or sha512, not sha384" "$ERR"
done_testing
