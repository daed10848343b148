#!/usr/bin/env bash
# ima-keyring against the real kernel keyrings, in a fresh session keyring:
# certificates added and visible in /proc/keys with the key id evmctl reports,
# PEM bundles, folders, list, remove, and refusals that add nothing.
if [ -z "${IMAEVM_KEYRING_SESSION:-}" ]; then
    command -v keyctl >/dev/null || { echo "FAIL: keyctl (keyutils) is missing" >&2; exit 1; }
    IMAEVM_KEYRING_SESSION=1 exec keyctl session - bash "$0"
fi
. "$TESTS_DIR/lib/assert.sh"
need evmctl openssl
K=$TESTS_DIR/fixtures/keys
count() { ima-keyring list --keyring @s | grep -c asymmetric || true; }

# One RSA certificate, DER: in /proc/keys, with evmctl's key id.
expect_ok ima-keyring import --keyring @s "$K/rsa.der"
kid=$(cert_keyid "$K/rsa.pem")
expect_contains "$OUT" "key $kid added to @s"
serial=$(echo "$OUT" | awk '{print $NF}')
grep -q "^$(printf '%08x' "$serial") " /proc/keys || fail "key $serial not in /proc/keys"
pass
expect_contains "$(grep "^$(printf "%08x" "$serial") " /proc/keys)" "X509.rsa $kid"
evm_kid=$(evmctl import "$K/rsa.der" "$(keyctl newring evmctl-oracle @s)" 2>&1 | sed -n 's/.*public key \([0-9a-f]*\) .*/\1/p')
expect_eq "$evm_kid" "$kid" "key id evmctl reports"
expect_ok ima-keyring keyid "$K/rsa.pem" "$K/rsa.der"
expect_eq "$kid $K/rsa.pem
$kid $K/rsa.der" "$OUT"
expect_ok ima-keyring list --keyring @s
expect_contains "$OUT" "$serial $kid asymmetric"
expect_ok ima-keyring list --keyring @s --json
expect_eq "$kid" "$(echo "$OUT" | python3 -c 'import json,sys; print([k["keyid"] for k in json.load(sys.stdin) if k["type"]=="asymmetric"][0])')"

# Remove by key id, then by serial.
expect_ok ima-keyring remove --keyring @s "$kid"
expect_eq 0 "$(count)" "keys left after remove by key id"
expect_ok ima-keyring import -q --keyring @s "$K/rsa.pem"
s2=$(ima-keyring list --keyring @s | awk '/asymmetric/{print $1}')
expect_ok ima-keyring remove --keyring @s "$s2"
expect_eq 0 "$(count)"
expect_status 1 ima-keyring remove --keyring @s "$kid"
expect_eq "ima-keyring: error: no key $kid in keyring $(keyctl rdescribe @s >/dev/null; keyctl show @s | awk 'NR==2{print $1}')" "$ERR"

# ECDSA: added when this kernel has it, else refused with what to do.
if keyctl padd asymmetric "" "$(keyctl newring ec-oracle @s)" <"$K/ec256.der" >/dev/null 2>&1; then
    expect_ok ima-keyring import -q --keyring @s "$K/ec256.der"
    ec_ok=1
else
    expect_status 3 ima-keyring import --keyring @s "$K/ec256.der"
    expect_eq "ima-keyring: error: certificate $K/ec256.der: the kernel lacks the certificate's algorithm (for example ECDSA without CONFIG_CRYPTO_ECDSA): use an RSA key, or a kernel with it" "$ERR"
    ec_ok=0
fi

# A PEM bundle: every certificate in it.
for k in $(ima-keyring list --keyring @s | awk '/asymmetric/{print $1}'); do keyctl unlink "$k" @s >/dev/null; done
cat "$K/rsa.pem" "$K/other.pem" >"$WORK/two.pem"
expect_ok ima-keyring import --keyring @s "$WORK/two.pem"
expect_contains "$OUT" "$WORK/two.pem#1: key $kid"
expect_contains "$OUT" "$WORK/two.pem#2: key $(cert_keyid "$K/other.pem")"
expect_eq 2 "$(count)" "keys from a two-certificate bundle"

