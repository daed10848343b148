#!/usr/bin/env bash
# The list, event log and PCRs captured from a real kernel (tests/fixtures/attest/qemu):
# show, replay of every bank, evmctl's verdict, boot_aggregate, verify.
. "$TESTS_DIR/lib/assert.sh"
. "$(dirname "$0")/lib.sh"
need evmctl
Q=$FIX/qemu
list=$Q/binary_runtime_measurements

expect_ok ima-attest show "$list"
expect_eq "$(cat "$Q/ascii_runtime_measurements")" "$OUT" "show"
expect_ok ima-attest replay "$list" --pcrs "$Q/pcrs" --ignore-violations
expect_contains "$OUT" "sha1: match: PCR 10 (7 entries, per-bank template digests)"
expect_contains "$OUT" "sha256: match: PCR 10 (7 entries, per-bank template digests)"
expect_contains "$OUT" "sha512: match: PCR 10 (7 entries, zero-padded SHA-1 template digests, violations all-ones"
expect_status 1 ima-attest replay "$list" --pcrs "$Q/pcrs"
expect_contains "$OUT" "1 violation (entry 6)"
# One bank a file for evmctl; it reaches the same verdicts.
for b in sha1 sha256; do sed -n "/^# $b/,/^# sha[0-9]*$/p" "$Q/pcrs" | grep '^PCR' >"$WORK/pcrs.$b"; done
expect_ok evmctl ima_measurement --ignore-violations --pcrs "sha1,$WORK/pcrs.sha1" --pcrs "sha256,$WORK/pcrs.sha256" "$list"
expect_status 1 evmctl ima_measurement --pcrs "sha1,$WORK/pcrs.sha1" --pcrs "sha256,$WORK/pcrs.sha256" "$list"
expect_ok ima-attest replay "$list" --pcrs "sha256,$WORK/pcrs.sha256" --ignore-violations
# boot_aggregate from the event log, from the PCRs, against the list.
expect_ok ima-attest boot-aggregate --eventlog "$Q/binary_bios_measurements" --log "$list"
expect_contains "$OUT" "sha256:a14aab10a180793f814c2bc58573fc52139506aa324f2cbff7ff04a9794a26d4"
expect_contains "$OUT" "boot_aggregate of the list (entry 1): match (sha256)"
expect_ok ima-attest boot-aggregate --pcrs "$Q/pcrs" --bank sha256 --log "$list"
# Signatures and the manifest (the disk was mounted at /mnt).
expect_status 1 ima-attest verify "$list" -c "$Q/signer.pem" --manifest "$Q/manifest.json" --json
python3 - "$WORK/.out" <<'PY' || fail "verify --json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["good_signatures"] == 2 and d["violations"] == 1
assert d["manifest"]["root"] == "/mnt" and d["manifest"]["matched"] == 2
assert sorted(f["path"] for f in d["findings"]) == ["/mnt/bin/unsigned", "/mnt/data/unsigned.txt", "/mnt/data/violation.txt"]
assert all(f["problem"] == "unknown file" for f in d["findings"])
PY
pass
done_testing
