#!/usr/bin/env bash
# ima-attest verify: the signatures of the synthetic list (openssl-made)
# against the test certificates, and its digests against a manifest that the
# real `ima-sign sign --manifest` wrote for a tree holding some of its files.
. "$TESTS_DIR/lib/assert.sh"
. "$(dirname "$0")/lib.sh"

certs=(-c "$KEYS/rsa.pem" -c "$KEYS/ec256.pem")

# Signatures only.
expect_status 1 ima-attest verify "$SYN/all.log" "${certs[@]}"
expect_eq "entry 8 /usr/bin/bad-sig: bad signature: ima signature: does not verify with $KEYS/rsa.pem
entry 9 /usr/bin/other-key: unknown key: ima signature: no certificate with key id c6dfaced
entry 10 /usr/bin/malformed: malformed signature: ima signature: sig_size: 1 but 256 bytes follow
entry 19 -: unknown template: template 'vendor-tmpl'" "$OUT" "signature findings"
expect_eq "ima-attest: verify: 22 entries, 5 good signatures, 4 problems" "$ERR"
# -v lists what passed
expect_status 1 ima-attest verify "$SYN/all.log" "${certs[@]}" -v
for ok in "entry 6 /usr/bin/signed-rsa: ok: ima signature, key 79d765db" \
    "entry 7 /usr/bin/signed-ec: ok: ima signature, key $(cert_keyid "$KEYS/ec256.pem")" \
    "entry 12 /usr/sbin/signed-sha384: ok: ima signature, key 79d765db" \
    "entry 15 /lib/modules/test.ko: ok: appended signature, key 79d765db" \
    "entry 16 /usr/bin/evm-signed: ok: EVM signature, key 79d765db"; do
    expect_contains "$OUT" "$ok"
done
# Certificates before the list.
expect_status 1 ima-attest verify -c "$KEYS/rsa.pem" -c "$KEYS/ec256.pem" "$SYN/all.log"
expect_eq "ima-attest: verify: 22 entries, 5 good signatures, 4 problems" "$ERR"
# Only the RSA certificate: the ECDSA signature's key is unknown.
expect_status 1 ima-attest verify "$SYN/all.log" -c "$KEYS/rsa.pem"
expect_contains "$OUT" "entry 7 /usr/bin/signed-ec: unknown key: ima signature: no certificate with key id $(cert_keyid "$KEYS/ec256.pem")"
# A list whose signatures all verify passes; --require-signatures fails unsigned files.
mklog --out "$WORK/ng.log" --scenario ng --count 5 --quick
# No entry of an ima-ng list carries a signature: checking signatures there checks nothing.
expect_status 1 ima-attest verify "$WORK/ng.log" "${certs[@]}"
expect_contains "$OUT" "entry 0 -: nothing verified: no entry carries a signature or names a file of the manifest"
expect_status 1 ima-attest verify "$WORK/ng.log" "${certs[@]}" --require-signatures
expect_contains "$OUT" "entry 2 /usr/lib/file-000001.so: unsigned file: no signature in the list"
# A tampered entry is named by its template digest.
expect_status 1 ima-attest verify "$SYN/all-tampered.log" "${certs[@]}"
expect_contains "$OUT" "entry 6 /usr/bin/signed-rsa: bad template digest: the recorded template digest does not match the entry's data"

# The manifest of a tree with some of the list's files (contents as mklog.py digests them).
tree=$WORK/tree
mkdir -p "$tree/usr/bin" "$tree/usr/share"
for p in /usr/bin/ls /usr/bin/sha1-file /usr/bin/with_space /usr/bin/signed-rsa /usr/bin/signed-ec /usr/bin/bad-sig \
    /usr/bin/malformed /usr/bin/unsigned /usr/bin/evm-signed; do
    printf 'contents of %s' "$p" >"$tree$p"
