#!/usr/bin/env bash
# ima-sign tar on hostile streams: a pax archive cut inside an extended
# header, names that reach outside the root, sparse entries that would
# expand, stale security.evm values, repeated names, and runs killed half way:
# one line, exit 1, and never an output file or a temporary file left behind.
. "$TESTS_DIR/lib/assert.sh"
need tar python3 getfattr setfattr
K=$TESTS_DIR/fixtures/keys
cd "$WORK"
mkdir out
files_in() { (cd "$1" && find . -mindepth 1 | sort | tr '\n' ' '); }

# A pax archive cut inside its extended header: libarchive gives no reason
# (a NULL error string), which once crashed the signer.
mkdir src && echo hi >"src/$(printf 'x%.0s' $(seq 150))"
tar --format=pax -cf pax.tar src
head -c 700 pax.tar >cut.tar
expect_status 1 ima-sign tar -k "$K/ec256.key" cut.tar out/cut-out.tar
expect_one_line "$ERR"
expect_contains "$ERR" "ima-sign: error: cut.tar: "
expect_eq "" "$(files_in out)" "files left after a refused stream"

# Member names with '..' (GNU tar refuses to extract them) or no name inside
# the root: refused by name, nothing written.
python3 - <<'PY'
import io, tarfile
def one(path, name, data=b"x"):
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as t:
        ok = tarfile.TarInfo("usr/ok"); ok.size = 1; t.addfile(ok, io.BytesIO(b"o"))
        i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
one("dotdot.tar", "../../escape")
one("inner.tar", "a/../../b")
one("dot.tar", ".")
PY
for bad in dotdot inner dot; do
    expect_status 1 ima-sign tar -k "$K/ec256.key" --manifest out/m.json "$bad.tar" out/$bad.tar
    expect_one_line "$ERR"
    expect_eq "" "$(files_in out)" "files left after $bad.tar"
done
expect_status 1 ima-sign tar -k "$K/ec256.key" dotdot.tar out/x.tar
expect_contains "$ERR" "entry '../../escape': a '..' in the name would reach outside the archive's root"

# A name given twice: extraction keeps the last, and so do the manifest and
# the Keylime policy (each path once, as apply and verify require).
python3 - <<'PY'
import io, tarfile
with tarfile.open("twice.tar", "w", format=tarfile.PAX_FORMAT) as t:
    for name, data in (("./etc/conf", b"first\n"), ("etc/conf", b"second\n"), ("/etc/other", b"o\n")):
        i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
PY
expect_ok ima-sign tar -q -k "$K/rsa.key" -c "$K/rsa.pem" --manifest out/twice.json --keylime-policy out/twice-kl.json \
    twice.tar out/twice.tar
expect_eq "etc/conf etc/other" "$(python3 -c 'import json,sys; print(" ".join(f["path"] for f in json.load(open(sys.argv[1]))["files"]))' out/twice.json)" "manifest paths"
expect_eq "$(printf 'second\n' | sha256sum | cut -d' ' -f1)" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["files"][0]["digest"])' out/twice.json)" "the last etc/conf wins"
expect_eq "/etc/conf /etc/other" "$(python3 -c 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1]))["digests"])))' out/twice-kl.json)" "Keylime keys"
mkdir x && tar -xf out/twice.tar -C x
expect_ok ima-sign apply --dry-run out/twice.json --root x
rm -f out/twice*

# A sparse entry: 10 KiB stored, 100 MiB long. Its holes are hashed as the
# zeros they read as, never written out or spooled: the output stays small.
mkdir sp && truncate -s 100M sp/disk.img && printf 'header' | dd of=sp/disk.img conv=notrunc status=none &&
    head -c 10240 /dev/urandom | dd of=sp/disk.img bs=1M seek=50 conv=notrunc status=none
tar --sparse -cf sparse.tar -C sp .
[ "$(stat -c %s sparse.tar)" -lt 200000 ] || fail "the test's sparse archive is not small"
pass
expect_ok ima-sign tar -q -k "$K/rsa.key" -c "$K/rsa.pem" --manifest out/sparse.json sparse.tar out/sparse.tar
[ "$(stat -c %s out/sparse.tar)" -lt 200000 ] || fail "sparse entry expanded: $(stat -c %s out/sparse.tar) bytes out"
pass
expect_eq "$(sha256sum sp/disk.img | cut -d' ' -f1)" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["files"][0]["digest"])' out/sparse.json)" "digest of the whole file"
mkdir sx && tar --xattrs --xattrs-include='security.*' -xf out/sparse.tar -C sx
expect_ok cmp sp/disk.img sx/disk.img
expect_ok ima-sign verify -c "$K/rsa.pem" sx/disk.img
rm -rf sx sp sparse.tar out/sparse.*

# A security.evm that came with the stream covered the old security.ima: it
# goes (a new one only with --evm-portable).
mkdir ev && echo data >ev/f && setfattr -n security.ima -v 0x0404aa ev/f && setfattr -n security.evm -v 0x0502deadbeef ev/f
tar --xattrs --xattrs-include='security.*' -cf ev.tar -C ev .
expect_ok ima-sign tar -q -k "$K/rsa.key" ev.tar out/ev.tar
mkdir evx && tar --xattrs --xattrs-include='security.*' -xf out/ev.tar -C evx
has_xattr evx/f security.evm && fail "a stale security.evm was kept beside the new security.ima" || pass
expect_ok ima-sign verify -c "$K/rsa.pem" evx/f
rm -rf evx out/ev.tar

# Killed half way (SIGKILL, SIGTERM, SIGINT) while reading a stream that
# never ends: neither OUT nor a temporary file is left in OUT's folder.
mkfifo feed
mkdir big && head -c 200000 /dev/urandom >big/blob && tar -cf big.tar -C big .
for sig in KILL TERM INT; do
    # A background job of a script starts with SIGINT ignored: restore it.
    env --default-signal=INT ima-sign tar -k "$K/rsa.key" feed out/killed.tar 2>/dev/null &
    pid=$!
    exec 7>feed  # a writer that stays: the reader waits, mid-stream
    head -c 20480 big.tar >&7  # a header and part of the data: the stream goes on
    sleep 0.5
    kill -s "$sig" "$pid"
    wait "$pid" 2>/dev/null || true
    exec 7>&-
    expect_eq "" "$(files_in out)" "files left after SIG$sig"
done
done_testing
