#!/usr/bin/env bash
# ima-attest check on swtpm: the verifier's verdict on evidence from
# ima-attest quote. A list extended into PCR 10 with tpm2_pcrextend is
# trusted against the enrolled AK (pinned, and through an EK certificate
# chaining to --ek-ca); the list may grow after the quote (a prefix is
# proven). Refused, exit 1, the check named: another nonce, an EK CA that is
# not the maker's, one flipped byte in the message or the signature, a
# TPMS_ATTEST made up and signed by the AK with TPM2_Sign, PCR
# values that are not the quoted ones, an AK of another TPM or not
# restricted, a list entry
# changed after the quote, an event log of another machine, bad signatures
# (entries named), an old quote replayed against --state; garbage and
# truncated evidence is one line.
# With --state a re-check replays only the entries after the last one.
. "$TESTS_DIR/lib/assert.sh"
. "$(dirname "$0")/lib.sh"
need swtpm openssl tpm2_pcrextend tpm2_nvdefine tpm2_nvwrite tpm2_createek tpm2_readpublic tpm2_flushcontext \
    tpm2_startauthsession tpm2_policysecret tpm2_load tpm2_hash tpm2_sign
. "$(dirname "$0")/swtpm.sh"

cd "$WORK"
tpm() { "$@" >/dev/null || fail "$1 failed"; tpm2_flushcontext -t >/dev/null; }
# extend LOG FIRST LAST: entries FIRST..LAST of mklog.py's LOG.extend into the TPM.
extend() { sed -n "$2,$3p" "$1.extend" | while read -r l; do tpm2_pcrextend "$l" || fail "tpm2_pcrextend $l"; done; }
# edit IN OUT PYTHON: the evidence document `d` changed by a Python statement.
edit() { python3 -c 'import json,sys,base64
d = json.load(open(sys.argv[1]))
def flip(b64, i): b = bytearray(base64.b64decode(b64)); b[i] ^= 1; return base64.b64encode(bytes(b)).decode()
exec(sys.argv[3]); json.dump(d, open(sys.argv[2], "w"))' "$@"; }
SEL="sha256:0,1,2,3,4,5,6,7,8,9,10,14+sha1:10"

start_swtpm
export IMAEVM_TCTI=$TCTI TPM2TOOLS_TCTI=$TCTI
# The EK certificate a TPM maker puts in NV, and a CA that is not the maker's.
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other-ca.pem -subj /CN=other-ca -days 30 2>/dev/null
provision_ek_certificate
expect_ok ima-attest ak create -o ak.json

# A fresh TPM's PCRs 0-9 are zero: the boot_aggregate of this boot.
agg=$(python3 -c 'import hashlib; print(hashlib.sha256(bytes(320)).hexdigest())')
mklog --out l.log --scenario ng --count 30 --boot-aggregate "sha256:$agg"
extend l.log 1 20
# The list holds 30 entries, the quote covers 20 of them.
expect_ok ima-attest quote --ak ak.json --nonce 0a0b --pcrs "$SEL" --log l.log -o ev1.json
expect_ok ima-attest check ev1.json --nonce 0a0b --ak ak.json
expect_eq "" "$OUT" "no failed check on stdout"
expect_eq "ima-attest: check: trusted: 11 checks passed, 20 of 30 list entries proven by the quote" "$ERR"
expect_ok ima-attest check ev1.json --nonce 0a0b --ak ak.json --ek-ca ca.pem -v
expect_contains "$OUT" "check: ek certificate: ok: chains to an --ek-ca and holds the AK file's EK"
expect_contains "$OUT" "check: ima list: ok: sha1, sha256: PCR 10 reproduced by entries 1-20 of 30 (per-bank template digests)"
expect_contains "$OUT" "check: boot_aggregate: ok: sha256:$agg from the quoted PCRs"
expect_ok ima-attest check - --nonce 0a0b --ak ak.json --json <ev1.json
python3 -c 'import json,sys; d = json.load(open(sys.argv[1]))
assert d["trusted"] is True and d["proven_entries"] == 20 and d["list_entries"] == 30, d
names = [c["check"] for c in d["checks"]]
for n in ("ak name", "ak attributes", "signature", "magic", "type", "nonce", "pcr selection", "pcr digest", "clock", "ima list", "boot_aggregate"):
    assert n in names, n' "$WORK/.out" || fail "check --json"
pass

# The verdicts that say no, each naming its check.
expect_status 1 ima-attest check ev1.json --nonce 0a0c --ak ak.json
expect_eq "check: nonce: failed: the quote holds 0a0b, not 0a0c" "$OUT"
expect_eq "ima-attest: check: not trusted: 1 of 9 checks failed (nonce)" "$ERR"
expect_status 1 ima-attest check ev1.json --nonce 0a0b --ak ak.json --ek-ca other-ca.pem
expect_contains "$OUT" "check: ek certificate: failed: the EK certificate does not chain to an --ek-ca: unable to get local issuer certificate"
# Bytes of the signer's name, the clock and the PCR digest.
for i in 10 50 -1; do
    edit ev1.json bad.json "d['quote']['message'] = flip(d['quote']['message'], $i)"
    expect_status 1 ima-attest check bad.json --nonce 0a0b --ak ak.json
    expect_contains "$OUT" "check: signature: failed: does not verify with the AK over the quote message"
done
edit ev1.json bad.json "d['quote']['message'] = flip(d['quote']['message'], 0)"
expect_status 1 ima-attest check bad.json --nonce 0a0b --ak ak.json
expect_contains "$OUT" "check: magic: failed: 0xfe544347, not TPM_GENERATED_VALUE"
# A length changed: the message no longer parses.
edit ev1.json bad.json "d['quote']['message'] = flip(d['quote']['message'], 7)"
expect_status 1 ima-attest check bad.json --nonce 0a0b --ak ak.json
expect_contains "$OUT" "check: quote message: failed: not a TPMS_ATTEST"
edit ev1.json bad.json "d['quote']['signature'] = flip(d['quote']['signature'], 100)"
expect_status 1 ima-attest check bad.json --nonce 0a0b --ak ak.json
expect_contains "$OUT" "check: signature: failed: does not verify with the AK over the quote message"
# A TPMS_ATTEST made up and signed by the AK itself with TPM2_Sign: the TPM
# signs it only when it does not start with TPM_GENERATED_VALUE (no ticket
# from TPM2_Hash otherwise), so the signature verifies and the magic does not.
field() { python3 -c 'import json,sys,base64
d = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): d = d[k]
sys.stdout.buffer.write(base64.b64decode(d))' "$@"; }
field ak.json ak.public >ak.pub
field ak.json ak.private >ak.priv
tpm2_startauthsession --policy-session -S s.ctx >/dev/null || fail "startauthsession"
tpm2_policysecret -S s.ctx -c e >/dev/null || fail "policysecret"
tpm2_load -C ek.ctx -u ak.pub -r ak.priv -c ak.ctx -P session:s.ctx >/dev/null || fail "tpm2_load"
tpm2_flushcontext s.ctx
tpm2_flushcontext -t >/dev/null
field ev1.json quote.message >real.msg
python3 -c 'import sys; b = bytearray(open("real.msg", "rb").read()); b[3] ^= 1; open("made.msg", "wb").write(b)'
tpm tpm2_hash -C o -g sha256 -t made.ticket -o made.digest made.msg
tpm tpm2_sign -c ak.ctx -g sha256 -t made.ticket -o made.sig made.msg
edit ev1.json bad.json "d['quote']['message'] = base64.b64encode(open('made.msg', 'rb').read()).decode(); d['quote']['signature'] = base64.b64encode(open('made.sig', 'rb').read()).decode()"
expect_status 1 ima-attest check bad.json --nonce 0a0b --ak ak.json
expect_eq "check: magic: failed: 0xff544346, not TPM_GENERATED_VALUE: the TPM did not make it" "$OUT" "a made-up quote the AK signed"
tpm2_hash -C o -g sha256 -t real.ticket -o real.digest real.msg >/dev/null
tpm2_flushcontext -t >/dev/null
if tpm2_sign -c ak.ctx -g sha256 -t real.ticket -o real.sig real.msg >/dev/null 2>&1; then
    fail "the TPM signed a made-up message that starts with TPM_GENERATED_VALUE"
fi
tpm2_flushcontext -t >/dev/null
# PCR values typed in: the quoted digest says otherwise, and nothing is replayed.
edit ev1.json bad.json "d['pcrs']['sha256']['10'] = '11' * 32"
expect_status 1 ima-attest check bad.json --nonce 0a0b --ak ak.json
expect_contains "$OUT" "check: pcr digest: failed: the PCR values hash to "
expect_not_contains "$OUT" "ima list"
edit ev1.json bad.json "del d['pcrs']['sha1']"
expect_status 1 ima-attest check bad.json --nonce 0a0b --ak ak.json
expect_eq "check: pcr values: failed: the quote covers sha1:10, which the evidence does not carry" "$OUT"
# An entry changed after it was measured: PCR 10 is not reproduced, the entry named.
mklog --out t.log --scenario ng --count 30 --boot-aggregate "sha256:$agg" --tamper 5
edit ev1.json bad.json "d['ima']['log'] = base64.b64encode(open('t.log', 'rb').read()).decode()"
expect_status 1 ima-attest check bad.json --nonce 0a0b --ak ak.json
expect_contains "$OUT" "check: ima list: failed: sha1: PCR 10 not reproduced by any prefix of the list"
expect_contains "$OUT" "entry 5 "
expect_contains "$OUT" ": its template digest does not match its data (changed after it was measured)"
# A list that is not the quoted one at all proves nothing, nor does an empty one.
edit ev1.json bad.json "d['ima']['log'] = ''"
expect_status 1 ima-attest check bad.json --nonce 0a0b --ak ak.json
expect_contains "$OUT" "check: ima list: failed: sha1: PCR 10 not reproduced by any prefix of the list"
# A firmware event log of another machine does not replay to this TPM's PCRs 0-7.
expect_ok ima-attest quote --ak ak.json --nonce 0a0b --pcrs "$SEL" --log l.log --eventlog "$FIX/qemu/binary_bios_measurements" -o evl.json
expect_status 1 ima-attest check evl.json --nonce 0a0b --ak ak.json
expect_eq "check: event log: failed: the log does not replay to the quoted sha256 PCR 0, sha256 PCR 1, sha256 PCR 2, sha256 PCR 3, sha256 PCR 4, sha256 PCR 5, sha256 PCR 6, sha256 PCR 7" "$OUT"
# An AK that is not restricted (its name recomputed) could have signed anything.
python3 -c 'import json, base64, hashlib
a = json.load(open("ak.json")); pub = bytearray(base64.b64decode(a["ak"]["public"])); pub[7] &= ~0x01
a["ak"]["public"] = base64.b64encode(pub).decode(); a["ak"]["name"] = "000b" + hashlib.sha256(pub[2:]).hexdigest()
json.dump(a, open("unrestricted.json", "w"))'
expect_status 1 ima-attest check ev1.json --nonce 0a0b --ak unrestricted.json
expect_eq "ima-attest: error: unrestricted.json: ak.public is not an attestation key: not restricted (it could sign made-up quotes)" "$ERR"
# Garbage and truncated documents: one line, exit 1.
head -c 200 ev1.json >cut.json
expect_status 1 ima-attest check cut.json --nonce 0a0b --ak ak.json
expect_eq "ima-attest: error: cut.json: not a JSON document (truncated?)" "$ERR"
printf 'garbage' >g.json
expect_status 1 ima-attest check g.json --nonce 0a0b --ak ak.json
expect_eq "ima-attest: error: g.json: not a JSON document (truncated?)" "$ERR"
edit ev1.json bad.json "d['version'] = 2"
expect_status 1 ima-attest check bad.json --nonce 0a0b --ak ak.json
expect_eq "ima-attest: error: bad.json: evidence version 2 (this tool reads version 1)" "$ERR"
edit ev1.json bad.json "d['quote']['message'] = 'AAAA'"
expect_status 1 ima-attest check bad.json --nonce 0a0b --ak ak.json
expect_contains "$OUT" "check: quote message: failed: "
expect_status 2 ima-attest check ev1.json --nonce zz --ak ak.json
expect_status 3 ima-attest check absent.json --nonce 0a0b --ak ak.json
pass

# --state: the first check writes it; the same quote again is an old one.
expect_ok ima-attest check ev1.json --nonce 0a0b --ak ak.json --state node.state
[ -f node.state ] || fail "no state written for a trusted check"
expect_eq "600" "$(stat -c %a node.state)" "the state file's mode"
cp node.state before.state
expect_status 1 ima-attest check ev1.json --nonce 0a0b --ak ak.json --state node.state
expect_contains "$OUT" "check: state: failed: clock "
expect_contains "$OUT" "is not ahead of the state's"
cmp -s node.state before.state || fail "the state changed on a verdict that was not trusted"
# The list grew and PCR 10 with it: only the new entries are replayed.
extend l.log 21 30
expect_ok ima-attest quote --ak ak.json --nonce 0c0d --pcrs "$SEL" --log l.log -o ev2.json
expect_ok ima-attest check ev2.json --nonce 0c0d --ak ak.json --state node.state -v
expect_contains "$OUT" "check: ima list: ok: sha1, sha256: PCR 10 reproduced by entries 21-30 after the state's 20 of 30"
expect_eq "ima-attest: check: trusted: 11 checks passed, 30 of 30 list entries proven by the quote (10 replayed after the state)" "$ERR"
# The first evidence is refused now too, and a re-check with nothing new passes.
expect_status 1 ima-attest check ev1.json --nonce 0a0b --ak ak.json --state node.state
expect_contains "$OUT" "check: state: failed: "
expect_ok ima-attest quote --ak ak.json --nonce 0e0f --pcrs "$SEL" --log l.log -o ev3.json
expect_ok ima-attest check ev3.json --nonce 0e0f --ak ak.json --state node.state -v
expect_contains "$OUT" "check: ima list: ok: sha1, sha256: no entries since the state's 30"
# A list staged and deleted in chunks (kernels from 7.2): the chunks the node
# kept, then the live list, make the whole list again.
python3 -c '
import struct, sys
d = open("l.log", "rb").read(); o = 0; cuts = [0]
while o < len(d):
    o += 24; l, = struct.unpack_from("<I", d, o); o += 4 + l; l, = struct.unpack_from("<I", d, o); o += 4 + l
    cuts.append(o)
open("chunk1", "wb").write(d[:cuts[10]]); open("chunk2", "wb").write(d[cuts[10]:cuts[15]])
open("live", "wb").write(d[cuts[15]:])'
expect_ok ima-attest quote --ak ak.json --nonce 1111 --pcrs "$SEL" --staged chunk1 --staged chunk2 --log live -o evst.json
expect_ok ima-attest check evst.json --nonce 1111 --ak ak.json
expect_eq "ima-attest: check: trusted: 11 checks passed, 30 of 30 list entries proven by the quote" "$ERR"
# Without the chunks the live list proves nothing (it does not start at a reset PCR).
expect_ok ima-attest quote --ak ak.json --nonce 1112 --pcrs "$SEL" --log live -o evlive.json
expect_status 1 ima-attest check evlive.json --nonce 1112 --ak ak.json
expect_contains "$OUT" "check: ima list: failed: sha1: PCR 10 not reproduced by any prefix of the list"
expect_status 2 ima-attest quote --ak ak.json --nonce 1113 --staged chunk1 -o x.json
expect_eq "ima-attest: error: --staged chunks need the live list they came from (--log)" "$ERR"
# The state file is checked like any input.
printf '{"version": 1' >broken.state
expect_status 1 ima-attest check ev3.json --nonce 0e0f --ak ak.json --state broken.state
expect_eq "ima-attest: error: broken.state: not a JSON object (truncated?)" "$ERR"
pass

# --batch: many nodes in one process, each judged and named on its own.
rm -f b.state
printf '# evidence nonce ak state\nev2.json 0c0d ak.json b.state\n\nev1.json 0a0c ak.json\nabsent.json 01 ak.json\n' >jobs
expect_status 1 ima-attest check --batch jobs
expect_eq "ev2.json: trusted: 11 checks passed, 30 of 30 list entries proven by the quote
ev1.json: not trusted: 1 of 9 checks failed (nonce)
ev1.json: check: nonce: failed: the quote holds 0a0b, not 0a0c
absent.json: not trusted: error: absent.json: No such file or directory" "$OUT"
expect_eq "ima-attest: check: 1 of 3 nodes trusted" "$ERR"
[ -f b.state ] || fail "no state written for the trusted job"
expect_ok ima-attest check --batch - --json <<<"ev3.json 0e0f ak.json"
python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); assert d["batch"][0]["trusted"] and d["batch"][0]["evidence"] == "ev3.json", d' \
    "$WORK/.out" || fail "check --batch --json"
