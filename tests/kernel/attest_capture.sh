#!/usr/bin/env bash
# ima-attest against a real kernel: Debian's 6.1 kernel under QEMU with a
# swtpm vTPM, ima_policy=tcb and the ima-sig template, runs signed and
# unsigned programs and reads files from a signed ext4 disk (one while it is
# open for writing: a violation). Then, with nothing executed in between,
# the guest copies the binary and ascii lists, the firmware event log and
# PCRs 0-10 of both banks (shell builtins and one cat each). Live in the
# guest: replay --sysfs, replay --tpm through /dev/tpmrm0, boot-aggregate
# from the event log against the list, show against ascii_runtime_measurements.
# On the host: show equals the kernel's ascii file, both banks replay, evmctl
# agrees, boot_aggregate matches, signatures and the manifest verify.
# Remote attestation across two boots of the same vTPM: the guest makes an
# AK and quotes; the host makes a credential the guest activates in the
# second boot, checks each quote (trusted), then a quote after a signed
# program was changed and run (the entry named), and refuses the first
# boot's evidence replayed (by the state, and by the nonce).
# UPDATE_FIXTURES=1 copies the capture to tests/fixtures/attest/qemu/.
. "$TESTS_DIR/lib/assert.sh"
. "$TESTS_DIR/kernel/lib.sh"
need gcc openssl setfattr evmctl

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/ima.key" -out "$WORK/ima.pem" -days 1 \
    -subj "/CN=imaevm attest" -addext keyUsage=digitalSignature -addext subjectKeyIdentifier=hash \
    -addext extendedKeyUsage=codeSigning 2>/dev/null
gcc -static -O2 -o "$WORK/hello" "$TESTS_DIR/kernel/programs/hello.c" || fail "cannot build the static test program"
tree=$WORK/tree
mkdir -p "$tree/bin" "$tree/data"
cp "$WORK/hello" "$tree/bin/signed"
echo "signed data" >"$tree/data/signed.txt"
expect_ok ima-sign sign -q -k "$WORK/ima.key" -c "$WORK/ima.pem" --manifest "$WORK/manifest.json" "$tree"
cp "$WORK/hello" "$tree/bin/unsigned"
cp "$WORK/hello" "$tree/bin/unsigned"
echo "unsigned data" >"$tree/data/unsigned.txt"
echo "written while read" >"$tree/data/violation.txt"

