#!/usr/bin/env bash
# --keylime-policy: a Keylime runtime policy (format 1) that follows the
# rules of Keylime's schema (keylime_schema.py) and holds every signed file.
. "$TESTS_DIR/lib/assert.sh"
need python3
K=$TESTS_DIR/fixtures/keys
here=$(dirname "$0")
root=$WORK/root
mkdir -p "$root/usr/bin" "$root/etc"
cp /bin/true "$root/usr/bin/true"
printf 'x\n' >"$root/etc/x"
expect_ok ima-sign sign -q --xattr-user -k "$K/rsa.key" --keylime-policy "$WORK/policy.json" "$root"
expect_ok python3 "$here/keylime_schema.py" "$WORK/policy.json"
expect_eq "$(sha256sum "$root/usr/bin/true" | cut -d' ' -f1)" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["digests"]["/usr/bin/true"][0])' "$WORK/policy.json")" \
    "digest keyed by the absolute path in the image"
# The same from a tar stream, sha384.
tar -cf "$WORK/in.tar" -C "$root" .
expect_ok ima-sign tar -q -a sha384 -k "$K/rsa.key" --keylime-policy "$WORK/tar-policy.json" "$WORK/in.tar" "$WORK/out.tar"
expect_ok python3 "$here/keylime_schema.py" "$WORK/tar-policy.json"
expect_eq "$(sha384sum "$root/etc/x" | cut -d' ' -f1)" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["digests"]["/etc/x"][0])' "$WORK/tar-policy.json")"
# The checker itself rejects what Keylime rejects.
printf '{"meta":{"version":1},"digests":{"relative":["00"]}}' >"$WORK/bad.json"
expect_status 1 python3 "$here/keylime_schema.py" "$WORK/bad.json"
expect_status 2 ima-sign sign -q --xattr-user -a sm3 -k "$K/rsa.key" --keylime-policy "$WORK/p.json" "$root"
done_testing
