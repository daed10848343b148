#!/usr/bin/env bash
# ima-sign sign --skip-signed and ima-sign tar --skip-signed: a second signing
# keeps every value that still verifies against -c CERT (byte for byte: the
# key is ECDSA, so a new signature would differ), signs what changed, still
# lists every file in the manifest, and needs -c. evmctl judges the result.
. "$TESTS_DIR/lib/assert.sh"
need getfattr tar evmctl
K=$TESTS_DIR/fixtures/keys
t=$WORK/t
mkdir -p "$t/bin" "$t/etc"
for i in $(seq 1 30); do printf 'file %s\n' "$i" >"$t/bin/f$i"; done
printf 'conf\n' >"$t/etc/conf"

expect_status 2 ima-sign sign --skip-signed -k "$K/ec256.key" "$t"
expect_contains "$ERR" "--skip-signed needs -c"
expect_one_line "$ERR"
expect_status 2 ima-sign tar --skip-signed -k "$K/ec256.key" "$WORK/none.tar" "$WORK/out.tar"
expect_contains "$ERR" "--skip-signed needs -c"

expect_ok ima-sign sign -k "$K/ec256.key" -c "$K/ec256.pem" "$t"
for f in "$t"/bin/* "$t"/etc/conf; do xattr_hex "$f" security.ima; echo " $f"; done >"$WORK/first"

# Two files change, one gets a value signed by another key, one a digest value.
printf 'changed\n' >"$t/bin/f1"
printf 'changed\n' >>"$t/bin/f2"
expect_ok ima-sign sign -q -k "$K/other.key" -c "$K/other.pem" "$t/bin/f3"
expect_ok ima-sign hash -q "$t/bin/f4"
expect_ok ima-sign sign --skip-signed -k "$K/ec256.key" -c "$K/ec256.pem" --manifest "$WORK/m.json" --json "$t"
python3 - "$OUT" "$WORK/m.json" <<'PY' || fail "summary or manifest wrong"
import json, sys
doc, manifest = json.loads(sys.argv[1]), json.load(open(sys.argv[2]))
assert doc["signed"] == 4 and doc["kept"] == 27 and doc["failed"] == 0, doc
resigned = sorted(f["path"].rsplit("/", 1)[1] for f in doc["files"] if not f["kept"])
assert resigned == ["f1", "f2", "f3", "f4"], resigned
assert len(manifest["files"]) == 31, len(manifest["files"])
PY
pass
for f in "$t"/bin/* "$t"/etc/conf; do xattr_hex "$f" security.ima; echo " $f"; done >"$WORK/second"
expect_eq 4 "$(diff "$WORK/first" "$WORK/second" | grep -c '^>')" "values changed"
expect_ok ima-sign verify -c "$K/ec256.pem" "$t"
expect_contains "$ERR" "verified 31 files"
expect_ok evmctl ima_verify --key "$K/ec256.der" "$t/bin/f1"

# A third run keeps everything, and says so.
expect_ok ima-sign sign --skip-signed -k "$K/ec256.key" -c "$K/ec256.pem" "$t"
expect_contains "$ERR" "signed 0 files, kept 31 already signed"
# --sigv3 asks for another kind of signature: all are made again.
expect_ok ima-sign sign --skip-signed --sigv3 -k "$K/ec256.key" -c "$K/ec256.pem" "$t"
expect_contains "$ERR" "signed 31 files, kept 0 already signed"
# -a sha384 asks for another algorithm.
expect_ok ima-sign sign --skip-signed -a sha384 -k "$K/ec256.key" -c "$K/ec256.pem" "$t"
expect_contains "$ERR" "signed 31 files, kept 0 already signed"

# --sigfile: the FILE.sig values are judged the same way.
s=$WORK/s
mkdir "$s"
printf 'a\n' >"$s/a"
printf 'b\n' >"$s/b"
expect_ok ima-sign sign --sigfile -k "$K/ec256.key" -c "$K/ec256.pem" "$s"
cp "$s/a.sig" "$WORK/a.sig.first"
printf 'b2\n' >"$s/b"
expect_ok ima-sign sign --sigfile --skip-signed -k "$K/ec256.key" -c "$K/ec256.pem" "$s"
expect_contains "$ERR" "signed 1 file, kept 1 already signed"
expect_ok cmp "$s/a.sig" "$WORK/a.sig.first"

# tar: an entry whose SCHILY.xattr.security.ima verifies keeps it.
expect_ok ima-sign tar -k "$K/ec256.key" -c "$K/ec256.pem" <(tar -C "$WORK" -cf - t) "$WORK/signed.tar"
expect_ok ima-sign tar --skip-signed -k "$K/ec256.key" -c "$K/ec256.pem" --json "$WORK/signed.tar" "$WORK/again.tar"
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["signed"] == 0 and d["kept"] == 31, d' "$OUT" ||
    fail "tar summary: $OUT"
pass
mkdir "$WORK/x1" "$WORK/x2"
tar --xattrs --xattrs-include='*' -xf "$WORK/signed.tar" -C "$WORK/x1"
tar --xattrs --xattrs-include='*' -xf "$WORK/again.tar" -C "$WORK/x2"
expect_eq "$(xattr_hex "$WORK/x1/t/bin/f9" security.ima)" "$(xattr_hex "$WORK/x2/t/bin/f9" security.ima)" "kept tar value"
# One entry changed: it alone is signed again.
printf 'new\n' >"$WORK/x2/t/bin/f9"
tar --xattrs --xattrs-include='*' -C "$WORK/x2" -cf "$WORK/changed.tar" t
expect_ok ima-sign tar --skip-signed -k "$K/ec256.key" -c "$K/ec256.pem" "$WORK/changed.tar" "$WORK/third.tar"
expect_contains "$ERR" "signed 1 of"
expect_contains "$ERR" "kept 30 already signed"
mkdir "$WORK/x3"
tar --xattrs --xattrs-include='*' -xf "$WORK/third.tar" -C "$WORK/x3"
expect_ok ima-sign verify -c "$K/ec256.pem" "$WORK/x3"
expect_contains "$ERR" "verified 31 files"
done_testing
