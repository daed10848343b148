#!/usr/bin/env bash
# import: evmctl and imaevm-evmctl each add the same certificate to a fresh
# session keyring of their own (the real kernel keyrings); the exit status,
# the shape of stdout (the new key's serial) and what the keyring holds
# afterwards must be the same. Keyring arguments: @s, its serial in decimal
# and hex, a name without @ (evmctl reads it as the number 0) and a serial
# that does not exist.
. "$TESTS_DIR/lib/assert.sh"
need evmctl keyctl

K=$TESTS_DIR/fixtures/keys
cp "$K/rsa.der" "$WORK/rsa.der"
cp "$K/rsa.pem" "$WORK/rsa.pem"
cp "$K/ec256.der" "$WORK/ec256.der"
head -c 600 /dev/urandom >"$WORK/garbage.der"
printf '\x30\x82\x01' >"$WORK/truncated.der"
keyctl session - true >/dev/null 2>&1 || fail "cannot join a new session keyring (keyctl session -)"

# in_session DIR TOOL ARGS...: runs TOOL in a new session keyring; "SES" and
# "SESHEX" in ARGS become that keyring's serial. DIR gets rc, out, err, keys
# (type and description of every key in the session keyring afterwards).
in_session() {
    local dir=$1
    shift
    mkdir -p "$dir"
    keyctl session - bash -c '
        dir=$1; shift
        ses=$(keyctl show @s | awk "/keyring: _ses/{print \$1; exit}")
        args=()
        for a; do
            case $a in SES) a=$ses ;; SESHEX) a=$(printf "0x%x" "$ses") ;; esac
            args+=("$a")
        done
        rc=0
        "${args[@]}" >"$dir/out" 2>"$dir/err" || rc=$?
        echo $rc >"$dir/rc"
        for k in $(keyctl rlist @s); do keyctl rdescribe "$k"; done | sort >"$dir/keys"
    ' bash "$dir" "$@" >/dev/null 2>&1
}

n=0
compare() {  # compare ARGS...: evmctl ARGS against imaevm-evmctl ARGS
    n=$((n + 1))
    local t=$WORK/run$n.t o=$WORK/run$n.o
    in_session "$t" evmctl "$@"
    in_session "$o" imaevm-evmctl "$@"
    if [ "$(cat "$t/rc")" != "$(cat "$o/rc")" ]; then
        echo "--- evmctl:"; cat "$t/out" "$t/err"
        echo "--- imaevm-evmctl:"; cat "$o/out" "$o/err"
        fail "exit status: evmctl $(cat "$t/rc"), imaevm-evmctl $(cat "$o/rc"): import $*"
    fi
    pass
    RC=$(cat "$o/rc")
    expect_eq "$(sed -E 's/^[0-9]+$/<serial>/' "$t/out")" "$(sed -E 's/^[0-9]+$/<serial>/' "$o/out")" "stdout of: $*"
    expect_eq "$(cat "$t/keys")" "$(cat "$o/keys")" "the session keyring after: $*"
    OUT=$WORK/run$n.o
}

compare import "$WORK/rsa.der" @s
expect_eq 0 "$RC" "an RSA certificate into @s"
expect_contains "$(cat "$OUT/keys")" "asymmetric;0;0;"
expect_contains "$(cat "$OUT/keys")" "79d765db"
serial=$(cat "$OUT/out")
expect_contains "$(cat "$OUT/err")" "Importing public key 79d765db from file $WORK/rsa.der into keyring -3"

compare import "$WORK/rsa.der" SES
expect_eq 0 "$RC" "the session keyring by its serial"
compare import "$WORK/rsa.der" SESHEX
expect_eq 0 "$RC" "the session keyring by its serial in hex"

# evmctl takes DER only: PEM, garbage, a truncated DER, a missing file: 1, nothing added.
for bad in rsa.pem garbage.der truncated.der missing.der; do
    compare import "$WORK/$bad" @s
    expect_eq 1 "$RC" "import $bad"
    expect_eq "" "$(cat "$OUT/keys")" "nothing added from $bad"
    expect_contains "$(cat "$OUT/err")" "$WORK/$bad"
    expect_eq 1 "$(grep -c "error:" "$OUT/err")" "one error line for $bad"
done

# Keyrings that are not there: 125, said as such.
for ring in _ima 999999; do
    compare import "$WORK/rsa.der" "$ring"
    expect_eq 125 "$RC" "import into keyring '$ring'"
    expect_contains "$(cat "$OUT/err")" "no such keyring"
done

# ECDSA: the host kernel decides (without CONFIG_CRYPTO_ECDSA both get 125 and
# ours says why); the two tools must agree either way.
compare import "$WORK/ec256.der" @s
if [ "$RC" = 125 ]; then
    expect_contains "$(cat "$OUT/err")" "the kernel lacks the certificate's algorithm"
else
    expect_eq 0 "$RC" "an ECDSA certificate"
    expect_contains "$(cat "$OUT/keys")" "43a51f34"
fi

# --rsa (signature format v1 keys) is refused, on purpose.
in_session "$WORK/rsa-v1" imaevm-evmctl import --rsa "$WORK/rsa.pem" @s
expect_eq 125 "$(cat "$WORK/rsa-v1/rc")" "import --rsa"
expect_contains "$(cat "$WORK/rsa-v1/err")" "signature format v1 are not supported"
expect_eq "" "$(cat "$WORK/rsa-v1/keys")" "nothing added with --rsa"
done_testing
