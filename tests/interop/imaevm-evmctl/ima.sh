#!/usr/bin/env bash
# imaevm-evmctl against evmctl: ima_sign, ima_hash, ima_verify, ima_setxattr,
# ima_clear, ima_fix and sign_hash on the same fresh inputs, with the same
# keys: exit status, stdout and the resulting xattrs must match.
. "$TESTS_DIR/lib/assert.sh"
. "$TESTS_DIR/interop/imaevm-evmctl/compare.sh"
[ "$(id -u)" = 0 ] || fail "needs root: security.* xattrs are compared"
K=$TESTS_DIR/fixtures/keys

in=$WORK/input
mkdir -p "$in/d/sub"
head -c 70000 /dev/urandom >"$in/big"
echo hello >"$in/a"
: >"$in/empty"
echo nested >"$in/d/sub/n"
echo other >"$in/d/o"
ln -s a "$in/link"
mkfifo "$in/fifo"
set_input "$in"

# --- ima_sign: RSA is deterministic, so every byte must match
for algo in sha1 sha224 sha256 sha384 sha512 md5 rmd160 ripemd160; do
    both ima_sign -a $algo -k "$K/rsa.key" big
    expect_rc 0
done
both ima_sign -a sm3 -k "$K/rsa.key" big  # OpenSSL refuses SM3 with RSA
expect_rc 125
both ima_sign --key "$K/rsa.key" empty
both ima_sign -k "$K/rsa.key" -n a
both ima_sign -k "$K/rsa.key" --xattr-user a
both ima_sign -k "$K/rsa.key" -f a
both ima_sign -k "$K/rsa.key" --sigfile -n a
both ima_sign a -k "$K/rsa.key" -v
both ima_sign --keyid 0x12345678 -k "$K/rsa.key" a
both ima_sign --keyid abcdef01 -k "$K/rsa.key" a
both ima_sign --keyid-from-cert "$K/rsa.pem" -k "$K/rsa.key" a
both ima_sign --keyid-from-cert "$K/rsa.der" -k "$K/rsa.key" a
both ima_sign -k "$K/rsa.trad.key" a
both ima_sign -p"$(cat "$K/pass.txt")" -k "$K/rsa.enc.key" a
expect_contains "$(cat "$WORK/err.o")" "warning: a password on the command line"
EVMCTL_KEY_PASSWORD=$(cat "$K/pass.txt") both ima_sign -k "$K/rsa.enc.key" a
# ECDSA: randomised, so compare shapes here and verify crosswise below
both --random ima_sign -k "$K/ec256.key" a
both --random ima_sign -a sha384 -k "$K/ec384.key" big
# error cases: the same status (1 or 125) and nothing changed
both ima_sign -k "$K/rsa.key" missing
expect_rc 125
both ima_sign -k "$WORK/no-such-key" a
expect_rc 125
both ima_sign -k "$K/rsa.key" d
expect_rc 125
both ima_sign -k "$K/rsa.key" link
expect_rc 125
both ima_sign -k "$K/rsa.key" fifo
expect_rc 125
both ima_sign -k "$K/rsa.key"
expect_rc 125
both ima_sign -a foo -k "$K/rsa.key" a
expect_rc 1
both ima_sign -a SHA256 -k "$K/rsa.key" a  # OpenSSL knows it, evmctl's table does not
expect_rc 125
both ima_sign -a sha3-256 -k "$K/rsa.key" a
expect_rc 125
both ima_sign -a wp256 -k "$K/rsa.key" a
expect_rc 1
both ima_sign -a md4 -k "$K/rsa.key" a
expect_rc 1
both ima_sign --keyid zz -k "$K/rsa.key" a
expect_rc 1
both ima_sign --keyid 0 -k "$K/rsa.key" a
expect_rc 1
both ima_sign --keyid-from-cert "$WORK/none.pem" -k "$K/rsa.key" a
expect_rc 1
both ima_sign -k "$K/rsa.enc.key" -pwrong a
expect_rc 125
# no passphrase and no terminal to ask on (setsid: no controlling terminal)
cp -a "$in" "$WORK/nopass"
expect_status 125 setsid -w evmctl ima_sign -k "$K/rsa.enc.key" "$WORK/nopass/a"
expect_status 125 setsid -w imaevm-evmctl ima_sign -k "$K/rsa.enc.key" "$WORK/nopass/a"
expect_contains "$ERR" "set EVMCTL_KEY_PASSWORD"
expect_eq "" "$(xattr_hex "$WORK/nopass/a" security.ima)" "nothing written without the passphrase"
both --no-such-option ima_sign a
expect_rc 1
both ima_sign -k
expect_rc 1

