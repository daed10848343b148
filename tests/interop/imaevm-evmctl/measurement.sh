#!/usr/bin/env bash
# imaevm-evmctl against evmctl for ima_boot_aggregate (PCR files in both
# notations, TPM 1.2 BIOS event logs, bad input) and ima_measurement
# (synthetic lists from gen_measurements.py: per-bank and zero-padded PCRs,
# violations, lists longer than the PCRs, broken digests, every kind of
# malformed entry), in every combination of PCR files and options.
. "$TESTS_DIR/lib/assert.sh"
. "$TESTS_DIR/interop/imaevm-evmctl/compare.sh"
need python3
in=$WORK/input
mkdir -p "$in"
python3 - "$in" <<'PY'
import hashlib, os, struct, sys
d = sys.argv[1]
def pcr_file(name, algo, upper=False, spaced=False, count=24, order=None):
    with open(f"{d}/{name}", "w") as f:
        for i in (order or range(count)):
            v = hashlib.new(algo, bytes([i, len(name)])).hexdigest()
            if upper: v = v.upper()
            if spaced: v = " ".join(v[j:j + 2] for j in range(0, len(v), 2))
            f.write(f"PCR-{i:02d}: {v}\n")
pcr_file("sha1.pcrs", "sha1")
pcr_file("sha1-upper.pcrs", "sha1", upper=True)
pcr_file("sha1-spaced.pcrs", "sha1", upper=True, spaced=True)  # TPM 1.2 sysfs notation
pcr_file("sha256.pcrs", "sha256")
pcr_file("short.pcrs", "sha256", count=5)
pcr_file("shuffled.pcrs", "sha1", order=[0, 1, 3, 2, 4, 5, 6, 7, 8, 9])
open(f"{d}/empty.pcrs", "w").close()
with open(f"{d}/junk.pcrs", "w") as f: f.write("PCR-00: zz\nPCR-01: 12\n")
def log(name, events):
    with open(f"{d}/{name}", "wb") as f:
        for pcr, data, n in events:
            f.write(struct.pack("<II20sI", pcr, 13, hashlib.sha1(data).digest(), n) + data)
log("bios.log", [(i % 10, os.urandom(4 + i), 4 + i) for i in range(40)])
log("zero-event.log", [(0, b"abcd", 4), (1, b"", 0), (2, b"efgh", 4)])
log("bad-pcr.log", [(0, b"abcd", 4), (24, b"efgh", 4)])
log("truncated.log", [(0, b"abcd", 4), (5, b"ef", 9)])
log("huge.log", [(0, b"", 200001)])
PY
set_input "$in"

both ima_boot_aggregate --pcrs sha1.pcrs
expect_rc 0
expect_contains "$OUT_O" "sha1:"
both ima_boot_aggregate --pcrs sha1,sha1-upper.pcrs
both ima_boot_aggregate --pcrs sha1-spaced.pcrs
both ima_boot_aggregate --pcrs sha256,sha256.pcrs
both ima_boot_aggregate --pcrs sha1,sha1.pcrs --pcrs sha256,sha256.pcrs
expect_eq 2 "$(wc -l <<<"$OUT_O")" "two banks, two lines"
both ima_boot_aggregate --pcrs sha256,sha256.pcrs --pcrs sha1.pcrs
both ima_boot_aggregate --pcrs sha256,short.pcrs
both ima_boot_aggregate --pcrs shuffled.pcrs
both ima_boot_aggregate --pcrs junk.pcrs
both ima_boot_aggregate --pcrs empty.pcrs
expect_rc 125
both ima_boot_aggregate --pcrs sha384,sha256.pcrs
expect_rc 125
both ima_boot_aggregate --pcrs missing.pcrs
expect_rc 125
both ima_boot_aggregate --pcrs /dev/null
expect_rc 125
both ima_boot_aggregate --pcrs a --pcrs b --pcrs c
expect_rc 1
both ima_boot_aggregate bios.log
expect_rc 0
both ima_boot_aggregate zero-event.log
both ima_boot_aggregate truncated.log
both ima_boot_aggregate bad-pcr.log
expect_rc 125
both ima_boot_aggregate huge.log
expect_rc 125
both ima_boot_aggregate missing.log
expect_rc 125
both ima_boot_aggregate .
expect_rc 125

# --- ima_measurement
K=$TESTS_DIR/fixtures/keys
echo "signed content" >"$WORK/signed-file"
sig=$(evmctl ima_sign -n -k "$K/rsa.key" "$WORK/signed-file" 2>/dev/null)
ml=$WORK/lists
python3 "$TESTS_DIR/interop/imaevm-evmctl/gen_measurements.py" "$ml" "$WORK/signed-file" "$sig"
set_input "$ml"
declare -A seen
for c in good padded violation violation-padded longer bad-digest mismatch ima-template truncated-early \
    truncated-late bad-pcr long-name zero-name mixed empty; do
    for extra in "" --ignore-violations --verify-bank=sha256 --verify-bank=sha1; do
        for pcrs in "--pcrs $c.sha1.pcrs --pcrs sha256,$c.sha256.pcrs" "--pcrs sha256,$c.sha256.pcrs" \
            "--pcrs sha1,$c.sha1.pcrs" ""; do
            # shellcheck disable=SC2086
            both ima_measurement $extra $pcrs -k "$K/rsa.der" $c.list
            seen[$RC]=1
        done
    done
done
# the cases cover every status
expect_eq "0 1 125" "$(echo "${!seen[@]}" | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')" "statuses seen"
both ima_measurement --pcrs good.sha1.pcrs --pcrs sha256,good.sha256.pcrs -k "$K/rsa.der" --verify-sig good.list
expect_rc 0
both ima_measurement --pcrs good.sha1.pcrs --pcrs sha256,bad-digest.sha256.pcrs good.list
both ima_measurement --pcrs sha384,good.sha256.pcrs good.list
both ima_measurement --pcrs good.sha1.pcrs missing.list
expect_rc 125
both ima_measurement
expect_rc 125

# A stream that is no list stops at its first entry: a MiB of zeros gives
# what evmctl gives, and 2 GiB of them on stdin end as soon as the first
# entry is read (not after reading up to the 1 GiB bound).
head -c 1048576 /dev/zero >"$ml/zeros.list"
cp "$in/sha1.pcrs" "$ml/zeros.sha1.pcrs"
both ima_measurement --pcrs zeros.sha1.pcrs zeros.list
zero_rc=$RC
rc=0
head -c 2147483648 /dev/zero | timeout 60 imaevm-evmctl ima_measurement --pcrs "$ml/zeros.sha1.pcrs" - \
    >"$WORK/zeros.out" 2>"$WORK/zeros.err" || rc=$?
expect_eq "$zero_rc" "$rc" "exit status for 2 GiB of zeros on stdin (124: still reading after 60 s)"
expect_eq "$(grep -c . "$WORK/zeros.err")" "$(imaevm-evmctl ima_measurement --pcrs "$ml/zeros.sha1.pcrs" "$ml/zeros.list" 2>&1 >/dev/null | grep -c .)" \
    "lines of error for the stream and the file"

# A list without signatures needs no key: no error about the default key file.
[ -e /etc/keys/x509_evm.der ] && fail "/etc/keys/x509_evm.der exists here: this check needs it absent"
expect_ok imaevm-evmctl ima_measurement --pcrs "$ml/ima-template.sha1.pcrs" "$ml/ima-template.list"
expect_not_contains "$ERR" "x509_evm.der"

done_testing
