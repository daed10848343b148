#!/usr/bin/env bash
# How operands and options are read: an option takes one value each time
# it is given; a symlink operand is refused also as "link/" or "link/."; relative paths
# in manifests follow one rule (the operand directory, else the folder
# holding every operand, else --root); --json is one document; file names
# cannot forge report lines; keys the kernel cannot verify are refused.
. "$TESTS_DIR/lib/assert.sh"
need python3 openssl getfattr
K=$TESTS_DIR/fixtures/keys
cd "$WORK"
json_ok() { python3 -c 'import json,sys; json.load(sys.stdin)' <"$WORK/.out" || fail "stdout is not one JSON document: $(head -c 300 "$WORK/.out")"; pass; }
paths_of() { python3 -c 'import json,sys; print(" ".join(f["path"] for f in json.load(open(sys.argv[1]))["files"]))' "$1"; }
root_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("root", "(none)"))' "$1"; }

mkdir -p t/usr/bin t/etc && echo a >t/usr/bin/a && echo b >t/etc/b
expect_ok ima-sign sign -q -k "$K/rsa.key" -c "$K/rsa.pem" t

# -c takes one value: the paths after it are paths.
expect_ok ima-sign verify -c "$K/rsa.pem" t/usr/bin/a t/etc/b
expect_contains "$ERR" "verified 2 files"
expect_ok evm-tool sign -q --portable -k "$K/rsa.key" -c "$K/rsa.pem" t/usr/bin/a t/etc/b
expect_ok evm-tool verify -c "$K/rsa.pem" t/usr/bin/a t/etc/b
expect_contains "$ERR" "verified 2 files"
expect_ok ima-sign sign -q -k "$K/rsa.key" --exclude '*.o' t/usr/bin/a t/etc/b

# A symlink to a folder is refused, with a trailing slash too, and through
# trailing "." or ".." components (lstat follows the link in "link/.").
ln -s t link
mkdir -p u/sub && echo s >u/sub/s && ln -s u link2
for op in link link/ link// link/. link/./ link/.//. link/.. link/./.. link/../.. link/../t link2/sub/.. link2/sub/../.; do
    expect_status 1 ima-sign sign -k "$K/rsa.key" "$op"
    expect_contains "$ERR" "$op: is a symbolic link (not followed)"
done
expect_status 1 evm-tool sign -k "$K/rsa.key" link/.
expect_contains "$ERR" "link/.: is a symbolic link (not followed)"
# A real folder named with those components is walked.
expect_ok ima-sign sign -q --dry-run -k "$K/rsa.key" t/.
expect_ok ima-sign sign -q --dry-run -k "$K/rsa.key" t/usr/..

# --json: one document on stdout, nothing before it.
expect_ok ima-sign sign --dry-run --json -k "$K/rsa.key" t
json_ok
expect_ok ima-sign sign -v --json -k "$K/rsa.key" t
json_ok
expect_ok ima-sign hash -v --json t
json_ok
expect_ok ima-sign sign -q -k "$K/rsa.key" -c "$K/rsa.pem" t

# Manifest paths: relative to the directory operand ...
expect_ok ima-sign sign -q --dry-run -k "$K/rsa.key" --manifest m1.json t
expect_eq "etc/b usr/bin/a" "$(paths_of m1.json)" "one directory operand"
# Each manifest says which folder its paths start from.
HERE=$(pwd -P)
expect_eq "$HERE/t" "$(root_of m1.json)" "the root of one directory operand"
# ... else to the folder holding every operand: never absolute, never '..',
# and two operands never give one path twice.
expect_ok ima-sign sign -q --dry-run -k "$K/rsa.key" --manifest m2.json t/usr/bin/a t/etc/b
expect_eq "etc/b usr/bin/a" "$(paths_of m2.json)" "file operands"
expect_eq "$HERE/t" "$(root_of m2.json)" "the root of file operands: their common folder"
mkdir -p two/x two/y && echo 1 >two/x/same && echo 2 >two/y/same
expect_ok ima-sign sign -q --dry-run -k "$K/rsa.key" --manifest m3.json two/x two/y
expect_eq "x/same y/same" "$(paths_of m3.json)" "two directories with the same names"
expect_eq "$HERE/two" "$(root_of m3.json)" "the root of two directories"
(cd t/usr/bin && expect_ok ima-sign sign -q --dry-run -k "$K/rsa.key" --manifest "$WORK/m4.json" ../../etc/b a)
expect_eq "etc/b usr/bin/a" "$(paths_of m4.json)" "operands with '..'"
expect_eq "$HERE/t" "$(root_of m4.json)" "the root of operands with '..'"
# ... or to --root.
expect_ok ima-sign sign -q --dry-run -k "$K/rsa.key" --root t --manifest m5.json t/usr/bin/a
expect_eq "usr/bin/a" "$(paths_of m5.json)" "--root"
expect_eq "$HERE/t" "$(root_of m5.json)" "the root given by --root"
expect_status 2 ima-sign sign -q --dry-run -k "$K/rsa.key" --root t/usr --manifest m6.json t/etc/b
expect_contains "$ERR" "t/etc/b is not inside the root t/usr"
[ ! -e m6.json ] || fail "a manifest was written after a usage error"
pass
# Our own readers take what our writers wrote.
expect_ok ima-sign apply --dry-run m2.json --root t
expect_ok ima-sign apply --dry-run m4.json --root t
expect_ok ima-sign apply --dry-run m3.json --root two

