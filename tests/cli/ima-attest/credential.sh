#!/usr/bin/env bash
# ima-attest ak create and credential make|activate on swtpm, with
# tpm2-tools as the judge both ways: our AK loads and quotes with tpm2-tools
# and tpm2_checkquote accepts it; tpm2_activatecredential recovers the secret
# of our credential and we recover tpm2_makecredential's (RSA and ECC EKs).
# Refused, exit 1 and one line: an AK of another TPM, a credential altered,
# a certificate that is not the EK's, AK files that lie, malformed files.
. "$TESTS_DIR/lib/assert.sh"
. "$(dirname "$0")/lib.sh"
need swtpm openssl tpm2_createek tpm2_load tpm2_quote tpm2_checkquote tpm2_makecredential tpm2_activatecredential \
    tpm2_startauthsession tpm2_policysecret tpm2_nvdefine tpm2_nvwrite tpm2_readpublic tpm2_flushcontext
. "$(dirname "$0")/swtpm.sh"

cd "$WORK"
tpm() { "$@" >/dev/null || fail "$1 failed"; tpm2_flushcontext -t >/dev/null; }
# b64 FILE.json PATH OUT: one base64 field of a JSON file, decoded.
field() { python3 -c 'import json,sys,base64
d = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): d = d[k]
sys.stdout.buffer.write(base64.b64decode(d) if sys.argv[3] == "b64" else d.encode())' "$@"; }
# ek_session: a policy session satisfying the EK's PolicySecret(endorsement).
ek_session() {
    tpm2_startauthsession --policy-session -S "$1" >/dev/null || fail "startauthsession"
    tpm2_policysecret -S "$1" -c e >/dev/null || fail "policysecret"
}

start_swtpm
export IMAEVM_TCTI=$TCTI TPM2TOOLS_TCTI=$TCTI

# An EK certificate in the TCG's NV index, as a TPM maker provisions it.
provision_ek_certificate

expect_ok ima-attest ak create -o ak.json --pem ak.pem
expect_contains "$ERR" "ak create: rsa AK 000b"
expect_contains "$ERR" "EK certificate read from NV"
field ak.json ek.certificate b64 >got.der
cmp -s got.der ekcert.der || fail "AK.json's EK certificate is not the one in NV"
field ak.json ek.public b64 >our-ek.pub
cmp -s our-ek.pub ek.pub || fail "ak create's EK is not tpm2_createek's"
pass

# tpm2-tools loads our AK under the EK, computes the same name, quotes with it.
field ak.json ak.public b64 >ak.pub
field ak.json ak.private b64 >ak.priv
ek_session s.ctx
tpm2_load -C ek.ctx -u ak.pub -r ak.priv -c ak.ctx -n ak.name -P session:s.ctx >/dev/null || fail "tpm2_load"
tpm2_flushcontext s.ctx
tpm2_flushcontext -t >/dev/null
expect_eq "$(xxd -p -c 256 ak.name)" "$(field ak.json ak.name text)" "the AK's name, as the TPM computes it"
tpm tpm2_quote -c ak.ctx -l sha256:0,10 -q c0ffee -m q.msg -s q.sig -o q.pcrs -g sha256
tpm2_checkquote -u ak.pem -m q.msg -s q.sig -f q.pcrs -g sha256 -q c0ffee >/dev/null || fail "tpm2_checkquote refuses our AK's quote"
expect_ok ima-attest check-quote -m q.msg -s q.sig -f q.pcrs --ak ak.pem --nonce c0ffee