# --- recursive: the same lines in the same order, the same xattrs
both ima_sign -r -k "$K/rsa.key" .
expect_rc 0
expect_eq 5 "$(wc -l <<<"$OUT_O")" "lines of ima_sign -r"
both ima_sign -r -k "$K/rsa.key" d
both ima_sign -r -f -k "$K/rsa.key" d
both ima_sign -r -t m -k "$K/rsa.key" .
both ima_sign -r -t x -k "$K/rsa.key" .
both ima_sign -r -k "$K/rsa.key" a
expect_rc 125
both ima_sign -r -k "$K/rsa.key" missing
expect_rc 125
both ima_sign -r -a foo -k "$K/rsa.key" .
expect_rc 0
both ima_sign -r -k "$WORK/no-such-key" .
expect_rc 0
both ima_hash -r .
both ima_hash -r -a sha512 d
both ima_hash -r -n .
both --random ima_sign -r -k "$K/ec256.key" .

# --- ima_hash
for algo in sha1 sha256 sha512 md5 sm3 rmd160; do
    both ima_hash -a $algo big
done
both ima_hash empty
both ima_hash -n a
both ima_hash --xattr-user a
both ima_hash IMA_HASH_IS_NOT_A_FILE
expect_rc 125
both IMA_HASH a
expect_rc 0
both ima_hash -a foo a
expect_rc 125
both ima_hash -a wp512 a
expect_rc 1
both ima_hash -a md4 a
expect_rc 1
both ima_hash -a wp512 missing
expect_rc 125
both ima_hash -a wp512 d
expect_rc 1
both ima_hash d
expect_rc 125
both ima_hash
expect_rc 125

# --- ima_verify, on values both tools made
sign_all() { evmctl ima_sign -k "$K/rsa.key" "$1/a" >/dev/null 2>&1; evmctl ima_sign -k "$K/rsa.key" "$1/big" >/dev/null 2>&1; }
signed=$WORK/signed
rm -rf "$signed"
cp -a "$in" "$signed"
sign_all "$signed"
evmctl ima_sign -f -n -k "$K/rsa.key" "$signed/d/o" >/dev/null 2>&1
evmctl ima_hash "$signed/empty" >/dev/null 2>&1
cp -a --preserve=xattr "$signed/a" "$signed/altered"
echo more >>"$signed/altered"
v=$(xattr_hex "$signed/big" security.ima)
cp -a --preserve=xattr "$signed/big" "$signed/corrupt"
setfattr -n security.ima -v "0x${v:0:60}00${v:62}" "$signed/corrupt"
cp -a --preserve=xattr "$signed/big" "$signed/short"
setfattr -n security.ima -v "0x${v:0:18}" "$signed/short"
cp -a "$signed/a" "$signed/sigsize"
setfattr -n security.ima -v "0x${v:0:14}0000${v:18}" "$signed/big"  # sig_size 0: evmctl ignores it
set_input "$signed"
both ima_verify -k "$K/rsa.der" a
expect_rc 0
expect_contains "$(cat "$WORK/err.o")" "a: verification is OK"
both ima_verify -k "$K/rsa.der" a big
both ima_verify -k "$K/rsa.der" a altered
expect_rc 1
both ima_verify -k "$K/rsa.der" corrupt
expect_rc 1
both ima_verify -k "$K/rsa.der" short
expect_rc 1
both ima_verify -k "$K/rsa.der" empty
expect_rc 1
both ima_verify -k "$K/rsa.der" missing a
expect_rc 1
both ima_verify -k "$K/rsa.der" link
expect_rc 1
both ima_verify -k "$K/ec256.der" a
expect_rc 1
both ima_verify -k "$K/ec256.der,$K/rsa.der" a
expect_rc 0
both ima_verify -k "$K/ec256.der $K/rsa.der" a
expect_rc 0
both ima_verify -k "$K/other.der" a
expect_rc 1
both ima_verify -f -k "$K/rsa.der" d/o
expect_rc 0
both ima_verify -f -k "$K/rsa.der" a
expect_rc 1
both ima_verify -k "$K/rsa.der"
expect_rc 125
cp -a "$signed" "$WORK/user"
evmctl ima_sign --xattr-user -k "$K/rsa.key" "$WORK/user/empty" >/dev/null 2>&1
set_input "$WORK/user"
both ima_verify --xattr-user -k "$K/rsa.der" empty
expect_rc 0
both ima_verify -k "$K/rsa.der" empty
expect_rc 1
set_input "$signed"