# A folder: certificates only, links and other files left alone.
for k in $(ima-keyring list --keyring @s | awk '/asymmetric/{print $1}'); do keyctl unlink "$k" @s >/dev/null; done
mkdir "$WORK/keys"
cp "$K/rsa.der" "$WORK/keys/a.der"
cp "$K/other.pem" "$WORK/keys/b.crt"
echo notes >"$WORK/keys/README.txt"
ln -s "$K/ec384.pem" "$WORK/keys/link.pem"
expect_ok ima-keyring load-dir "$WORK/keys" --keyring @s
expect_eq 2 "$(count)" "keys from the folder"

# Refusals add nothing: garbage, a private key, a missing keyring, no folder.
before=$(count)
head -c 700 /dev/urandom >"$WORK/garbage.der"
expect_status 1 ima-keyring import --keyring @s "$WORK/garbage.der"
expect_eq "ima-keyring: error: certificate $WORK/garbage.der: not an X.509 certificate (PEM or DER)" "$ERR"
expect_status 1 ima-keyring import --keyring @s "$K/rsa.key"
expect_one_line "$ERR"
expect_status 3 ima-keyring import --keyring @s "$WORK/missing.der"
expect_eq "ima-keyring: error: certificate $WORK/missing.der: No such file or directory" "$ERR"
expect_eq "$before" "$(count)" "keys after refused imports"
expect_status 3 ima-keyring import --keyring _no_such_ring "$K/rsa.der"
expect_eq "ima-keyring: error: keyring _no_such_ring does not exist (use --create to make it under the user keyring, or check that the kernel has IMA/EVM keyring support)" "$ERR"
mkdir "$WORK/empty"
expect_status 1 ima-keyring load-dir "$WORK/empty" --keyring @s
expect_contains "$ERR" "no certificate files"

# --create makes a named keyring under the user keyring (linked to this session
# so that it is possessed), then finds it by name.
keyctl link @u @s
name=_imaevm_test_$$
expect_ok ima-keyring import --keyring "$name" --create "$K/rsa.der"
ring=$(keyctl search @u keyring "$name")
on_exit_unlink() { keyctl unlink "$ring" @u >/dev/null 2>&1; }
on_exit on_exit_unlink
expect_ok ima-keyring list --keyring "$name"
expect_contains "$OUT" "$kid asymmetric"

# A keyring another session made under the user keyring is not possessed
# here: import says which keyring, where it is, and what to do (not "run as
# root", which root already is); once it is gone, --create makes one this
# session and later ones can use.
stale=_imaevm_stale_$$
stale_id=$(keyctl session - keyctl newring "$stale" @u 2>/dev/null | tail -1)
on_exit_stale() { keyctl unlink "$(keyctl search @u keyring "$stale" 2>/dev/null)" @u >/dev/null 2>&1 || true; }
on_exit on_exit_stale
keyctl unlink @u @s >/dev/null  # this session no longer reaches what the user keyring holds
expect_status 3 ima-keyring import --keyring "$stale" --create "$K/rsa.der"
expect_one_line "$ERR"
expect_contains "$ERR" "keyring $stale (serial $stale_id, in the user keyring, owner uid $(id -u)"
expect_contains "$ERR" "unlink it (keyctl unlink $stale_id @u) and import again with --create"
expect_not_contains "$ERR" "run as root"
keyctl unlink "$stale_id" @u >/dev/null
expect_ok ima-keyring import --keyring "$stale" --create "$K/rsa.der"
expect_eq 0 "$(keyctl session - ima-keyring import -q --keyring "$stale" "$K/rsa.pem" >/dev/null 2>&1; echo $?)" \
    "import into the new keyring from another session"
echo "ecdsa in this kernel: $ec_ok"
done_testing
