#!/usr/bin/env bash
# ima-attest check-quote against a real TPM and the tool users already
# trust: swtpm makes an EK and an AK (RSA and ECC), PCR 10 is extended,
# tpm2_quote writes its -m/-s/-o files, and for every case tpm2_checkquote
# gives the same verdict as we do: a real quote is trusted and its values
# printed; a changed nonce, PCR value or message byte, another AK and another
# quote's PCR file are not; malformed files give one line and exit 1.
. "$TESTS_DIR/lib/assert.sh"
. "$(dirname "$0")/lib.sh"
need swtpm tpm2_createek tpm2_createak tpm2_quote tpm2_checkquote tpm2_pcrextend tpm2_pcrread tpm2_flushcontext
. "$(dirname "$0")/swtpm.sh"

start_swtpm
export TPM2TOOLS_TCTI=$TCTI
cd "$WORK"
# The TPM holds three transient objects at most: flush after each command.
tpm() { "$@" >/dev/null || fail "$1 failed"; tpm2_flushcontext -t >/dev/null; }
tpm tpm2_createek -c ek.ctx -G rsa -u ek.pub
tpm tpm2_createak -C ek.ctx -c ak.ctx -G rsa -g sha256 -s rsassa -f pem -u ak.pem
tpm tpm2_createak -C ek.ctx -c akec.ctx -G ecc -g sha256 -s ecdsa -f pem -u akec.pem
tpm tpm2_pcrextend "10:sha256=$(printf '%064x' 7),sha1=$(printf '%040x' 7)"
tpm tpm2_quote -c ak.ctx -l sha256:0,1,10+sha1:10 -q 5eed0001 -m q.msg -s q.sig -o q.pcrs -g sha256
tpm tpm2_quote -c akec.ctx -l sha256:7,10 -q 5eed0002 -m e.msg -s e.sig -o e.pcrs -g sha256

# verdict NAME EXPECTED M S F AK NONCE: ours and tpm2_checkquote's.
verdict() {
    local name=$1 want=$2 m=$3 s=$4 f=$5 ak=$6 nonce=$7 rc=0 theirs=0
    ima-attest check-quote -m "$m" -s "$s" -f "$f" --ak "$ak" --nonce "$nonce" >"$WORK/.out" 2>"$WORK/.err" || rc=$?
    OUT=$(cat "$WORK/.out") ERR=$(cat "$WORK/.err")
    tpm2_checkquote -u "$ak" -m "$m" -s "$s" -f "$f" -g sha256 -q "$nonce" >/dev/null 2>&1 || theirs=$?
    [ "$rc" = "$want" ] || fail "$name: exit $rc, expected $want: $ERR"
    [ $((theirs != 0)) = "$want" ] || fail "$name: tpm2_checkquote exits $theirs, we $rc"
    pass
}

verdict "rsa quote" 0 q.msg q.sig q.pcrs ak.pem 5eed0001
expect_contains "$ERR" "check-quote: trusted: sha256:0,1,10+sha1:10 quoted by the AK"
# The values printed are the TPM's, in the format --pcrs reads.
pcr10=$(tpm2_pcrread sha256:10 | awk '/^ *10 *:/ {print tolower(substr($NF, 3))}')
[ ${#pcr10} = 64 ] || fail "tpm2_pcrread gave no sha256 PCR 10: '$pcr10'"
expect_contains "$OUT" "PCR-10: $pcr10"
echo "$OUT" >quoted.pcrs
expect_ok ima-attest pcrs --pcrs "sha256,quoted.pcrs" --bank sha256
verdict "ecc quote" 0 e.msg e.sig e.pcrs akec.pem 5eed0002
expect_contains "$ERR" "trusted: sha256:7,10"

verdict "another nonce" 1 q.msg q.sig q.pcrs ak.pem 5eed0003
expect_eq "quote: nonce: failed: the quote holds 5eed0001, not 5eed0003" "$OUT" "the one failed check"
expect_eq "ima-attest: check-quote: not trusted: 1 of 7 checks failed" "$ERR"

# A PCR value typed in: the digest the TPM signed no longer matches.
python3 -c 'import sys; b = bytearray(open("q.pcrs", "rb").read()); b[136 + 4 + 2 * 66 + 2] ^= 1; open("forged.pcrs", "wb").write(b)'
verdict "a changed PCR value" 1 q.msg q.sig forged.pcrs ak.pem 5eed0001
expect_contains "$OUT" "quote: pcr digest: failed: the PCR values hash to"
[[ "$OUT" != *"PCR-10"* ]] || fail "values of an untrusted quote were printed"
pass

python3 -c 'import sys; b = bytearray(open("q.msg", "rb").read()); b[50] ^= 1; open("forged.msg", "wb").write(b)'
verdict "a changed message byte" 1 forged.msg q.sig q.pcrs ak.pem 5eed0001
expect_contains "$OUT" "quote: signature: failed: does not verify with the AK over the quote message"
verdict "another AK" 1 q.msg q.sig q.pcrs akec.pem 5eed0001
expect_contains "$OUT" "quote: signature: failed: an RSASSA signature, but the AK is an EC key"
verdict "another quote's PCR values" 1 q.msg q.sig e.pcrs ak.pem 5eed0001
expect_contains "$OUT" "quote: pcr selection: failed: the quote covers sha256:0,1,10+sha1:10, the PCR values sha256:7,10"

# --json: every check named, the values only when trusted.
expect_ok ima-attest check-quote -m q.msg -s q.sig -f q.pcrs --ak ak.pem --nonce 5eed0001 --json
expect_eq "True 7 $pcr10" "$(python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["trusted"], len(d["checks"]), d["pcrs"]["sha256"]["10"])' <"$WORK/.out")" "json"
expect_status 1 ima-attest check-quote -m q.msg -s q.sig -f forged.pcrs --ak ak.pem --nonce 5eed0001 --json
expect_eq "False no pcrs" "$(python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["trusted"], "pcrs" if "pcrs" in d else "no pcrs")' <"$WORK/.out")" "json, not trusted"

# Malformed files and usage: one line, the file named.
head -c 60 q.msg >cut.msg
expect_status 1 ima-attest check-quote -m cut.msg -s q.sig -f q.pcrs --ak ak.pem --nonce 5eed0001
expect_eq "ima-attest: error: cut.msg: not a TPMS_ATTEST (tss2-mu cannot read it)" "$ERR"
expect_status 1 ima-attest check-quote -m q.msg -s q.sig -f q.msg --ak ak.pem --nonce 5eed0001
expect_contains "$ERR" "q.msg: 123 bytes, too short for tpm2_quote's PCR file"
expect_status 1 ima-attest check-quote -m q.msg -s q.pcrs -f q.pcrs --ak ak.pem --nonce 5eed0001
expect_contains "$ERR" "q.pcrs: "
expect_status 3 ima-attest check-quote -m /dev/zero -s q.sig -f q.pcrs --ak ak.pem --nonce 5eed0001
expect_status 3 ima-attest check-quote -m q.msg -s q.sig -f q.pcrs --ak missing.pem --nonce 5eed0001
expect_status 2 ima-attest check-quote -m q.msg -s q.sig -f q.pcrs --ak ak.pem --nonce zz
expect_status 2 ima-attest check-quote -m q.msg -s q.sig -f q.pcrs --ak ak.pem --nonce ""
expect_contains "$ERR" "a quote without a nonce proves no freshness"
done_testing