# Our credential, activated by tpm2-tools.
expect_ok ima-attest credential make --ak ak.json --ek ekcert.der -o cred.bin --secret-out secret.hex
[ "$(stat -c %a secret.hex)" = 600 ] || fail "the secret is readable by others"
ek_session s.ctx
tpm2_activatecredential -c ak.ctx -C ek.ctx -i cred.bin -o act.out -P session:s.ctx >/dev/null || fail "tpm2_activatecredential refuses our credential"
tpm2_flushcontext s.ctx
tpm2_flushcontext -t >/dev/null
expect_eq "$(cat secret.hex)" "$(xxd -p -c 64 act.out)" "the secret tpm2_activatecredential recovered"
# ... and by us.
expect_ok ima-attest credential activate cred.bin --ak ak.json
expect_eq "$(cat secret.hex)" "$OUT" "the secret we recovered"
# tpm2_makecredential's, activated by us.
head -c 32 /dev/urandom >raw
tpm2_makecredential -T none -e ek.pub -s raw -n "$(field ak.json ak.name text)" -o theirs.bin 2>/dev/null || fail "tpm2_makecredential"
expect_ok ima-attest credential activate theirs.bin --ak ak.json
expect_eq "$(xxd -p -c 64 raw)" "$OUT" "the secret of tpm2_makecredential's credential"

# ECC: the L-2 EK, an ECDSA AK, ECDH seeds both ways.
expect_ok ima-attest ak create --alg ecc -o akecc.json
expect_contains "$ERR" "ecc AK 000b"
expect_contains "$ERR" "no EK certificate in NV"
expect_ok ima-attest credential make --ak akecc.json -o credecc.bin --secret-out secretecc.hex
expect_ok ima-attest credential activate credecc.bin --ak akecc.json
expect_eq "$(cat secretecc.hex)" "$OUT" "the ECC credential's secret"
field akecc.json ek.public b64 >ekecc.pub
tpm2_makecredential -T none -e ekecc.pub -s raw -n "$(field akecc.json ak.name text)" -o theirsecc.bin 2>/dev/null || fail "tpm2_makecredential ecc"
expect_ok ima-attest credential activate theirsecc.bin --ak akecc.json
expect_eq "$(xxd -p -c 64 raw)" "$OUT" "the secret of tpm2_makecredential's ECC credential"
tpm tpm2_createek -c ekecc.ctx -G ecc -u ekecc2.pub
field akecc.json ak.public b64 >akecc.pub
field akecc.json ak.private b64 >akecc.priv
ek_session s.ctx
tpm2_load -C ekecc.ctx -u akecc.pub -r akecc.priv -c akecc.ctx -P session:s.ctx >/dev/null || fail "tpm2_load ecc"
tpm2_flushcontext s.ctx
tpm2_flushcontext -t >/dev/null
ek_session s.ctx
tpm2_activatecredential -c akecc.ctx -C ekecc.ctx -i credecc.bin -o actecc.out -P session:s.ctx >/dev/null || fail "tpm2_activatecredential refuses our ECC credential"
tpm2_flushcontext s.ctx
tpm2_flushcontext -t >/dev/null
expect_eq "$(cat secretecc.hex)" "$(xxd -p -c 64 actecc.out)" "the ECC secret tpm2_activatecredential recovered"

# A credential for the other AK, or altered: the TPM refuses it.
expect_status 1 ima-attest credential activate credecc.bin --ak ak.json
expect_contains "$ERR" "credecc.bin: the TPM refused the credential"
python3 -c 'b = bytearray(open("cred.bin", "rb").read()); b[20] ^= 1; open("altered.bin", "wb").write(b)'
expect_status 1 ima-attest credential activate altered.bin --ak ak.json
expect_contains "$ERR" "altered.bin: the TPM refused the credential"
# A certificate that is not the EK's.
expect_status 1 ima-attest credential make --ak ak.json --ek ca.pem -o x.bin --secret-out x.hex
expect_eq "ima-attest: error: ca.pem: the certificate's key is not the AK file's endorsement key" "$ERR"
[ ! -e x.bin ] && [ ! -e x.hex ] || fail "files written for a refused certificate"
pass

# Another TPM: it has neither the EK nor the AK.
cp ak.json first.json
start_swtpm
export IMAEVM_TCTI=$TCTI TPM2TOOLS_TCTI=$TCTI
expect_status 1 ima-attest credential activate cred.bin --ak first.json
expect_eq "ima-attest: error: this TPM's endorsement key is not the AK file's (another TPM?)" "$ERR"
# An AK file that claims this TPM's EK for the first TPM's AK: the
# credential goes to this EK, but the AK does not load under it.
expect_ok ima-attest ak create -o second.json
python3 -c 'import json
a = json.load(open("first.json")); b = json.load(open("second.json"))
a["ek"] = b["ek"]; json.dump(a, open("forged.json", "w"))'
expect_ok ima-attest credential make --ak forged.json -o forged.bin --secret-out forged.hex
expect_status 1 ima-attest credential activate forged.bin --ak forged.json
expect_contains "$ERR" "the TPM does not load the AK under its EK"

