#!/usr/bin/env bash
# --dry-run, --sigfile, --json and --manifest.
. "$TESTS_DIR/lib/assert.sh"
need getfattr python3
K=$TESTS_DIR/fixtures/keys
t=$WORK/t
mkdir -p "$t/b" "$t/a"
echo one >"$t/b/one"; echo two >"$t/a/two"

expect_ok ima-sign sign --dry-run -k "$K/rsa.key" "$t"
expect_eq 2 "$(echo "$OUT" | wc -l)" "dry-run lines"
has_xattr "$t/b/one" security.ima && fail "--dry-run wrote an xattr" || pass

expect_ok ima-sign sign -q --sigfile -k "$K/rsa.key" "$t"
[ -f "$t/b/one.sig" ] || fail "no one.sig"; pass
has_xattr "$t/b/one" security.ima && fail "--sigfile also wrote the xattr" || pass
expect_ok ima-sign sign -q --sigfile -k "$K/rsa.key" "$t"
[ -f "$t/b/one.sig.sig" ] && fail "signed its own .sig files" || pass
expect_ok ima-sign verify -q --sigfile -c "$K/rsa.pem" "$t"
expect_ok ima-sign sign -q -k "$K/rsa.key" "$t/b/one"
expect_eq "$(xxd -p "$t/b/one.sig" | tr -d '\n')" "$(xattr_hex "$t/b/one" security.ima)" ".sig holds the xattr value"
rm "$t"/*/*.sig

expect_ok ima-sign sign --json -k "$K/ec256.key" -c "$K/ec256.pem" --manifest "$WORK/m.json" "$t"
echo "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["signed"] == 2 and d["failed"] == 0, d
assert sorted(f["path"] for f in d["files"]) == sorted([sys.argv[1] + "/a/two", sys.argv[1] + "/b/one"]), d
' "$t" || fail "--json document"
pass
python3 - "$WORK/m.json" "$t" <<'PY' || fail "manifest"
import json, sys, hashlib, os
m = json.load(open(sys.argv[1]))
assert m["version"] == 1 and m["hash_algo"] == "sha256"
paths = [f["path"] for f in m["files"]]
assert paths == ["a/two", "b/one"], paths
for f in m["files"]:
    data = open(os.path.join(sys.argv[2], f["path"]), "rb").read()
    assert f["digest"] == hashlib.sha256(data).hexdigest()
    assert f["security.ima"] == os.getxattr(os.path.join(sys.argv[2], f["path"]), "security.ima").hex()
PY
pass
expect_status 0 ima-sign verify --json -c "$K/ec256.pem" "$t"
echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["verified"]==2 and all(f["status"]=="ok" for f in d["files"])' || fail "verify --json"
pass
expect_ok ima-sign --version
expect_contains "$OUT" "ima-sign (imaevm-tools)"
expect_ok ima-sign sign --help
expect_contains "$OUT" "--pass-file"
done_testing
