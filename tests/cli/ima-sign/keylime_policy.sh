#!/usr/bin/env bash
# --keylime-policy: a Keylime runtime policy (format 1) that Keylime's
# verifier accepts and acts on (keylime_schema.py --acted-on, a validator
# written from Keylime's rules, itself tested on documents Keylime accepts and
# rejects): every signed file under the name the kernel logs for it, every
# hard-link name, --target-root, the -c key in verification-keys, and what
# --exclude and --policy left out in excludes.
. "$TESTS_DIR/lib/assert.sh"
need python3
K=$TESTS_DIR/fixtures/keys
here=$(dirname "$0")
root=$WORK/root
mkdir -p "$root/usr/bin" "$root/etc"
cp /bin/true "$root/usr/bin/true"
printf 'x\n' >"$root/etc/x"
expect_ok ima-sign sign -q --xattr-user -k "$K/rsa.key" --keylime-policy "$WORK/policy.json" "$root"
expect_ok python3 "$here/keylime_schema.py" --acted-on "$WORK/policy.json"
expect_eq "$(sha256sum "$root/usr/bin/true" | cut -d' ' -f1)" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["digests"]["/usr/bin/true"][0])' "$WORK/policy.json")" \
    "digest keyed by the absolute path in the image"
# The same from a tar stream, sha384.
tar -cf "$WORK/in.tar" -C "$root" .
expect_ok ima-sign tar -q -a sha384 -k "$K/rsa.key" --keylime-policy "$WORK/tar-policy.json" "$WORK/in.tar" "$WORK/out.tar"
expect_ok python3 "$here/keylime_schema.py" --acted-on "$WORK/tar-policy.json"
expect_eq "$(sha384sum "$root/etc/x" | cut -d' ' -f1)" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["digests"]["/etc/x"][0])' "$WORK/tar-policy.json")"
# The checker itself: what Keylime accepts, rejects, and accepts without acting on it.
F=$TESTS_DIR/fixtures/keylime
for f in "$F"/accepted/*.json; do
    expect_ok python3 "$here/keylime_schema.py" --acted-on "$f"
done
for f in "$F"/rejected/*.json; do
    expect_status 1 python3 "$here/keylime_schema.py" "$f"
done
for f in "$F"/not-acted-on/*.json; do
    expect_ok python3 "$here/keylime_schema.py" "$f"
    expect_status 1 python3 "$here/keylime_schema.py" --acted-on "$f"
done

# q FILE PYTHON-EXPR: evaluates EXPR with the policy as p.
q() { python3 -c 'import json,re,sys; p=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

# Keylime's own generator writes 3 (LegacyAllowList); -c fills verification-keys
# with the certificate's key and key id, as Keylime's keyring reads them.
expect_eq 3 "$(q "$WORK/policy.json" 'p["meta"]["generator"]')" "meta.generator"
expect_ok ima-sign sign -q --xattr-user -k "$K/ec256.key" -c "$K/ec256.pem" --keylime-policy "$WORK/kc.json" "$root"
expect_ok python3 "$here/keylime_schema.py" --acted-on "$WORK/kc.json"
expect_eq "$((16#$(cert_keyid "$K/ec256.pem")))" "$(q "$WORK/kc.json" 'json.loads(p["verification-keys"])["keyids"][0]')" "keyid"
expect_eq "$(openssl x509 -in "$K/ec256.pem" -pubkey -noout | openssl pkey -pubin -outform DER | base64 -w0)" \
    "$(q "$WORK/kc.json" 'json.loads(p["verification-keys"])["pubkeys"][0]')" "verification key"

# Names as the kernel logs them: spaces become '_'; every hard-link name;
# --target-root for a tree mounted elsewhere on the target.
printf 'sp\n' >"$root/etc/with space"
ln "$root/usr/bin/true" "$root/usr/bin/true2"
ln "$root/usr/bin/true" "$root/etc/true3"
expect_ok ima-sign sign -q --xattr-user -k "$K/rsa.key" --target-root /mnt/ --keylime-policy "$WORK/t.json" \
    --manifest "$WORK/tm.json" "$root"
expect_ok python3 "$here/keylime_schema.py" --acted-on "$WORK/t.json"
expect_eq "['/mnt/etc/true3', '/mnt/etc/with_space', '/mnt/etc/x', '/mnt/usr/bin/true', '/mnt/usr/bin/true2']" \
    "$(q "$WORK/t.json" 'sorted(p["digests"])')" "keys"
expect_eq "True" "$(q "$WORK/t.json" 'p["digests"]["/mnt/usr/bin/true2"] == p["digests"]["/mnt/etc/true3"] == p["digests"]["/mnt/usr/bin/true"]')" "hard links"
# The reference manifest lists every hard-link name too, with the same
# digest and value, and our readers take it.
manifest_links='f = {x["path"]: (x["digest"], x["security.ima"]) for x in p["files"]}; print(sorted(f), f["etc/true3"] == f["usr/bin/true2"] == f["usr/bin/true"])'
expect_eq "['etc/true3', 'etc/with space', 'etc/x', 'usr/bin/true', 'usr/bin/true2'] True" \
    "$(python3 -c "import json,sys; p = json.load(open(sys.argv[1])); $manifest_links" "$WORK/tm.json")" "manifest hard links"
expect_ok ima-sign apply --dry-run --xattr-user "$WORK/tm.json" --root "$root"
expect_status 2 ima-sign sign -q --xattr-user -k "$K/rsa.key" --target-root mnt --keylime-policy "$WORK/u.json" "$root"
expect_contains "$ERR" "not an absolute path"
expect_status 2 ima-sign sign -q --xattr-user -k "$K/rsa.key" --target-root /mnt/../x --keylime-policy "$WORK/u.json" "$root"
expect_status 2 ima-sign sign -q --xattr-user -k "$K/rsa.key" --target-root /mnt "$root"
expect_contains "$ERR" "give --keylime-policy"
[ ! -e "$WORK/u.json" ] || fail "a refused run wrote a policy"
pass

# File operands are named from the folder holding them, never absolutely.
expect_ok ima-sign sign -q --xattr-user -k "$K/rsa.key" --keylime-policy "$WORK/f.json" "$root/usr/bin/true" "$root/etc/x"
expect_eq "['/etc/x', '/usr/bin/true']" "$(q "$WORK/f.json" 'sorted(p["digests"])')" "file operand keys"

# What --exclude and --policy leave out goes into excludes, as regular
# expressions Keylime matches (re.match) against the logged path.
mkdir -p "$root/var/cache/apt" "$root/usr/lib/py"
printf 'c\n' >"$root/var/cache/apt/pkgcache.bin"
printf 'pyc\n' >"$root/usr/lib/py/m.pyc"
expect_ok ima-sign sign -q --xattr-user -k "$K/rsa.key" --exclude '*.pyc' --exclude 'var/cache' --target-root /mnt \
    --keylime-policy "$WORK/e.json" "$root"
python3 - "$WORK/e.json" <<'PY' || fail "excludes do not match what was left out"
import json, re, sys
p = json.load(open(sys.argv[1]))
ex = re.compile("|".join(f"({e})" for e in p["excludes"]))
for path in ["/mnt/usr/lib/py/m.pyc", "/mnt/var/cache/apt/pkgcache.bin", "/mnt/var/cache", "/mnt/a.pyc"]:
    assert ex.match(path), path
for path in ["/mnt/usr/bin/true", "/mnt/etc/x", "/mnt/var/cache2/x", "/usr/lib/py/m.pyc", "/mnt/m.pycx"]:
    assert not ex.match(path), path
assert "/mnt/usr/lib/py/m.pyc" not in p["digests"]
PY
pass
ima-policy generate --profile appraise-exec -o "$WORK/exec.policy"
expect_ok ima-sign sign -q --xattr-user -k "$K/rsa.key" --policy "$WORK/exec.policy" --keylime-policy "$WORK/pol.json" "$root"
expect_ok python3 "$here/keylime_schema.py" --acted-on "$WORK/pol.json"
expect_contains "$(q "$WORK/pol.json" 'p["excludes"]')" '^/etc/with_space$'
expect_not_contains "$(q "$WORK/pol.json" 'p["excludes"]')" 'usr/bin/true'
expect_eq "True" "$(q "$WORK/pol.json" '"/usr/bin/true" in p["digests"] and "/etc/x" not in p["digests"]')" "policy split"

# Keylime checks signature v2 only: --sigv3 with a Keylime policy warns.
expect_ok ima-sign sign -q --xattr-user --sigv3 -k "$K/rsa.key" --keylime-policy "$WORK/v3.json" "$root"
expect_contains "$ERR" "Keylime verifies signature v2 only"

# tar: the same rules; a hard-link entry is listed under its own name too.
rm -rf "$root/var" "$root/usr/lib/py"
tar -cf "$WORK/in2.tar" -C "$root" .
expect_ok ima-sign tar -q -k "$K/ec256.key" -c "$K/ec256.pem" --target-root /mnt --keylime-policy "$WORK/tk.json" \
    --manifest "$WORK/tkm.json" "$WORK/in2.tar" "$WORK/out2.tar"
expect_eq "['etc/true3', 'etc/with space', 'etc/x', 'usr/bin/true', 'usr/bin/true2'] True" \
    "$(python3 -c "import json,sys; p = json.load(open(sys.argv[1])); $manifest_links" "$WORK/tkm.json")" "tar manifest hard links"
expect_ok python3 "$here/keylime_schema.py" --acted-on "$WORK/tk.json"
expect_eq "['/mnt/etc/true3', '/mnt/etc/with_space', '/mnt/etc/x', '/mnt/usr/bin/true', '/mnt/usr/bin/true2']" \
    "$(q "$WORK/tk.json" 'sorted(p["digests"])')" "tar keys"
expect_eq "$((16#$(cert_keyid "$K/ec256.pem")))" "$(q "$WORK/tk.json" 'json.loads(p["verification-keys"])["keyids"][0]')" "tar keyid"
expect_ok ima-sign tar -q --sigv3 -k "$K/rsa.key" --keylime-policy "$WORK/tv3.json" "$WORK/in2.tar" "$WORK/out3.tar"
expect_contains "$ERR" "Keylime verifies signature v2 only"
expect_status 2 ima-sign sign -q --xattr-user -a sm3 -k "$K/rsa.key" --keylime-policy "$WORK/p.json" "$root"
done_testing