# AK files that lie or are not one.
python3 - <<'PY'
import json, base64, hashlib
a = json.load(open("first.json"))
def save(name, d): json.dump(d, open(name, "w"))
d = json.loads(json.dumps(a)); d["ak"]["name"] = "000b" + "00" * 32; save("badname.json", d)
# The AK made unrestricted, its name recomputed: still refused.
pub = bytearray(base64.b64decode(a["ak"]["public"])); pub[7] &= ~0x01  # TPMA_OBJECT_RESTRICTED, bit 16 (big-endian at 6)
d = json.loads(json.dumps(a)); d["ak"]["public"] = base64.b64encode(pub).decode()
d["ak"]["name"] = "000b" + hashlib.sha256(pub[2:]).hexdigest(); save("unrestricted.json", d)
d = json.loads(json.dumps(a)); d["ek"]["public"] = a["ak"]["public"]; save("akasek.json", d)
d = json.loads(json.dumps(a)); d["version"] = 2; save("v2.json", d)
d = json.loads(json.dumps(a)); d["ak"]["private"] = "@@@@"; save("b64.json", d)
PY
expect_status 1 ima-attest credential make --ak badname.json -o x.bin --secret-out x.hex
expect_eq "ima-attest: error: badname.json: ak.name is not the name of ak.public" "$ERR"
expect_status 1 ima-attest credential make --ak unrestricted.json -o x.bin --secret-out x.hex
expect_eq "ima-attest: error: unrestricted.json: ak.public is not an attestation key: not restricted (it could sign made-up quotes)" "$ERR"
expect_status 1 ima-attest credential make --ak akasek.json -o x.bin --secret-out x.hex
expect_eq "ima-attest: error: akasek.json: ek.public is not an endorsement key: not a restricted decryption key" "$ERR"
expect_status 1 ima-attest credential make --ak v2.json -o x.bin --secret-out x.hex
expect_eq "ima-attest: error: v2.json: AK file: version 2, this tool reads version 1" "$ERR"
expect_status 1 ima-attest credential make --ak b64.json -o x.bin --secret-out x.hex
expect_eq "ima-attest: error: b64.json: ak.private: not base64" "$ERR"
head -c 100 first.json >cut.json
expect_status 1 ima-attest credential make --ak cut.json -o x.bin --secret-out x.hex
expect_eq "ima-attest: error: cut.json: not a JSON object" "$ERR"
[ ! -e x.bin ] && [ ! -e x.hex ] || fail "files written for a refused AK file"
pass

# Malformed credential files: one line, the file named, no TPM needed to say so.
head -c 100 cred.bin >cut.bin
expect_status 1 ima-attest credential activate cut.bin --ak first.json
expect_eq "ima-attest: error: cut.bin: a credential file cut short at byte 100" "$ERR"
printf 'garbage!' >garbage.bin
expect_status 1 ima-attest credential activate garbage.bin --ak first.json
expect_eq "ima-attest: error: garbage.bin: not a credential file (no 0xBADCC0DE magic)" "$ERR"
cat cred.bin raw >long.bin
expect_status 1 ima-attest credential activate long.bin --ak first.json
expect_eq "ima-attest: error: long.bin: a credential file with 32 bytes after its end" "$ERR"
expect_status 2 ima-attest ak create --alg dsa -o x.json
expect_status 3 ima-attest ak create --tcti "swtpm:host=127.0.0.1,port=1" -o x.json
expect_contains "$ERR" "cannot open TPM 'swtpm:host=127.0.0.1,port=1'"
[ ! -e x.json ] || fail "an AK file written without a TPM"
pass
done_testing
