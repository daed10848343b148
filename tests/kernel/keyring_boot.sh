#!/usr/bin/env bash
# The boot glue (scripts/boot/initramfs/imaevm-load) in a real initramfs:
# it loads our certificate into _ima and _evm, enables EVM from
# /etc/default/evm and loads /etc/ima/ima-policy; then the policy is enforced
# with our keys: a signed program runs, an unsigned one is refused.
. "$TESTS_DIR/lib/assert.sh"
. "$TESTS_DIR/kernel/lib.sh"
need gcc openssl
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/ima.key" -out "$WORK/ima.pem" -days 1 \
    -subj "/CN=imaevm boot glue" -addext keyUsage=digitalSignature -addext subjectKeyIdentifier=hash 2>/dev/null
openssl x509 -in "$WORK/ima.pem" -outform DER -out "$WORK/ima.der"
gcc -static -O2 -o "$WORK/hello" "$TESTS_DIR/kernel/programs/hello.c" || fail "cannot build the static test program"
mkdir -p "$WORK/tree/bin"
cp "$WORK/hello" "$WORK/tree/bin/signed"
expect_ok ima-sign sign -q -k "$WORK/ima.key" -c "$WORK/ima.pem" "$WORK/tree"
expect_ok evm-tool sign -q --portable -k "$WORK/ima.key" -c "$WORK/ima.pem" "$WORK/tree"
cp "$WORK/hello" "$WORK/tree/bin/unsigned"
expect_ok ima-policy generate --profile appraise-exec -o "$WORK/ima-policy"
printf '# written by the image build\nEVM_MODE=2\n' >"$WORK/evm.conf"

cat >"$WORK/guest.sh" <<'GUEST'
sh /usr/sbin/imaevm-load
echo $? >$OUT/load.status
cat /sys/kernel/security/evm >$OUT/evm
ima-keyring list --keyring _ima >$OUT/ima-keys 2>&1
ima-keyring list --keyring _evm >$OUT/evm-keys 2>&1
/mnt/bin/signed >$OUT/signed.txt 2>&1; echo $? >$OUT/signed.status
/mnt/bin/unsigned >$OUT/unsigned.txt 2>&1; echo $? >$OUT/unsigned.status
# A trusted kernel keyring takes only certificates signed by a built-in key:
# ours is self-signed, so the kernel must refuse it and the tool must say why.
ima-keyring import --keyring .secondary_trusted_keys /etc/keys/ima/ima.der >$OUT/trusted.txt 2>&1
echo $? >$OUT/trusted.status

GUEST
run_guest --disk "$WORK/tree" --file "$SOURCE_DIR/scripts/boot/initramfs/imaevm-load=/usr/sbin/imaevm-load" \
    --file "$WORK/ima.der=/etc/keys/ima/ima.der" --file "$WORK/ima.pem=/etc/keys/evm/ima.pem" \
    --file "$WORK/ima-policy=/etc/ima/ima-policy" --file "$WORK/evm.conf=/etc/default/evm" \
    "$WORK/guest.sh" "$WORK/out"
o=$WORK/out
expect_guest_ok "$o"
expect_eq 0 "$(cat "$o/load.status")" "imaevm-load status ($(grep 'imaevm:' "$o/console.log"))"
kid=$(cert_keyid "$WORK/ima.pem")
expect_contains "$(cat "$o/ima-keys")" "$kid asymmetric"
expect_contains "$(cat "$o/evm-keys")" "$kid asymmetric"
expect_contains "$(cat "$o/evm")" "2"
log=$(grep -a 'imaevm:' "$o/console.log" || true)
expect_contains "$log" "keys from /etc/keys/ima loaded into _ima"
expect_contains "$log" "keys from /etc/keys/evm loaded into _evm"
expect_contains "$log" "EVM enabled with 2 (from /etc/default/evm)"
expect_contains "$log" "policy /etc/ima/ima-policy loaded"
expect_eq 0 "$(cat "$o/signed.status")" "the signed program ($(cat "$o/signed.txt"))"
[ "$(cat "$o/unsigned.status")" != 0 ] || fail "the unsigned program ran"
pass
expect_contains "$(audit_lines "$o" | grep 'bin/unsigned"' | head -1)" "cause=IMA-signature-required"
expect_eq 3 "$(cat "$o/trusted.status")" "import into .secondary_trusted_keys ($(cat "$o/trusted.txt"))"
expect_contains "$(cat "$o/trusted.txt")" "the keyring refused it: a trusted keyring (.ima, .evm) takes only certificates signed by a built-in or secondary trusted key"
expect_eq 1 "$(wc -l <"$o/trusted.txt")" "one error line"
done_testing
