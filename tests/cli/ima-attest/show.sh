#!/usr/bin/env bash
# ima-attest show prints what ascii_runtime_measurements would show, for every
# template, both byte orders and the "ima" template; --json; stdin.
. "$TESTS_DIR/lib/assert.sh"
. "$(dirname "$0")/lib.sh"

for log in all.log all-be.log ima.log ng.log; do
    expect_ok ima-attest show "$SYN/$log"
    expect_eq "$(cat "$SYN/$log.ascii")" "$OUT" "show $log"
done
# The unknown template is named on stderr, once.
expect_ok ima-attest show "$SYN/all.log"
expect_eq "ima-attest: warning: template 'vendor-tmpl' is unknown: its data is shown as one hex field" "$ERR"
expect_ok ima-attest show -q "$SYN/all.log"
expect_eq "" "$ERR"

# A freshly written big-endian list with violations, and its forced reading.
mklog --out "$WORK/be.log" --scenario ng --count 30 --violations 2 --order big
expect_ok ima-attest show "$WORK/be.log"
expect_eq "$(cat "$WORK/be.log.ascii")" "$OUT" "big-endian"
expect_ok ima-attest show --byte-order big "$WORK/be.log"
expect_status 1 ima-attest show --canonical "$WORK/be.log"
expect_one_line "$ERR"
expect_contains "$ERR" "ima-attest: error: $WORK/be.log: entry 1 at byte 0: PCR 167772160 is out of range (0-23)"

# stdin
expect_ok ima-attest show - <"$SYN/ng.log"
expect_eq "$(cat "$SYN/ng.log.ascii")" "$OUT" "stdin"

# --json: one document, the same facts.
expect_ok ima-attest show --json "$SYN/all.log"
python3 - "$WORK/.out" <<'PY' || fail "show --json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["byte_order"] == "little-endian" and d["template_digest_algo"] == "sha1"
assert d["unknown_templates"] == ["vendor-tmpl"]
e = d["entries"]
assert len(e) == 22
assert e[0]["fields"] == {"d-ng": e[0]["fields"]["d-ng"], "n-ng": "boot_aggregate"}
assert e[5]["template"] == "ima-sig" and e[5]["fields"]["sig"].startswith("030204")
assert e[17]["fields"]["iuid"] == "1000" and e[17]["fields"]["imode"] == "33188"
assert e[18]["template"] == "vendor-tmpl" and e[18]["data"] == "060000006f7061717565"
assert e[21]["violation"] is True
PY
pass

# A list of 0 entries is empty output.
: >"$WORK/empty.log"
expect_ok ima-attest show "$WORK/empty.log"
expect_eq "" "$OUT"
done_testing
