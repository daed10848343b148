#!/usr/bin/env bash
# A verifier refuses what it cannot prove: PCRs at their reset value match no
# list, an empty list or event log proves nothing, a stream that is not a
# list fails at its first entry instead of being read whole, a hash OpenSSL
# lacks is named per entry (never a usage error), and names from the
# measured machine cannot forge report lines.
. "$TESTS_DIR/lib/assert.sh"
. "$(dirname "$0")/lib.sh"
cd "$WORK"
zeros() {  # zeros ALGO SIZE: a PCR file of zeros for PCRs 0-23
    local i
    for i in $(seq 0 23); do printf 'PCR-%02d: %s\n' "$i" "$(head -c "$2" /dev/zero | xxd -p -c 100)"; done >"$1.zeros"
}
zeros sha1 20
zeros sha256 32

# PCR 10 at zero, a list of 40 entries: evmctl says no, so do we, with and
# without --ignore-violations.
for extra in "" --ignore-violations; do
    expect_status 1 ima-attest replay "$SYN/ng.log" --pcrs sha1,sha1.zeros --pcrs sha256,sha256.zeros $extra
    expect_contains "$OUT" "sha1: MISMATCH: PCR 10"
    expect_not_contains "$OUT" "match after entry 0"
done
# An empty list matches nothing.
: >empty.log
expect_status 1 ima-attest replay empty.log --pcrs sha1,sha1.zeros
expect_contains "$OUT" "the list holds no entries"
expect_status 1 ima-attest replay empty.log --pcrs sha1,sha1.zeros --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["ok"] is False' "$WORK/.out" || fail "json ok"
pass
# verify over an empty list, boot-aggregate over an empty event log.
expect_status 1 ima-attest verify empty.log -c "$KEYS/rsa.pem"
expect_contains "$OUT" "nothing verified: the list holds no entries"
: >empty.eventlog
expect_status 1 ima-attest boot-aggregate --eventlog empty.eventlog
expect_contains "$ERR" "empty.eventlog: the event log holds no measurements"
head -c 4096 /dev/zero >zero.eventlog  # firmware log areas are zero-filled: no events either
expect_status 1 ima-attest pcrs --eventlog zero.eventlog

# Streams that are not what they claim: refused at once, not read whole.
expect_status 3 ima-attest show /dev/zero
expect_eq "ima-attest: error: /dev/zero: not a regular file" "$ERR"
expect_status 1 timeout 20 sh -c 'head -c 2000000000 /dev/zero | ima-attest show -'
expect_one_line "$ERR"
expect_contains "$ERR" "not a measurement list"
expect_status 1 timeout 20 sh -c 'head -c 2000000000 /dev/zero | ima-attest replay --pcrs - "$1"' sh "$SYN/ng.log"
expect_contains "$ERR" "line 1: longer than 4096 bytes"
expect_status 1 timeout 20 sh -c 'yes PCR-10: 00 | ima-attest replay --pcrs - "$1"' sh "$SYN/ng.log"
expect_one_line "$ERR"
expect_status 1 timeout 20 sh -c 'head -c 2000000000 /dev/zero | ima-attest pcrs --eventlog -'
expect_one_line "$ERR"

# An appended signature whose d-modsig names a hash the kernel knows and
# OpenSSL lacks (wp256): named on its entry, exit 1, not a usage error. The
# signature is a real module signature (PKCS#7 without signed attributes,
# made by openssl cms), so the check gets as far as the digest algorithm.
echo module >m.ko
openssl cms -sign -binary -noattr -nocerts -nosmimecap -outform DER -md sha256 -signer "$KEYS/rsa.pem" \
    -inkey "$KEYS/rsa.key" -in m.ko -out m.p7s
python3 - <<'PY'
import hashlib, struct
def field(b): return struct.pack("<I", len(b)) + b
def entry(name, fields):
    data = b"".join(field(f) for f in fields)
    return struct.pack("<I", 10) + hashlib.sha1(data).digest() + field(name) + field(data)
d = b"sha256:\0" + bytes(32)
p7 = open("m.p7s", "rb").read()
open("modsig.log", "wb").write(entry(b"ima-modsig", [d, b"/lib/modules/m.ko\0", b"", b"wp256:\0" + bytes(32), p7]))
# The same class in a version 3 signature: signed with wp256, whose ima_file_id
# hash OpenSSL cannot compute.
sig = b"\x03\x03\x0b" + b"\x01\x02\x03\x04" + b"\x00\x01" + b"\x00"
open("sigv3.log", "wb").write(entry(b"ima-sig", [b"wp256:\0" + bytes(32), b"/usr/bin/w\0", sig]))
PY
expect_status 1 ima-attest verify modsig.log -c "$KEYS/rsa.pem"
expect_contains "$OUT" "entry 1 /lib/modules/m.ko: "
expect_contains "$OUT" "'d-modsig' is wp256"
expect_status 1 ima-attest verify sigv3.log -c "$KEYS/rsa.pem"
expect_contains "$OUT" "entry 1 /usr/bin/w: "
expect_contains "$OUT" "wp256"

# Names from the measured machine are escaped in verify's report lines.
python3 - <<'PY'
import hashlib, struct
def field(b): return struct.pack("<I", len(b)) + b
def entry(name, fields):
    data = b"".join(field(f) for f in fields)
    return struct.pack("<I", 10) + hashlib.sha1(data).digest() + field(name) + field(data)
d = b"sha256:\0" + hashlib.sha256(b"x").digest()
open("names.log", "wb").write(entry(b"ima-ng", [d, b"/tmp/a\nentry 9 /bin/ok: ok: digest matches\0"]))
PY
echo '{"version":1,"hash_algo":"sha256","files":[]}' >empty.json
expect_status 1 ima-attest verify names.log --manifest empty.json --root /
expect_eq 1 "$(printf '%s\n' "$OUT" | wc -l)" "report lines for one entry"
expect_contains "$OUT" 'entry 1 /tmp/a\nentry 9 /bin/ok: ok: digest matches: unknown file'
done_testing