# ECDSA crosswise: each verifies the other's signature
cp -a "$in" "$WORK/ec"
for algo in sha256 sha384 sha512; do
    for key in ec256 ec384; do
        evmctl ima_sign -a $algo -k "$K/$key.key" "$WORK/ec/a" >/dev/null 2>&1
        expect_ok imaevm-evmctl ima_verify -k "$K/$key.der" "$WORK/ec/a"
        expect_ok imaevm-evmctl ima_sign -a $algo -k "$K/$key.key" "$WORK/ec/a"
        expect_ok evmctl ima_verify -k "$K/$key.der" "$WORK/ec/a"
    done
done

# --- ima_setxattr
set_input "$signed"
both ima_setxattr d/o
both ima_setxattr -f d/o.sig empty
both ima_setxattr -f d/o.sig link
both ima_setxattr a
expect_rc 0
both ima_setxattr missing
expect_rc 0
both ima_setxattr
expect_rc 125

# --- ima_clear and ima_fix
both ima_clear a
both ima_clear link
both ima_clear missing
expect_rc 0
both ima_clear -r .
both ima_clear -r -t m .
both ima_clear -r -t d .
both ima_clear -r a
expect_rc 125
both ima_fix a
both ima_fix missing
expect_rc 125
both ima_fix d
both ima_fix -r -t fxm .
both ima_fix -r .
both ima_fix
expect_rc 125

# --- sign_hash
sha256sum "$in/big" "$in/a" >"$WORK/sums256"
sha1sum "$in/big" >"$WORK/sums1"
printf '%s\n' "$(sha256sum "$in/a" | cut -d' ' -f1),a" "$(sha256sum "$in/big" | cut -d' ' -f1)	tab" >"$WORK/sums-sep"
printf '%s' "$(sha256sum "$in/a")" >"$WORK/sums-noeol"
{ sha256sum "$in/a"; echo; sha256sum "$in/big"; } >"$WORK/sums-blank"
: >"$WORK/sums-none"
set_input "$in"
both --stdin "$WORK/sums256" sign_hash -k "$K/rsa.key"
expect_rc 0
expect_eq 2 "$(wc -l <<<"$OUT_O")" "sign_hash lines"
both --stdin "$WORK/sums1" sign_hash -a sha1 -k "$K/rsa.key"
both --stdin "$WORK/sums-sep" sign_hash -k "$K/rsa.key"
both --stdin "$WORK/sums-noeol" sign_hash -k "$K/rsa.key"
both --stdin "$WORK/sums-blank" sign_hash -k "$K/rsa.key"
expect_rc 125
both --stdin "$WORK/sums1" sign_hash -k "$K/rsa.key"
expect_rc 125
both --stdin "$WORK/sums-none" sign_hash -k "$K/rsa.key"
expect_rc 125
both --stdin "$WORK/sums256" sign_hash -k "$WORK/no-such-key"
expect_rc 125
both --stdin "$WORK/sums256" sign_hash --keyid 0badcafe -k "$K/rsa.key"
both --random --stdin "$WORK/sums256" sign_hash -k "$K/ec256.key"

