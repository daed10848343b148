#!/usr/bin/env bash
# ima-sign apply: the values of a manifest set on another copy of the tree,
# only on files whose digest is the one that was signed; links never followed.
. "$TESTS_DIR/lib/assert.sh"
need getfattr
K=$TESTS_DIR/fixtures/keys
a=$WORK/a
mkdir -p "$a/usr/bin" "$a/etc"
cp /bin/true "$a/usr/bin/true"
printf 'one\n' >"$a/etc/one"
printf 'two\n' >"$a/etc/two"
# Sign on the "build host" without touching the tree, keeping the manifest.
expect_ok ima-sign sign -q --dry-run -k "$K/rsa.key" -c "$K/rsa.pem" --manifest "$WORK/m.json" "$a"
has_xattr "$a/etc/one" security.ima && fail "--dry-run wrote an xattr" || pass

# A plain copy (no xattrs) gets the values and verifies.
cp -r "$a" "$WORK/b"
expect_ok ima-sign apply "$WORK/m.json" --root "$WORK/b" --xattr-user
expect_contains "$ERR" "applied 3 files"
expect_ok ima-sign verify --xattr-user -c "$K/rsa.pem" "$WORK/b"
expect_eq "$(python3 -c 'import json,sys; print([f["security.ima"] for f in json.load(open(sys.argv[1]))["files"] if f["path"]=="etc/one"][0])' "$WORK/m.json")" \
    "$(xattr_hex "$WORK/b/etc/one" user.ima)" "value applied"

# A changed file is named and left alone; the others are applied.
cp -r "$a" "$WORK/c"
echo changed >>"$WORK/c/etc/two"
expect_status 1 ima-sign apply "$WORK/m.json" --root "$WORK/c" --xattr-user
expect_eq "ima-sign: error: $WORK/c/etc/two: sha256 digest differs from the manifest (the file changed after signing)" \
    "$(echo "$ERR" | grep error)"
has_xattr "$WORK/c/etc/two" user.ima && fail "value set on a changed file" || pass
has_xattr "$WORK/c/etc/one" user.ima || fail "the unchanged file did not get its value"
pass

# A symbolic link where a file or folder was is never followed.
cp -r "$a" "$WORK/d"
mkdir "$WORK/outside" && printf 'one\n' >"$WORK/outside/one"
rm -r "$WORK/d/etc" && ln -s "$WORK/outside" "$WORK/d/etc"
expect_status 1 ima-sign apply "$WORK/m.json" --root "$WORK/d" --xattr-user
expect_contains "$ERR" "$WORK/d/etc/one: a symbolic link on the way (etc), not followed"
has_xattr "$WORK/outside/one" user.ima && fail "followed a symlink out of the root" || pass
expect_status 3 ima-sign apply "$WORK/m.json" --root "$WORK/missing" --xattr-user

# Hostile manifests: one line naming the manifest and the field; nothing written.
bad() {  # bad NAME JSON EXPECTED-MESSAGE-PART
    printf '%s' "$2" >"$WORK/$1.json"
    expect_status 1 ima-sign apply "$WORK/$1.json" --root "$WORK/b" --xattr-user
    expect_one_line "$ERR"
    expect_contains "$ERR" "ima-sign: error: $WORK/$1.json: $3"
}
d64=$(printf '%064d' 0)
bad syntax '{"version":1,' "not valid JSON"
bad version '{"version":2,"hash_algo":"sha256","files":[]}' "version: only version 1 is known"
bad algo '{"version":1,"hash_algo":"md4","files":[]}' "hash_algo: "
bad escape "{\"version\":1,\"hash_algo\":\"sha256\",\"files\":[{\"path\":\"../etc/passwd\",\"digest\":\"$d64\"}]}" \
    "files[0].path: '../etc/passwd' is not a relative path inside the root"
bad absolute "{\"version\":1,\"hash_algo\":\"sha256\",\"files\":[{\"path\":\"/etc/passwd\",\"digest\":\"$d64\"}]}" \
    "files[0].path: '/etc/passwd' is not a relative path"
bad short '{"version":1,"hash_algo":"sha256","files":[{"path":"a","digest":"00"}]}' "files[0].digest: 1 bytes, sha256 needs 32"
bad value "{\"version\":1,\"hash_algo\":\"sha256\",\"files\":[{\"path\":\"a\",\"digest\":\"$d64\",\"security.ima\":\"0302\"}]}" \
    "files[0].security.ima: "
bad twice "{\"version\":1,\"hash_algo\":\"sha256\",\"files\":[{\"path\":\"a\",\"digest\":\"$d64\"},{\"path\":\"a\",\"digest\":\"$d64\"}]}" \
    "files[1].path: 'a' appears twice"
bad notobj '[1,2]' "not a JSON object"
done_testing
