#!/usr/bin/env bash
# ima_boot_aggregate and ima_measurement reading a real TPM 2.0 (swtpm on
# loopback, through tpm2-tss), against evmctl given the same PCRs as --pcrs
# files (evmctl reads a TPM 2.0 only through IBM's tsspcrread, which Debian
# does not ship).
. "$TESTS_DIR/lib/assert.sh"
. "$TESTS_DIR/interop/imaevm-evmctl/compare.sh"
need swtpm tpm2_pcrread tpm2_pcrextend python3 ss

# a free port pair
port=
for p in $(seq 23321 2 23421); do
    if ! ss -ltn | grep -q ":$p \|:$((p + 1)) "; then port=$p; break; fi
done
[ -n "$port" ] || fail "no free port for swtpm"
mkdir "$WORK/tpmstate"
swtpm socket --server type=tcp,port=$port,bindaddr=127.0.0.1 --ctrl type=tcp,port=$((port + 1)),bindaddr=127.0.0.1 \
    --tpmstate dir="$WORK/tpmstate" --tpm2 --flags not-need-init,startup-clear >"$WORK/swtpm.log" 2>&1 &
swtpm_pid=$!
stop_swtpm() { kill "$swtpm_pid" 2>/dev/null || true; wait "$swtpm_pid" 2>/dev/null || true; }
on_exit stop_swtpm
export TPM2TOOLS_TCTI="swtpm:host=127.0.0.1,port=$port" IMAEVM_TCTI="swtpm:host=127.0.0.1,port=$port"
for _ in $(seq 1 50); do tpm2_pcrread sha1:0 >/dev/null 2>&1 && break; sleep 0.1; done
tpm2_pcrread sha1:0 >/dev/null 2>&1 || fail "swtpm did not come up: $(cat "$WORK/swtpm.log")"

# pcr_files: the TPM's sha1 and sha256 banks as evmctl's --pcrs files
pcr_files() {
    local bank
    for bank in sha1 sha256; do
        tpm2_pcrread "$bank:all" | awk -v b="$bank" '
            $1 == b ":" { on = 1; next } /^  [a-z]/ { on = 0 }
            on && /0x/ { line = $0; gsub(/[ :]/, "", line); split(line, f, "0x"); printf "PCR-%02d: %s\n", f[1], tolower(f[2]) }' \
            >"$WORK/tpm.$bank.pcrs"
        [ "$(wc -l <"$WORK/tpm.$bank.pcrs")" = 24 ] || fail "could not read the $bank bank"
    done
}

# boot_aggregate: firmware-like extends of PCRs 0-9 in both banks
for i in 0 1 2 3 4 5 6 7 8 9; do
    tpm2_pcrextend "$i:sha1=$(printf 'pcr%s' $i | sha1sum | cut -c1-40),sha256=$(printf 'pcr%s' $i | sha256sum | cut -c1-64)"
done
pcr_files
expect_ok imaevm-evmctl ima_boot_aggregate
ours=$OUT
expect_ok evmctl ima_boot_aggregate --pcrs sha1,"$WORK/tpm.sha1.pcrs" --pcrs sha256,"$WORK/tpm.sha256.pcrs"
expect_eq "$OUT" "$ours" "boot_aggregate from the TPM vs evmctl from the same PCRs"
expect_eq 2 "$(wc -l <<<"$ours")" "both banks"

# a measurement list, extended into PCR 10 of the TPM as a 5.11+ kernel does
echo "signed content" >"$WORK/signed-file"
sig=$(evmctl ima_sign -n -k "$TESTS_DIR/fixtures/keys/rsa.key" "$WORK/signed-file" 2>/dev/null)
python3 "$TESTS_DIR/interop/imaevm-evmctl/gen_measurements.py" "$WORK/lists" "$WORK/signed-file" "$sig"
python3 - "$WORK/lists/good.list" >"$WORK/extends" <<'PY'
import hashlib, struct, sys
data = open(sys.argv[1], "rb").read()
at = 0
while at < len(data):
    pcr, digest, nlen = struct.unpack_from("<I20sI", data, at); at += 28 + nlen
    (tlen,) = struct.unpack_from("<I", data, at); at += 4
    tdata = data[at:at + tlen]; at += tlen
    print(f"{pcr}:sha1={hashlib.sha1(tdata).hexdigest()},sha256={hashlib.sha256(tdata).hexdigest()}")
PY
while read -r ext; do tpm2_pcrextend "$ext"; done <"$WORK/extends"
pcr_files
expect_ok imaevm-evmctl ima_measurement "$WORK/lists/good.list"
expect_contains "$ERR" "Matched per TPM bank calculated digest(s)."
expect_ok evmctl ima_measurement --pcrs sha1,"$WORK/tpm.sha1.pcrs" --pcrs sha256,"$WORK/tpm.sha256.pcrs" "$WORK/lists/good.list"
# a list that does not match this TPM
expect_status 1 imaevm-evmctl ima_measurement "$WORK/lists/ima-template.list"
expect_status 1 evmctl ima_measurement --pcrs sha1,"$WORK/tpm.sha1.pcrs" --pcrs sha256,"$WORK/tpm.sha256.pcrs" \
    "$WORK/lists/ima-template.list"

# no TPM at all: the TCTI points nowhere, no sysfs TPM here
stop_swtpm
expect_status 125 imaevm-evmctl ima_boot_aggregate

# Nothing configured: tpm2-tss's own search finds a simulator on
# localhost:2321, as evmctl 1.6.2 finds the one upstream's
# boot_aggregate.test starts there. In a network namespace of its own, so
# that no other test's tool finds this TPM, and this one no other.
need unshare ip
cat >"$WORK/default-search.sh" <<'SH'
set -e
ip link set lo up
mkdir -p "$WORK/tpmstate2"
swtpm socket --server type=tcp,port=2321,bindaddr=127.0.0.1 --ctrl type=tcp,port=2322,bindaddr=127.0.0.1 \
    --tpmstate dir="$WORK/tpmstate2" --tpm2 --flags not-need-init,startup-clear >"$WORK/swtpm2.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
t="swtpm:host=127.0.0.1,port=2321"
for _ in $(seq 1 50); do TPM2TOOLS_TCTI=$t tpm2_pcrread sha1:0 >/dev/null 2>&1 && break; sleep 0.1; done
TPM2TOOLS_TCTI=$t tpm2_pcrextend "3:sha1=$(printf default | sha1sum | cut -c1-40),sha256=$(printf default | sha256sum | cut -c1-64)"
IMAEVM_TCTI=$t imaevm-evmctl ima_boot_aggregate >"$WORK/want.txt"
env -u IMAEVM_TCTI -u TPM2TOOLS_TCTI imaevm-evmctl ima_boot_aggregate >"$WORK/got.txt"
SH
expect_ok env WORK="$WORK" unshare --net bash "$WORK/default-search.sh"
expect_eq "$(cat "$WORK/want.txt")" "$(cat "$WORK/got.txt")" "boot_aggregate found through tpm2-tss's default search"
expect_eq 2 "$(wc -l <"$WORK/got.txt")" "both banks"
expect_not_contains "$(cat "$WORK/got.txt")" "$(printf 'sha1:%040d' 0)"

done_testing