done
printf 'changed' >"$tree/usr/bin/with_space"
echo doc >"$tree/usr/share/doc"
expect_ok ima-sign sign --dry-run -q -k "$KEYS/rsa.key" -c "$KEYS/rsa.pem" --manifest "$WORK/m.json" "$tree"
expect_status 1 ima-attest verify "$SYN/all.log" "${certs[@]}" --manifest "$WORK/m.json"
expect_eq "entry 3 /usr/bin/sha1-file: algorithm mismatch: the list has a sha1 digest, the manifest sha256
entry 4 /usr/bin/with_space: digest mismatch: measured fd8b4a8be240f0ccc98078e49126845f8d30d6c176f6bc1bf6963c74d28a5aea, manifest $(printf changed | sha256sum | cut -d' ' -f1)
entry 5 /opt/tool: unknown file: not in the manifest
entry 8 /usr/bin/bad-sig: bad signature: ima signature: does not verify with $KEYS/rsa.pem
entry 9 /usr/bin/other-key: unknown key: ima signature: no certificate with key id c6dfaced
entry 9 /usr/bin/other-key: unknown file: not in the manifest
entry 10 /usr/bin/malformed: malformed signature: ima signature: sig_size: 1 but 256 bytes follow
entry 12 /usr/sbin/signed-sha384: unexpected signed file: signed, but not in the manifest
entry 15 /lib/modules/test.ko: unexpected signed file: signed, but not in the manifest
entry 17 /usr/bin/verity: unknown file: not in the manifest
entry 18 /etc/custom: unknown file: not in the manifest
entry 19 -: unknown template: template 'vendor-tmpl'" "$OUT" "manifest findings"
expect_eq "ima-attest: verify: 22 entries, 5 good signatures, 8 files match the manifest (root /, 1 of its files not measured, 0 entries outside the root), 12 problems" "$ERR"
# Manifest only: without certificates a signed file is just unknown.
expect_status 1 ima-attest verify "$SYN/all.log" --manifest "$WORK/m.json"
expect_contains "$OUT" "entry 12 /usr/sbin/signed-sha384: unknown file: not in the manifest"
expect_not_contains "$OUT" "signature"

# --root: the tree signed from usr/, mounted at /usr on the measured machine.
expect_ok ima-sign sign --dry-run -q -k "$KEYS/rsa.key" --manifest "$WORK/usr.json" "$tree/usr"
expect_status 1 ima-attest verify "$SYN/all.log" --manifest "$WORK/usr.json" --root /usr/ --json
python3 - "$WORK/.out" <<'PY' || fail "verify --json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is False
m = d["manifest"]
assert m["root"] == "/usr" and m["matched"] == 8 and m["outside_root"] == 3 and m["not_measured"] == ["share/doc"], m
problems = sorted((f["index"], f["problem"]) for f in d["findings"])
assert problems == [(3, "algorithm mismatch"), (4, "digest mismatch"), (9, "unknown file"), (12, "unknown file"),
                    (17, "unknown file"), (19, "unknown template")], problems
assert "good_signatures" not in d
PY
pass

# Without --root the prefix that maps the most paths is found: /usr.
expect_status 1 ima-attest verify "$SYN/all.log" --manifest "$WORK/usr.json"
expect_contains "$ERR" "8 files match the manifest (root /usr, 1 of its files not measured, 3 entries outside the root)"
# An explicit / finds none of them.
expect_status 1 ima-attest verify "$SYN/all.log" --manifest "$WORK/usr.json" --root /
expect_contains "$ERR" "0 files match the manifest (root /,"

# What is not a check: no certificates and no manifest, a relative root.
expect_status 2 ima-attest verify "$SYN/all.log"
expect_eq "ima-attest: error: verify: nothing to check: give -c CERT and/or --manifest FILE" "$ERR"
expect_status 2 ima-attest verify "$SYN/all.log" --manifest "$WORK/m.json" --root usr
expect_eq "ima-attest: error: --root: 'usr' is neither 'auto' nor an absolute path" "$ERR"
echo '{"version":2}' >"$WORK/bad.json"
expect_status 1 ima-attest verify "$SYN/all.log" --manifest "$WORK/bad.json"
expect_eq "ima-attest: error: $WORK/bad.json: version: only version 1 is known" "$ERR"
done_testing