# The tpm2-tss TCTI for /dev/tpmrm0 is loaded at run time, not linked.
tcti_lib=$(ls /usr/lib/*/libtss2-tcti-device.so.0 2>/dev/null | head -1)
[ -n "$tcti_lib" ] || fail "libtss2-tcti-device.so.0 not found"
tcti_real=$(readlink -f "$tcti_lib")

cat >"$WORK/guest.sh" <<'GUEST'
set -u
sec=/sys/kernel/security
# Measurements: two programs, two files read by root, one violation
# (a file read while it is open for writing).
/mnt/bin/signed >$OUT/run-signed.txt 2>&1
/mnt/bin/unsigned >/dev/null 2>&1
cat /mnt/data/signed.txt /mnt/data/unsigned.txt >/dev/null
exec 3>>/mnt/data/violation.txt
cat /mnt/data/violation.txt >/dev/null
exec 3>&-
# read_pcrs FILE: PCRs 0-10 of every bank with the shell's own read and echo.
read_pcrs() {
    for bank in sha1 sha256 sha384 sha512; do
        [ -d /sys/class/tpm/tpm0/pcr-$bank ] || continue
        echo "# $bank"
        for i in 0 1 2 3 4 5 6 7 8 9 10; do
            n=$i; [ $i -lt 10 ] && n=0$i
            read -r v </sys/class/tpm/tpm0/pcr-$bank/$i
            echo "PCR-$n: $v"
        done
    done >$1
}
# Nothing runs between the PCR reads and the copies but cat (busybox, from
# the initramfs, which the tcb policy does not measure).
read_pcrs $OUT/pcrs-before
cat $sec/ima/binary_runtime_measurements >$OUT/binary_runtime_measurements
cat $sec/ima/ascii_runtime_measurements >$OUT/ascii_runtime_measurements
cat $sec/tpm0/binary_bios_measurements >$OUT/binary_bios_measurements
read_pcrs $OUT/pcrs-after
# Live, in the guest.
ima-attest replay --sysfs --ignore-violations >$OUT/live-sysfs.txt 2>&1; echo $? >$OUT/live-sysfs.status
ima-attest replay --tpm --tcti device:/dev/tpmrm0 --ignore-violations >$OUT/live-tpm.txt 2>&1; echo $? >$OUT/live-tpm.status
ima-attest pcrs --tpm --tcti device:/dev/tpmrm0 --bank sha256 >$OUT/live-pcrs.txt 2>&1; echo $? >$OUT/live-pcrs.status
ima-attest boot-aggregate --eventlog $sec/tpm0/binary_bios_measurements --log $sec/ima/binary_runtime_measurements \
    >$OUT/live-boot.txt 2>&1; echo $? >$OUT/live-boot.status
ima-attest show >$OUT/live-show.txt 2>$OUT/live-show.err; echo $? >$OUT/live-show.status
cat $sec/ima/ascii_runtime_measurements >$OUT/live-ascii.txt
# Remote attestation, first boot: the node makes its AK and answers a nonce.
tcti=device:/dev/tpmrm0
ima-attest ak create --tcti $tcti -o $OUT/ak.json >$OUT/ak.txt 2>&1; echo $? >$OUT/ak.status
ima-attest quote --ak $OUT/ak.json --tcti $tcti --nonce "$(cat /guest/nonce1)" -o $OUT/ev1.json >$OUT/quote1.txt 2>&1
echo $? >$OUT/quote1.status
exit 0
GUEST

n1=$(openssl rand -hex 20) n2=$(openssl rand -hex 20) n3=$(openssl rand -hex 20)
echo "$n1" >"$WORK/nonce1"
mkdir -p "$WORK/tpm"
run_guest --tpm "$WORK/tpm" --append "ima_policy=tcb ima_template=ima-sig" --disk "$tree" \
    --file "$tcti_real=$tcti_lib" --file "$WORK/nonce1=/guest/nonce1" "$WORK/guest.sh" "$WORK/out"
o=$WORK/out
expect_guest_ok "$o"
expect_contains "$(cat "$o/run-signed.txt")" "hello from /mnt/bin/signed"
expect_eq "$(cat "$o/pcrs-before")" "$(cat "$o/pcrs-after")" "PCRs before and after the copies"

# Live results.
for s in sysfs tpm pcrs boot show; do
    expect_eq 0 "$(cat "$o/live-$s.status")" "live $s: $(cat "$o/live-$s.txt")"
done
expect_contains "$(cat "$o/live-sysfs.txt")" "sha256: match: PCR 10"
expect_contains "$(cat "$o/live-tpm.txt")" "sha1: match: PCR 10"
expect_contains "$(cat "$o/live-boot.txt")" "boot_aggregate of the list (entry 1): match"
expect_eq "$(cat "$o/live-ascii.txt")" "$(cat "$o/live-show.txt")" "show in the guest"
# sysfs prints upper-case hex.
expect_eq "$(sed -n '/^# sha256/,/^# sha[35]/p' "$o/pcrs-after" | grep '^PCR-10' | cut -c9- | tr A-F a-f)" "$(grep '^PCR-10' "$o/live-pcrs.txt" | cut -c9-)" "PCR 10 through ESAPI"

# On the host, from the copies.
list=$o/binary_runtime_measurements
expect_ok ima-attest show "$list"
expect_eq "$(cat "$o/ascii_runtime_measurements")" "$OUT" "show equals the kernel's ascii_runtime_measurements"
expect_contains "$OUT" " ima-sig sha256:"
expect_contains "$OUT" "/mnt/data/violation.txt"
expect_ok ima-attest replay "$list" --pcrs "$o/pcrs-after" --ignore-violations
expect_contains "$OUT" "sha1: match: PCR 10 ("
expect_contains "$OUT" "sha256: match: PCR 10 ("
expect_contains "$OUT" "violation"
# swtpm allocates four banks; this kernel lacks sha384/sha512 when IMA starts.
expect_contains "$OUT" "sha384: match: PCR 10 ("
expect_contains "$OUT" "sha512: match: PCR 10 ("
expect_status 1 ima-attest replay "$list" --pcrs "$o/pcrs-after"
for b in sha1 sha256; do
    { echo "# $b"; sed -n "/^# $b/,/^# /p" "$o/pcrs-after" | grep '^PCR'; } >"$o/pcrs.$b"
    for i in $(seq 11 23); do echo "PCR-$i: $(printf '0%.0s' $(seq 1 $([ $b = sha1 ] && echo 40 || echo 64)))"; done >>"$o/pcrs.$b"
done
expect_ok evmctl ima_measurement --ignore-violations --pcrs "sha1,$o/pcrs.sha1" --pcrs "sha256,$o/pcrs.sha256" "$list"
expect_ok ima-attest boot-aggregate --eventlog "$o/binary_bios_measurements" --log "$list"
expect_contains "$OUT" "match"
expect_ok ima-attest boot-aggregate --pcrs "$o/pcrs-after" --log "$list"
expect_ok ima-attest verify "$list" -c "$WORK/ima.pem" -v
expect_contains "$OUT" "/mnt/bin/signed: ok: ima signature"
expect_contains "$OUT" "/mnt/data/signed.txt: ok: ima signature"
expect_status 1 ima-attest verify "$list" -c "$WORK/ima.pem" --manifest "$WORK/manifest.json" -v
expect_contains "$OUT" "/mnt/bin/signed: ok: digest matches the manifest"
expect_contains "$OUT" "/mnt/bin/unsigned: unknown file: not in the manifest"
expect_contains "$ERR" "(root /mnt,"

# The verifier: the first boot's evidence against the node's AK (enrolled
# through a credential the node activates in the second boot), the quoted
# PCRs, the list's signatures and the firmware's event log.
for s in ak quote1; do expect_eq 0 "$(cat "$o/$s.status")" "guest $s: $(cat "$o/$s.txt")"; done
expect_ok ima-attest credential make --ak "$o/ak.json" -o "$WORK/challenge" --secret-out "$WORK/secret"
expect_ok ima-attest check "$o/ev1.json" --nonce "$n1" --ak "$o/ak.json" -c "$WORK/ima.pem" --state "$WORK/node.state" -v
expect_contains "$OUT" "check: ima list: ok: sha1, sha256, sha384, sha512: PCR 10 reproduced by entries 1-"
expect_contains "$OUT" "check: boot_aggregate: ok: "
expect_contains "$OUT" "check: event log: ok: "
expect_contains "$OUT" "check: signatures: ok: "
expect_contains "$ERR" "ima-attest: check: trusted: "

# Second boot, the same TPM: the node activates the credential, runs the
# signed program, is quoted; then the program is changed, run, quoted again.
cat >"$WORK/guest2.sh" <<'GUEST'
set -u
tcti=device:/dev/tpmrm0
ima-attest credential activate /guest/challenge --ak /guest/ak.json --tcti $tcti >$OUT/answer 2>$OUT/activate.txt
echo $? >$OUT/activate.status
/mnt/bin/signed >/dev/null 2>&1
ima-attest quote --ak /guest/ak.json --tcti $tcti --nonce "$(cat /guest/nonce2)" -o $OUT/ev2.json >$OUT/quote2.txt 2>&1
echo $? >$OUT/quote2.status
echo changed >>/mnt/bin/signed
/mnt/bin/signed >/dev/null 2>&1
ima-attest quote --ak /guest/ak.json --tcti $tcti --nonce "$(cat /guest/nonce3)" -o $OUT/ev3.json >$OUT/quote3.txt 2>&1
echo $? >$OUT/quote3.status
exit 0
GUEST
echo "$n2" >"$WORK/nonce2"
echo "$n3" >"$WORK/nonce3"
run_guest --tpm "$WORK/tpm" --append "ima_policy=tcb ima_template=ima-sig" --disk "$tree" \
    --file "$tcti_real=$tcti_lib" --file "$WORK/challenge=/guest/challenge" --file "$o/ak.json=/guest/ak.json" \
    --file "$WORK/nonce2=/guest/nonce2" --file "$WORK/nonce3=/guest/nonce3" "$WORK/guest2.sh" "$WORK/out2"
o2=$WORK/out2
expect_guest_ok "$o2"
for s in activate quote2 quote3; do expect_eq 0 "$(cat "$o2/$s.status")" "guest $s: $(cat "$o2/$s.txt")"; done
expect_eq "$(cat "$WORK/secret")" "$(cat "$o2/answer")" "the secret the node's TPM recovered"
expect_ok ima-attest check "$o2/ev2.json" --nonce "$n2" --ak "$o/ak.json" -c "$WORK/ima.pem" --state "$WORK/node.state" -v
expect_contains "$OUT" "check: state: ok: a new boot since the last trusted quote"
expect_status 1 ima-attest check "$o2/ev3.json" --nonce "$n3" --ak "$o/ak.json" -c "$WORK/ima.pem" --state "$WORK/node.state"
expect_contains "$OUT" "check: signatures: failed: 1 problem in "
expect_contains "$OUT" " /mnt/bin/signed: bad signature: "
# The first boot's evidence, replayed: refused by the state, and by the nonce.
expect_status 1 ima-attest check "$o/ev1.json" --nonce "$n1" --ak "$o/ak.json" --state "$WORK/node.state"
expect_contains "$OUT" "check: state: failed: "
expect_contains "$OUT" "an old quote"
expect_status 1 ima-attest check "$o/ev1.json" --nonce "$n3" --ak "$o/ak.json"
expect_contains "$OUT" "check: nonce: failed: "

if [ "${UPDATE_FIXTURES:-}" = 1 ]; then
    dest=$SOURCE_DIR/tests/fixtures/attest/qemu
    mkdir -p "$dest"
    cp "$o/binary_runtime_measurements" "$o/ascii_runtime_measurements" "$o/binary_bios_measurements" \
        "$o/pcrs-after" "$WORK/ima.pem" "$WORK/manifest.json" "$dest/"
    mv "$dest/pcrs-after" "$dest/pcrs"
    mv "$dest/ima.pem" "$dest/signer.pem"
    echo "fixtures updated in $dest"
fi
done_testing