# --- sign_hash --veritysig (evmctl 1.5): evmctl 1.4 has no such option, so
# OpenSSL checks the value over the ima_file_id the kernel hashes
# (type 0x06, the algorithm's hash_algo id, the fs-verity digest).
need fsverity xxd openssl
fsverity digest "$in/big" "$in/a" >"$WORK/verity-lines"
expect_ok sh -c "imaevm-evmctl sign_hash --veritysig -k '$K/rsa.key' <'$WORK/verity-lines'"
expect_eq 2 "$(wc -l <<<"$OUT")" "sign_hash --veritysig lines"
openssl x509 -in "$K/rsa.pem" -pubkey -noout >"$WORK/rsa-pub.pem"
n=0
while read -r dgst path value; do
    n=$((n + 1))
    expect_eq "$(grep -F " $path" "$WORK/verity-lines")" "$dgst $path" "line $n is the input line"
    expect_eq "060304$(cert_keyid "$K/rsa.pem")0100" "${value:0:18}" "line $n: type 6, v3, sha256, key id, 256-byte signature"
    printf '%s' "${value:18}" | xxd -r -p >"$WORK/vsig.bin"
    printf '0604%s' "${dgst#sha256:}" | xxd -r -p | openssl dgst -sha256 -binary >"$WORK/vsigned.bin"
    expect_ok openssl pkeyutl -verify -pubin -inkey "$WORK/rsa-pub.pem" -pkeyopt digest:sha256 \
        -in "$WORK/vsigned.bin" -sigfile "$WORK/vsig.bin"
done <<<"$OUT"
expect_eq 2 "$n" "sign_hash --veritysig values checked"
# sha512 fs-verity digests keep their algorithm (hash_algo 6); a sha256sum
# line is refused naming the line (evmctl logs and skips it; we do not sign
# what we could not read), status 125.
fsverity digest --hash-alg=sha512 "$in/a" >"$WORK/verity512"
expect_ok sh -c "imaevm-evmctl sign_hash --veritysig -k '$K/ec256.key' <'$WORK/verity512'"
expect_eq "$(cat "$WORK/verity512") 060306" "${OUT:0:$(($(wc -c <"$WORK/verity512") + 6))}" "sha512 line keeps its algorithm"
expect_status 125 sh -c "imaevm-evmctl sign_hash --veritysig -k '$K/rsa.key' <'$WORK/sums256'"
expect_contains "$ERR" "stdin line 1: not an fsverity digest line"

# --- keys the other tools refuse (RSA under 2048 bits, curves other than
# P-256/P-384): evmctl signs with them, and so does the drop-in, with a
# warning (upstream's sign_verify.test signs with RSA-1024 and prime192v1).
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$WORK/rsa1024.key" 2>/dev/null
openssl ecparam -name prime192v1 -genkey -noout 2>/dev/null | openssl pkey -out "$WORK/p192.key"
both ima_sign -k "$WORK/rsa1024.key" a
expect_rc 0
expect_contains "$(cat "$WORK/err.o")" "RSA key of 1024 bits is too short; signing with it as evmctl does"
both ima_sign -a sha1 -k "$WORK/rsa1024.key" big
expect_rc 0
both --random ima_sign -k "$WORK/p192.key" a
expect_rc 0
expect_contains "$(cat "$WORK/err.o")" "curve prime192v1"

# --- the command line itself
both --as-evmctl
both --as-evmctl -h
both --as-evmctl ima_sign --help
both help
both help ima_sign
for c in help import convert sign verify ima_sign ima_verify ima_setxattr ima_hash ima_measurement \
    ima_boot_aggregate ima_fix ima_clear sign_hash hmac; do
    both help "$c"
    expect_rc 0
done
both help nonsense
expect_rc 125
both nonsense
expect_rc 125
both -v ima_hash -n a
# under the name evmctl it says evmctl; under its own name, imaevm-evmctl
both --as-evmctl ima_sign -k "$WORK/no-such-key" a
expect_rc 125
expect_contains "$(cat "$WORK/err.o")" "evmctl: error: "
expect_not_contains "$(cat "$WORK/err.o")" "imaevm-evmctl"
both ima_sign -k "$WORK/no-such-key" a
expect_contains "$(cat "$WORK/err.o")" "imaevm-evmctl: error: a: "
expect_one_line "$(cat "$WORK/err.o")"
# --version: evmctl's version first (for scripts that check it), then ours
expect_ok "$WORK/as-evmctl/evmctl" --version
expect_eq "evmctl 1.4" "$(cut -d' ' -f1-2 <<<"$OUT")" "--version under the name evmctl"
expect_ok imaevm-evmctl --version
expect_contains "$OUT" "imaevm-evmctl 1.4 (imaevm-tools "

done_testing
