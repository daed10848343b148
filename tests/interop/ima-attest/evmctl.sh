#!/usr/bin/env bash
# evmctl ima_measurement and ima_boot_aggregate as the oracle: on the same
# lists and PCR files, ima-attest reaches the same verdict (match, mismatch,
# violations refused or ignored, a tampered entry, a list longer than the
# PCRs, old kernels' zero-padded SHA-1) and the same boot_aggregate values.
. "$TESTS_DIR/lib/assert.sh"
. "$TESTS_DIR/cli/ima-attest/lib.sh"
need evmctl

# verdict CMD...: "ok" or "fail" by exit status (evmctl exits 1 or 255 on failure).
verdict() { if "$@" >/dev/null 2>&1; then echo ok; else echo fail; fi; }

# same LOG PCRKIND WANT [--ignore-violations]: both tools on the same inputs.
same() {
    local log=$1 kind=$2 want=$3 flag=${4:-}
    local files="--pcrs sha1,$log.$kind.sha1 --pcrs sha256,$log.$kind.sha256"
    # shellcheck disable=SC2086
    local theirs ours
    theirs=$(verdict evmctl ima_measurement $files $flag "$log")
    ours=$(verdict ima-attest replay "$log" $files $flag)
    expect_eq "$theirs" "$ours" "verdict on $(basename "$log") ($kind${flag:+ $flag}): evmctl"
    expect_eq "$want" "$ours" "verdict on $(basename "$log") ($kind${flag:+ $flag})"
}

mklog --out "$WORK/all.log" --violations 2 --no-unknown
mklog --out "$WORK/ng.log" --scenario ng --count 200 --violations 4 --quick
mklog --out "$WORK/clean.log" --scenario ng --count 50 --quick
mklog --out "$WORK/ima.log" --scenario ima --count 30 --violations 1 --quick
mklog --out "$WORK/tampered.log" --scenario ng --count 50 --tamper 17 --quick

for log in "$WORK/all.log" "$WORK/ng.log" "$WORK/ima.log"; do
    same "$log" pcrs ok --ignore-violations
    same "$log" pcrs fail                # violations are not accepted by default
    same "$log" padded ok --ignore-violations
done
same "$WORK/clean.log" pcrs ok
same "$WORK/clean.log" padded ok
same "$WORK/tampered.log" pcrs fail
cp "$WORK/tampered.log.orig" "$WORK/orig.log"
for k in sha1 sha256; do cp "$WORK/tampered.log.pcrs.$k" "$WORK/orig.log.pcrs.$k"; done
same "$WORK/orig.log" pcrs ok
# Wrong PCR values.
for k in sha1 sha256; do sed 's/^PCR-10: ./PCR-10: f/' "$WORK/clean.log.pcrs.$k" >"$WORK/wrong.log.pcrs.$k"; done
cp "$WORK/clean.log" "$WORK/wrong.log"
same "$WORK/wrong.log" pcrs fail
# A list with entries measured after the PCRs were read: both accept the prefix.
mklog --out "$WORK/longer.log" --scenario ng --count 60 --quick
for k in sha1 sha256; do cp "$WORK/clean.log.pcrs.$k" "$WORK/longer.log.pcrs.$k"; done
same "$WORK/longer.log" pcrs ok

# boot_aggregate: from a TPM 1.2 event log (the only kind evmctl replays)...
mkeventlog --out "$WORK/bios.log" --format sha1 --events 40
expect_ok evmctl ima_boot_aggregate "$WORK/bios.log"
theirs=$OUT
expect_ok ima-attest boot-aggregate --eventlog "$WORK/bios.log"
expect_eq "$theirs" "$OUT" "boot_aggregate of a SHA-1 event log"
# ...and from PCR files of both banks.
mkeventlog --out "$WORK/agile.log" --locality 0 --events 25
for b in sha1 sha256; do
    expect_ok evmctl ima_boot_aggregate --pcrs "$b,$WORK/agile.log.pcrs.$b"
    theirs=$OUT
    expect_ok ima-attest boot-aggregate --pcrs "$b,$WORK/agile.log.pcrs.$b"
    expect_eq "$theirs" "$OUT" "boot_aggregate of $b PCRs"
    expect_ok ima-attest boot-aggregate --eventlog "$WORK/agile.log" --bank "$b"
    expect_eq "$theirs" "$OUT" "boot_aggregate of the replayed $b bank"
done
# PCRs that `ima-attest pcrs` printed, in evmctl's --pcrs format (one bank a file).
expect_ok ima-attest pcrs --eventlog "$WORK/agile.log" --bank sha256
printf '%s\n' "$OUT" >"$WORK/ours.sha256"
expect_ok evmctl ima_boot_aggregate --pcrs "sha256,$WORK/ours.sha256"
expect_eq "$(grep sha256 "$WORK/agile.log.aggregate")" "$OUT" "evmctl reads ima-attest pcrs"
done_testing