# The outputs are opened first: a missing folder fails before anything is signed.
echo fresh >t/fresh
expect_status 3 ima-sign sign -k "$K/rsa.key" --manifest no/such/dir/m.json t/fresh
expect_one_line "$ERR"
has_xattr t/fresh security.ima && fail "signed before the manifest could be written" || pass

# A name with a newline cannot start a report line of its own.
nl_name="$(printf 'evil\nforged: ok (signature)')"
echo x >"$nl_name"
expect_ok ima-sign sign -q -k "$K/rsa.key" -c "$K/rsa.pem" "$nl_name"
expect_ok ima-sign verify -c "$K/rsa.pem" "$nl_name"
expect_eq 1 "$(printf '%s\n' "$OUT" | wc -l)" "report lines for one file"
expect_contains "$OUT" 'evil\nforged: ok (signature): ok (signature'
setfattr -x security.ima "$nl_name"
expect_status 1 ima-sign verify -c "$K/rsa.pem" "$nl_name"
expect_eq 2 "$(printf '%s\n' "$ERR" | wc -l)" "error line and summary"

# Keys the kernel cannot verify, or SPEC does not list, are refused by name.
for curve in secp256k1 P-192 P-521; do
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:$curve -out $curve.key 2>/dev/null
    expect_status 3 ima-sign sign -k $curve.key t/usr/bin/a
    expect_contains "$ERR" "is not one the kernel verifies IMA signatures with (P-256 or P-384)"
done
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.key 2>/dev/null
expect_status 3 ima-sign sign -k rsa1024.key t/usr/bin/a
expect_contains "$ERR" "RSA key of 1024 bits is too short"
expect_ok ima-sign sign -q --allow-short-rsa -k rsa1024.key t/usr/bin/a
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:512 -out rsa512.key 2>/dev/null
expect_status 3 ima-sign sign --allow-short-rsa -k rsa512.key t/usr/bin/a
expect_status 3 evm-tool sign --portable -k secp256k1.key t/usr/bin/a
expect_status 3 ima-sign sign-hash -k P-521.key </dev/null

# A hash the key cannot sign with fails once, up front, not once per file.
expect_status 2 ima-sign sign -k "$K/rsa.key" -a sm3 t
expect_one_line "$ERR"
expect_contains "$ERR" "cannot sign sm3 digests"
expect_status 2 evm-tool sign -k "$K/rsa.key" -a sm3 t
expect_one_line "$ERR"
expect_contains "$ERR" "cannot sign sm3 digests"
mkdir -p tars && tar -C t -cf tars/t.tar .
expect_status 2 ima-sign tar -k "$K/rsa.key" -a sm3 tars/t.tar tars/out.tar
expect_one_line "$ERR"
expect_contains "$ERR" "cannot sign sm3 digests"

# Outputs into a missing folder fail before anything is signed or written,
# for tar's manifest and Keylime policy and sign's Keylime policy too.
expect_status 3 ima-sign tar -k "$K/rsa.key" --manifest no/such/m.json tars/t.tar tars/out.tar
expect_one_line "$ERR"
expect_status 3 ima-sign tar -k "$K/rsa.key" --keylime-policy no/such/k.json tars/t.tar tars/out.tar
expect_one_line "$ERR"
expect_eq "" "$(ls tars | grep -v '^t.tar$')" "nothing written beside the input"
mkdir -p fresh2 && echo f >fresh2/f
expect_status 3 ima-sign sign -k "$K/rsa.key" --keylime-policy no/such/k.json fresh2
expect_one_line "$ERR"
expect_eq "" "$(getfattr -n security.ima --only-values fresh2/f 2>/dev/null)" "fresh2/f not signed"

# sign-hash: a line longer than any digest and path stops the run there.
{ sha256sum t/etc/b; printf '%s  %s\n' "$(sha256sum t/etc/b | cut -d' ' -f1)" "$(head -c 20000 /dev/zero | tr '\0' a)"; sha256sum t/usr/bin/a; } >lines
expect_status 1 ima-sign sign-hash -k "$K/rsa.key" <lines
expect_eq 1 "$(printf '%s\n' "$OUT" | grep -c .)" "lines signed before the long one"
expect_eq "ima-sign: error: stdin line 2: longer than 16384 bytes (a digest and a path are shorter)" "$ERR"
done_testing
