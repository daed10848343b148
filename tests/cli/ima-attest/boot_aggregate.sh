#!/usr/bin/env bash
# ima-attest boot-aggregate from a replayed TCG event log (crypto-agile and
# SHA-1), a PCR file and a list's boot_aggregate entry; pcrs --eventlog.
. "$TESTS_DIR/lib/assert.sh"
. "$(dirname "$0")/lib.sh"

for log in bios-agile.log bios-agile3.log bios-sha1.log; do
    expect_ok ima-attest boot-aggregate --eventlog "$SYN/$log"
    expect_eq "$(cat "$SYN/$log.aggregate")" "$OUT" "$log"
done
expect_ok ima-attest boot-aggregate --eventlog "$SYN/bios-agile3.log" --bank sha384
expect_eq "$(grep sha384 "$SYN/bios-agile3.log.aggregate")" "$OUT"
# A fresh log with startup locality 3 and many events.
mkeventlog --out "$WORK/ev.log" --locality 3 --events 200 --banks sha1,sha256,sha384
expect_ok ima-attest boot-aggregate --eventlog "$WORK/ev.log"
expect_eq "$(cat "$WORK/ev.log.aggregate")" "$OUT" "fresh event log"
# The replayed PCRs are what mkeventlog worked out, and read back from a file.
expect_ok ima-attest pcrs --eventlog "$WORK/ev.log" --bank sha256
expect_eq "$(printf '# sha256\n'; cat "$WORK/ev.log.pcrs.sha256")" "$OUT" "pcrs --eventlog"
printf '%s\n' "$OUT" >"$WORK/ev.pcrs"
expect_ok ima-attest boot-aggregate --pcrs "$WORK/ev.pcrs"
expect_eq "$(grep sha256 "$WORK/ev.log.aggregate")" "$OUT" "from a PCR file"
expect_ok ima-attest boot-aggregate --pcrs "sha1,$WORK/ev.log.pcrs.sha1" --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert list(d["boot_aggregate"]) == ["sha1"]' "$WORK/.out" ||
    fail "boot-aggregate --json"
pass

# Against a list's boot_aggregate entry: its algorithm picks the bank.
agg256=$(sed -n 's/^sha256://p' "$SYN/bios-agile.log.aggregate")
mklog --out "$WORK/good.log" --boot-aggregate "sha256:$agg256" --quick
expect_ok ima-attest boot-aggregate --eventlog "$SYN/bios-agile.log" --log "$WORK/good.log"
expect_contains "$OUT" "boot_aggregate of the list (entry 1): match (sha256)"
expect_ok ima-attest boot-aggregate --eventlog "$SYN/bios-agile.log" --bank sha1 --log "$WORK/good.log" --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["log"]["match"] is True' "$WORK/.out" || fail json
pass
mklog --out "$WORK/bad.log" --boot-aggregate "sha256:$(sed -n 's/^sha256://p' "$SYN/bios-agile3.log.aggregate")" --quick
expect_status 1 ima-attest boot-aggregate --eventlog "$SYN/bios-agile.log" --log "$WORK/bad.log"
expect_contains "$OUT" "boot_aggregate of the list (entry 1): MISMATCH: the list has sha256:"
# The SHA-1 event log has no sha256 bank for a sha256 boot_aggregate.
expect_status 3 ima-attest boot-aggregate --eventlog "$SYN/bios-sha1.log" --log "$WORK/good.log"
expect_eq "ima-attest: error: $SYN/bios-sha1.log: no sha256 PCRs for the list's boot_aggregate" "$ERR"
expect_status 3 ima-attest boot-aggregate --eventlog "$SYN/bios-sha1.log" --bank sha256
expect_eq "ima-attest: error: $SYN/bios-sha1.log: no sha256 PCR bank" "$ERR"

# A malformed event log names the event.
head -c 200 "$SYN/bios-agile.log" >"$WORK/cut.log"
expect_status 1 ima-attest boot-aggregate --eventlog "$WORK/cut.log"
expect_one_line "$ERR"
expect_contains "$ERR" "ima-attest: error: $WORK/cut.log: event 4 at byte"
done_testing