printf 'ev1.json 0a0b\n' >badjobs
expect_status 2 ima-attest check --batch badjobs
expect_eq "ima-attest: error: badjobs: line 1: not EVIDENCE NONCE AK [STATE]" "$ERR"
expect_status 2 ima-attest check --batch jobs ev1.json
pass

# Signatures and manifest over the proven entries, each failure named.
start_swtpm
export IMAEVM_TCTI=$TCTI TPM2TOOLS_TCTI=$TCTI
expect_ok ima-attest ak create -o ak2.json
mklog --out s.log --scenario all --boot-aggregate "sha256:$agg"
n=$(wc -l <s.log.extend)
extend s.log 1 "$n"
# This list also extends PCR 11: the quote must cover it.
expect_ok ima-attest quote --ak ak2.json --nonce 01 --pcrs "sha256:0,1,2,3,4,5,6,7,8,9,10,11+sha1:10,11" --log s.log -o evs.json
expect_status 1 ima-attest check evs.json --nonce 01 --ak ak2.json -c "$KEYS/rsa.pem" -c "$KEYS/ec256.pem"
expect_contains "$OUT" "check: signatures: failed: "
expect_contains "$OUT" "entry 9 /usr/bin/other-key: unknown key: "
# The AK of the first TPM does not speak for this one.
expect_status 1 ima-attest check evs.json --nonce 01 --ak ak.json
expect_contains "$OUT" "check: ak name: failed: the evidence is from AK "
pass
done_testing
