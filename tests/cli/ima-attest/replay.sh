#!/usr/bin/env bash
# ima-attest replay against PCR values hashlib worked out: per-bank digests,
# zero-padded SHA-1 (older kernels), violations, a tampered entry named,
# prefix matches, bank headers from `ima-attest pcrs`, sysfs folders, --json.
. "$TESTS_DIR/lib/assert.sh"
. "$(dirname "$0")/lib.sh"

# Kernel >= 5.11: per-bank template digests, four banks.
args="--pcrs sha1,$SYN/all.log.pcrs.sha1 --pcrs sha256,$SYN/all.log.pcrs.sha256"
args+=" --pcrs sha384,$SYN/all.log.pcrs.sha384 --pcrs sha512,$SYN/all.log.pcrs.sha512"
expect_ok ima-attest replay "$SYN/all.log" $args --ignore-violations
for b in sha1 sha256 sha384 sha512; do
    expect_contains "$OUT" "$b: match: PCR 10, 11 (22 entries, per-bank template digests)"
done
expect_contains "$OUT" "2 violations (entries 21, 22): a file changed while it was open or measured; replayed as all-ones, ignored"
# Without --ignore-violations the same list is refused (as evmctl refuses it).
expect_status 1 ima-attest replay "$SYN/all.log" $args
expect_contains "$OUT" "not accepted without --ignore-violations"
# One bank only.
expect_ok ima-attest replay "$SYN/all.log" $args --bank sha384 --ignore-violations
expect_eq "sha384: match: PCR 10, 11 (22 entries, per-bank template digests)" "$(echo "$OUT" | head -1)"
expect_not_contains "$OUT" "sha1:"

# Older kernels: zero-padded SHA-1 in every bank.
expect_ok ima-attest replay "$SYN/all.log" $(pcrs_args "$SYN/all.log" padded) --ignore-violations
expect_contains "$OUT" "sha1: match: PCR 10, 11 (22 entries, per-bank template digests)"
expect_contains "$OUT" "sha256: match: PCR 10, 11 (22 entries, zero-padded SHA-1 template digests)"

# A current kernel without sha384 at boot: padded SHA-1, violations all-ones.
expect_ok ima-attest replay "$SYN/all.log" --pcrs "sha384,$SYN/all.log.fallback.sha384" --ignore-violations --json
python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["banks"][0]; assert b["matched"] and b["rule"] == "sha1-fallback", b' \
    "$WORK/.out" || fail "fallback rule"
pass

# Options before the list, as evmctl takes them: each --pcrs takes one value.
expect_ok ima-attest replay --pcrs "sha1,$SYN/ng.log.pcrs.sha1" --pcrs "sha256,$SYN/ng.log.pcrs.sha256" \
    --ignore-violations "$SYN/ng.log"

# Big-endian list, the "ima" template.
expect_ok ima-attest replay "$SYN/all-be.log" $(pcrs_args "$SYN/all-be.log" pcrs)
expect_ok ima-attest replay "$SYN/ima.log" $(pcrs_args "$SYN/ima.log" pcrs) --ignore-violations

# A tampered entry: the PCRs agree with the recorded digests, not the data.
expect_status 1 ima-attest replay "$SYN/all-tampered.log" $(pcrs_args "$SYN/all-tampered.log" pcrs)
expect_contains "$OUT" "sha1: the PCR values match the recorded template digests: the list was altered after it was measured, first at entry 6 (/usr/bin/signed-rsa)"
expect_contains "$OUT" "entry 6 (/usr/bin/signed-rsa): the recorded template digest does not match the entry's data"
expect_contains "$OUT" "sha256: MISMATCH: PCR 10: replayed "
# A freshly tampered list, another entry.
mklog --out "$WORK/t.log" --scenario ng --count 50 --tamper 33 --quick
expect_status 1 ima-attest replay "$WORK/t.log" $(pcrs_args "$WORK/t.log" pcrs)
expect_contains "$OUT" "first at entry 33 (/usr/lib/file-000032.sn)"

# Wrong values, no entry to blame.
sed 's/^PCR-10: ./PCR-10: 0/' "$SYN/ng.log.pcrs.sha256" >"$WORK/wrong.sha256"
sed -i 's/^PCR-10: 00/PCR-10: 11/' "$WORK/wrong.sha256"
expect_status 1 ima-attest replay "$SYN/ng.log" --pcrs "sha256,$WORK/wrong.sha256" --ignore-violations
expect_contains "$OUT" "sha256: MISMATCH: PCR 10"
expect_contains "$OUT" "cannot be singled out"

# A list longer than the PCRs: matched on the prefix, the rest reported.
mklog --out "$WORK/short.log" --scenario ng --count 30 --quick
mklog --out "$WORK/long.log" --scenario ng --count 36 --quick
expect_ok ima-attest replay "$WORK/long.log" $(pcrs_args "$WORK/short.log" pcrs)
expect_contains "$OUT" "sha1: match: PCR 10 after entry 30 of 36 (per-bank template digests; the 6 later entries are not covered by the PCR values)"

# `ima-attest pcrs` writes one file with both banks; --pcrs reads it back.
expect_ok ima-attest pcrs $(pcrs_args "$SYN/ng.log" pcrs)
printf '%s\n' "$OUT" >"$WORK/both.txt"
expect_eq 50 "$(wc -l <"$WORK/both.txt")" "lines of two banks"
expect_ok ima-attest replay "$SYN/ng.log" --pcrs "$WORK/both.txt" --ignore-violations
expect_contains "$OUT" "sha256: match: PCR 10 (40 entries"

# A sysfs-like folder (pcr-ALGO/N files).
for b in sha1 sha256; do
    mkdir -p "$WORK/tpm0/pcr-$b"
    while read -r name value; do
        n=$((10#${name:4:2}))
        echo "$value" | tr a-f A-F >"$WORK/tpm0/pcr-$b/$n"
    done <"$SYN/all-be.log.pcrs.$b"
done
expect_ok ima-attest replay "$SYN/all-be.log" --sysfs --sysfs-dir "$WORK/tpm0"
expect_contains "$OUT" "sha256: match: PCR 10, 11"
expect_ok ima-attest pcrs --sysfs-dir "$WORK/tpm0" --bank sha1
expect_eq "$(printf '# sha1\n'; cat "$SYN/all-be.log.pcrs.sha1")" "$OUT" "pcrs from sysfs"

# --json
expect_status 1 ima-attest replay "$SYN/all-tampered.log" $(pcrs_args "$SYN/all-tampered.log" pcrs) --json
python3 - "$WORK/.out" <<'PY' || fail "replay --json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is False and d["entries"] == 20
assert d["bad_template_digests"] == [{"index": 6, "name": "/usr/bin/signed-rsa"}]
b = {x["bank"]: x for x in d["banks"]}
assert b["sha1"]["matched"] is False and b["sha1"]["recorded_digests_match"] is True
assert set(b["sha256"]["pcrs"]) == {"10", "11"}
PY
pass
done_testing
