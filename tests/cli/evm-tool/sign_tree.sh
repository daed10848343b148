#!/usr/bin/env bash
# Trees: every regular file gets security.evm (immutable, portable, HMAC),
# through security.* and user.*; links, FIFOs and devices are left alone;
# excludes honoured; --print sets nothing; verify agrees; --json is one document.
. "$TESTS_DIR/lib/assert.sh"
need getfattr setfattr jq
K=$TESTS_DIR/fixtures/keys

t=$WORK/tree
mkdir -p "$t/usr/bin" "$t/usr/lib" "$t/etc" "$t/var/cache"
for i in $(seq 1 40); do head -c $((i * 100)) /dev/urandom >"$t/usr/lib/lib$i.so"; done
printf '#!/bin/sh\necho hi\n' >"$t/usr/bin/hello"
echo conf >"$t/etc/app.conf"
echo cache >"$t/var/cache/x.tmp"
ln -s hello "$t/usr/bin/hello-link"
mkfifo "$t/etc/fifo"
mknod "$t/etc/null" c 1 3
head -c 32 /dev/urandom >"$WORK/evm-key"
nfiles=43  # 40 libs, hello, app.conf, x.tmp

for ns in user security; do
    flag=; [ $ns = user ] && flag=--xattr-user
    expect_ok ima-sign sign -q $flag -k "$K/rsa.key" "$t"

    # portable and immutable signatures, then HMACs, over the whole tree
    for mode in --portable --immutable hmac; do
        if [ $mode = hmac ]; then
            expect_ok evm-tool hmac $flag --hmac-key "$WORK/evm-key" -j 3 "$t"
            kind=hmac
        else
            expect_ok evm-tool sign $flag $mode -k "$K/rsa.key" -c "$K/rsa.pem" -j 3 "$t"
            kind=${mode#--}
        fi
        expect_eq "evm-tool: $([ $mode = hmac ] && echo computed || echo signed) $nfiles files" "$ERR" "$mode summary"
        expect_eq "" "$OUT" "stdout of $mode without -v"
        for f in "$t/usr/bin/hello" "$t/etc/app.conf" "$t/usr/lib/lib7.so"; do
            v=$(xattr_hex "$f" $ns.evm)
            case $kind in
                portable) expect_eq 05 "${v:0:2}" "type of $f" ;;
                immutable) expect_eq 03 "${v:0:2}" "type of $f" ;;
                hmac) expect_eq 42 ${#v} "length of the HMAC value of $f"; expect_eq 02 "${v:0:2}" ;;
            esac
        done
        getfattr -h -n $ns.evm "$t/usr/bin/hello-link" >/dev/null 2>&1 && fail "a symlink got $ns.evm" || pass
        expect_ok evm-tool verify $flag -c "$K/rsa.pem" --hmac-key "$WORK/evm-key" "$t"
        expect_eq "$nfiles" "$(echo "$OUT" | grep -c ": ok ($kind ")" "files verified as $kind"
    done
    if [ $ns = user ]; then has_xattr "$t/etc/app.conf" security.evm && fail "--xattr-user wrote security.evm" || pass; fi
done

# --print: the values on stdout, nothing set
echo new >"$t/new"
ima-sign sign -q -k "$K/rsa.key" "$t/new"
expect_ok evm-tool sign --portable --print -k "$K/rsa.key" "$t/new"
has_xattr "$t/new" security.evm && fail "--print set security.evm" || pass
printed=$(echo "$OUT" | cut -d' ' -f2)
expect_eq "$t/new" "$(echo "$OUT" | cut -d' ' -f1)"
expect_ok evm-tool sign -q --portable -k "$K/rsa.key" "$t/new"
expect_eq "$printed" "$(xattr_hex "$t/new" security.evm)" "printed vs written value"
expect_ok evm-tool hmac --print --hmac-key "$WORK/evm-key" "$t/new"
expect_eq "$printed" "$(xattr_hex "$t/new" security.evm)" "value after hmac --print"

# -v prints each value while writing; -q prints nothing
expect_ok evm-tool sign -v --portable -k "$K/rsa.key" "$t/etc"
expect_eq "$t/etc/app.conf $(xattr_hex "$t/etc/app.conf" security.evm)" "$OUT" "-v output for etc/ (one regular file)"
expect_ok evm-tool sign -q --portable -k "$K/rsa.key" "$t/etc"
expect_eq "" "$OUT$ERR" "output of -q"

# excludes
setfattr -x security.evm "$t/var/cache/x.tmp"
expect_ok evm-tool sign -q --portable -k "$K/rsa.key" --exclude '*.tmp' "$t"
has_xattr "$t/var/cache/x.tmp" security.evm && fail "excluded file signed" || pass

# --json: one document, the same facts
expect_ok evm-tool sign --json --portable -k "$K/rsa.key" -c "$K/rsa.pem" -a sha512 "$t/usr/bin"
expect_eq "sign portable sha512 $(cert_keyid "$K/rsa.pem") 1 0" \
    "$(echo "$OUT" | jq -r '"\(.command) \(.kind) \(.hash_algo) \(.keyid) \(.signed) \(.failed)"')"
expect_eq "$(xattr_hex "$t/usr/bin/hello" security.evm)" "$(echo "$OUT" | jq -r '.files[0]["security.evm"]')"
expect_eq "" "$ERR" "stderr of --json"
expect_ok evm-tool verify --json -c "$K/rsa.pem" "$t/usr/bin"
expect_eq "ok portable sha512" "$(echo "$OUT" | jq -r '.files[0] | "\(.status) \(.kind) \(.hash_algo)"')"

# a second operand beside a failing one still gets done; the status says 1
setfattr -x security.ima "$t/new"
setfattr -n security.selinux -v system_u:object_r:bin_t:s0 "$t/new"
expect_status 1 evm-tool sign --portable -k "$K/rsa.key" "$t/new" "$t/usr/bin/hello"
expect_contains "$ERR" "$t/new: a portable EVM signature needs security.ima"
expect_contains "$ERR" "signed 1 file, 1 failed"
done_testing
