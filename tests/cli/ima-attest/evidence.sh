#!/usr/bin/env bash
# ima-attest quote on swtpm: the evidence document and tpm2_quote's files,
# judged by tpm2_checkquote and check-quote; the PCR values are the TPM's
# (tpm2_pcrread), the lists are the files given, byte for byte; the default
# selection covers PCRs 0-9, 10 and 14 of every bank; bad nonces,
# selections and AK files of another TPM are refused with one line.
. "$TESTS_DIR/lib/assert.sh"
. "$(dirname "$0")/lib.sh"
need swtpm tpm2_checkquote tpm2_pcrextend tpm2_pcrread tpm2_getcap
. "$(dirname "$0")/swtpm.sh"

cd "$WORK"
QEMU=$FIX/qemu
start_swtpm
export IMAEVM_TCTI=$TCTI TPM2TOOLS_TCTI=$TCTI
expect_ok ima-attest ak create -o ak.json --pem ak.pem
tpm2_pcrextend "10:sha256=$(printf '%064x' 9),sha1=$(printf '%040x' 9)" || fail "tpm2_pcrextend"
# j FILE EXPR: a Python expression over the JSON document `d`.
j() { python3 -c 'import json,sys,base64; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }

expect_ok ima-attest quote --ak ak.json --nonce 5eed01 --pcrs sha256:10,0+sha1:10 \
    --log "$QEMU/binary_runtime_measurements" --eventlog "$QEMU/binary_bios_measurements" --tpm2-files q -o ev.json
expect_contains "$ERR" "quote: sha256:0,10+sha1:10 quoted by AK $(j ak.json 'd["ak"]["name"]'), with the IMA list, with the event log"
tpm2_checkquote -u ak.pem -m q/message -s q/signature -f q/pcrs -g sha256 -q 5eed01 >/dev/null || fail "tpm2_checkquote refuses our quote"
expect_ok ima-attest check-quote -m q/message -s q/signature -f q/pcrs --ak ak.pem --nonce 5eed01
expect_eq "1|ima-attest evidence|5eed01|sha256:0,10+sha1:10" "$(j ev.json '"|".join(map(str, (d["version"], d["type"], d["nonce"], d["selection"])))')"
pcr10=$(tpm2_pcrread sha256:10 | awk '/^ *10 *:/ {print tolower(substr($NF, 3))}')
expect_eq "$pcr10" "$(j ev.json 'd["pcrs"]["sha256"]["10"]')" "sha256 PCR 10 in the evidence"
j ev.json 'base64.b64decode(d["quote"]["message"]).hex()' >msg.hex
expect_eq "$(xxd -p -c 1000 q/message)" "$(cat msg.hex)" "the evidence's message is tpm2-files' message"
expect_eq True "$(j ev.json 'base64.b64decode(d["ima"]["log"]) == open("'"$QEMU"'/binary_runtime_measurements", "rb").read()')" "the IMA list in the evidence"
expect_eq True "$(j ev.json 'base64.b64decode(d["eventlog"]) == open("'"$QEMU"'/binary_bios_measurements", "rb").read()')" "the event log in the evidence"

# The default selection: 0-9, 10 and 14 of every allocated bank; stdout.
expect_ok ima-attest quote --ak ak.json --nonce 5eed02 --log "$QEMU/binary_runtime_measurements" -o -
echo "$OUT" >ev2.json
banks=$(tpm2_getcap pcrs | awk '/^ *- *sha[0-9]*: *\[ *0/ {sub(/:$/, "", $2); print $2}' | sort | tr '\n' ' ')
[ -n "$banks" ] || fail "tpm2_getcap listed no PCR banks"
expect_eq "$banks" "$(j ev2.json '" ".join(sorted(d["pcrs"])) + " "')" "the banks quoted"
expect_eq "0 1 2 3 4 5 6 7 8 9 10 14" "$(j ev2.json '" ".join(sorted(d["pcrs"]["sha256"], key=int))')" "the PCRs quoted"
expect_eq "False" "$(j ev2.json '"eventlog" in d')" "no event log on a machine without one"

# Refused: usage (exit 2), a TPM that is not the AK's (exit 1), a log named and absent (exit 3).
expect_status 2 ima-attest quote --ak ak.json --nonce xyz -o x.json
expect_status 2 ima-attest quote --ak ak.json --nonce "" -o x.json
expect_contains "$ERR" "a quote without a nonce proves no freshness"
expect_status 2 ima-attest quote --ak ak.json --nonce "$(printf '%0130d' 0)" -o x.json
expect_contains "$ERR" "a nonce of 65 bytes (a TPM takes 64 at most)"
expect_status 2 ima-attest quote --ak ak.json --nonce 01 --pcrs sha256:24 -o x.json
expect_eq "ima-attest: error: PCR selection 'sha256:24': '24' is not a PCR number (0-23)" "$ERR"
expect_status 2 ima-attest quote --ak ak.json --nonce 01 --pcrs md5:1 -o x.json
expect_eq "ima-attest: error: PCR selection 'md5:1': md5 is not a PCR bank" "$ERR"
expect_status 2 ima-attest quote --ak ak.json --nonce 01 --pcrs foo:1 -o x.json
expect_eq "ima-attest: error: PCR selection 'foo:1': unknown bank 'foo'" "$ERR"
expect_status 2 ima-attest quote --ak ak.json --nonce 01 --pcrs sha256:1,1 -o x.json
expect_status 2 ima-attest quote --ak ak.json --nonce 01 --pcrs sha256:1+sha256:2 -o x.json
expect_status 3 ima-attest quote --ak ak.json --nonce 01 --log "$WORK/absent" -o x.json
[ ! -e x.json ] || fail "evidence written for a refused quote"
cp ak.json first.json
start_swtpm
export IMAEVM_TCTI=$TCTI TPM2TOOLS_TCTI=$TCTI
expect_status 1 ima-attest quote --ak first.json --nonce 01 -o x.json
expect_eq "ima-attest: error: this TPM's endorsement key is not the AK file's (another TPM?)" "$ERR"
[ ! -e x.json ] || fail "evidence written by another TPM"
pass
done_testing
