#!/usr/bin/env bash
# ima-attest against a real TPM: swtpm on loopback, PCR 10 extended from a
# synthetic list with tpm2_pcrextend (tpm2-tools), replayed with --tpm; a
# tampered list named; pcrs --tpm agrees with tpm2_pcrread; boot-aggregate
# from the TPM; no TPM is an environment error.
. "$TESTS_DIR/lib/assert.sh"
. "$(dirname "$0")/lib.sh"
need swtpm tpm2_pcrextend tpm2_pcrread

. "$(dirname "$0")/swtpm.sh"

# extend_from LOG: every entry's per-bank digests into the TPM, as a kernel would.
extend_from() {
    local line
    while read -r line; do
        tpm2_pcrextend -T "$TCTI" "$line" || fail "tpm2_pcrextend $line"
    done <"$1.extend"
}

# A list extended into PCR 10, replayed from the TPM.
start_swtpm
extend_from "$SYN/ng.log"
# Only the sha1 and sha256 banks were extended: the TPM's sha384 and sha512
# PCR 10 are still at their reset value, which matches no list (a match
# over zero entries is no match), so replaying every bank is refused.
expect_status 1 ima-attest replay "$SYN/ng.log" --tpm --tcti "$TCTI" --ignore-violations
expect_contains "$OUT" "sha1: match: PCR 10 (40 entries, per-bank template digests)"
expect_contains "$OUT" "sha256: match: PCR 10 (40 entries, per-bank template digests)"
expect_contains "$OUT" "sha384: MISMATCH: PCR 10: replayed "
expect_contains "$OUT" "sha512: MISMATCH: PCR 10: replayed "
expect_ok ima-attest replay "$SYN/ng.log" --tpm --tcti "$TCTI" --bank sha1 --ignore-violations
expect_contains "$OUT" "sha1: match: PCR 10 (40 entries, per-bank template digests)"
expect_ok ima-attest replay "$SYN/ng.log" --tpm --tcti "$TCTI" --bank sha256 --ignore-violations --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["ok"] and d["pcr_source"].startswith("TPM swtpm:")' \
    "$WORK/.out" || fail "replay --tpm --json"
pass
# The TCTI from the environment.
IMAEVM_TCTI=$TCTI expect_ok ima-attest replay "$SYN/ng.log" --tpm --bank sha256 --ignore-violations
# Our PCR read agrees with tpm2_pcrread.
expect_ok ima-attest pcrs --tpm --tcti "$TCTI" --bank sha256
ours=$(echo "$OUT" | sed -n 's/^PCR-10: //p')
theirs=$(tpm2_pcrread -T "$TCTI" sha256:10 | sed -n 's/.*10 *: *0x//p' | tr 'A-F' 'a-f')
expect_eq "$theirs" "$ours" "PCR 10 from tpm2_pcrread"
expect_eq "$(sed -n 's/^PCR-10: //p' "$SYN/ng.log.pcrs.sha256")" "$ours" "PCR 10 as hashlib replayed it"
# A list that is a few entries longer than the PCRs (read while the machine runs).
mklog --out "$WORK/longer.log" --scenario ng --count 40 --violations 3 --quick
expect_ok ima-attest replay "$WORK/longer.log" --tpm --tcti "$TCTI" --bank sha1 --ignore-violations
# boot_aggregate of a TPM whose PCRs 0-9 are zero.
expect_ok ima-attest boot-aggregate --tpm --tcti "$TCTI" --bank all
want1=$(python3 -c 'import hashlib; print(hashlib.sha1(bytes(20 * 8)).hexdigest())')
want256=$(python3 -c 'import hashlib; print(hashlib.sha256(bytes(32 * 10)).hexdigest())')
expect_contains "$OUT" "sha1:$want1"
expect_contains "$OUT" "sha256:$want256"

# A list altered after it was measured: the entry is named.
start_swtpm
extend_from "$SYN/all-tampered.log"
expect_status 1 ima-attest replay "$SYN/all-tampered.log" --tpm --tcti "$TCTI"
expect_contains "$OUT" "first at entry 6 (/usr/bin/signed-rsa)"
expect_contains "$OUT" "entry 6 (/usr/bin/signed-rsa): the recorded template digest does not match the entry's data"
# The list as it was before it was altered matches the same TPM (PCRs 10 and 11).
expect_ok ima-attest replay "$SYN/all-tampered.log.orig" --tpm --tcti "$TCTI" --bank sha256
expect_contains "$OUT" "sha256: match: PCR 10, 11 (20 entries, per-bank template digests)"

# No TPM there.
stop_swtpm
expect_status 3 ima-attest replay "$SYN/ng.log" --tpm --tcti "$TCTI"
expect_one_line "$ERR"
expect_contains "$ERR" "ima-attest: error: cannot open TPM '$TCTI'"
expect_status 3 ima-attest pcrs --tpm --tcti "device:$WORK/no-such-tpm"
expect_one_line "$ERR"
done_testing
