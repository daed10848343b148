#!/usr/bin/env bash
# The EVM HMAC (type 2) against two oracles:
#  - evmctl 1.4 `hmac -a sha1`: it reads its key only from
#    /etc/keys/evm-key-plain (so it runs here in a private mount namespace
#    with an overlay on /etc), hashes no filesystem UUID and ignores the
#    --ino/--uid/... overrides: it equals ours with --no-uuid;
#  - an independent computation with openssl of the bytes the kernel hashes
#    (protected xattrs, struct h_misc little-endian with padding, UUID), the
#    key zero-padded to 128 bytes: for the UUID and every override.
# Portable and immutable digests are also checked with openssl alone.
. "$TESTS_DIR/lib/assert.sh"
need evmctl getfattr setfattr openssl unshare mount xxd
K=$TESTS_DIR/fixtures/keys
U=5d1c7f0e-2b4a-4c39-9e61-0a7b3c2d1e4f
d=$WORK/files
mkdir -p "$d" "$WORK/etc/keys" "$WORK/etc-work"
head -c 32 /dev/urandom >"$WORK/evm-key"
cp "$WORK/evm-key" "$WORK/etc/keys/evm-key-plain"

echo one >"$d/ima-only"
echo two >"$d/three-xattrs"
setfattr -n security.selinux -v system_u:object_r:bin_t:s0 "$d/three-xattrs"
setfattr -n security.capability -v 0x0100000200040000000000000000000000000000 "$d/three-xattrs"
echo three >"$d/other-owner"
chown 1234:567 "$d/other-owner"
chmod 4711 "$d/other-owner"
ima-sign sign -q -k "$K/rsa.key" "$d"

# evmctl hmac in its own mount namespace: /etc/keys/evm-key-plain exists only there
evmctl_hmac() {
    unshare -m --propagation private sh -c '
        mount -t overlay overlay -o lowerdir=/etc,upperdir="$1/etc",workdir="$1/etc-work" /etc || exit 99
        evmctl hmac -a sha1 "$2"' sh "$WORK" "$1" >/dev/null 2>&1
}
for f in ima-only three-xattrs other-owner; do
    evmctl_hmac "$d/$f" || fail "evmctl hmac failed (needs root, unshare -m and overlayfs)"
    theirs=$(xattr_hex "$d/$f" security.evm)
    expect_eq 42 ${#theirs} "length of evmctl's HMAC value"
    expect_ok evm-tool hmac -q --no-uuid --hmac-key "$WORK/evm-key" "$d/$f"
    expect_eq "$theirs" "$(xattr_hex "$d/$f" security.evm)" "HMAC of $f vs evmctl hmac"
    expect_ok evm-tool verify -q --no-uuid --hmac-key "$WORK/evm-key" "$d/$f"
done

# the bytes the kernel hashes, built here from getfattr, stat and printf
le() {  # le VALUE BYTES: little-endian hex
    local v=$1 n=$2 out= i
    for ((i = 0; i < n; i++)); do out+=$(printf '%02x' $(((v >> (8 * i)) & 255))); done
    echo "$out"
}
message() {  # message FILE KIND INO GEN UID GID MODE UUID-HEX
    local f=$1 x out=
    for x in selinux SMACK64 SMACK64EXEC SMACK64TRANSMUTE SMACK64MMAP apparmor ima capability; do
        out+=$(xattr_hex "$f" security.$x)
    done
    if [ "$2" = portable ]; then out+=$(le 0 8)$(le 0 4); else out+=$(le "$3" 8)$(le "$4" 4); fi
    out+=$(le "$5" 4)$(le "$6" 4)$(le "$7" 2)0000
    [ "$2" = portable ] || out+=$8
    echo "$out"
}
padded_key=$(xxd -p "$WORK/evm-key" | tr -d '\n')$(printf '%0*d' $((256 - 64)) 0)
openssl_hmac() { echo "$1" | xxd -r -p | openssl dgst -sha1 -mac HMAC -macopt hexkey:"$padded_key" | sed 's/.*= //'; }

f=$d/three-xattrs
ino=$(stat -c %i "$f"); gen=$(lsattr -v "$f" | cut -d' ' -f1)
uid=$(stat -c %u "$f"); gid=$(stat -c %g "$f"); mode=$((0x$(stat -c %f "$f")))
uuid_hex=${U//-/}
for args in "--uuid $U|$ino $gen $uid $gid $mode $uuid_hex" \
    "--no-uuid|$ino $gen $uid $gid $mode " \
    "--uuid $U --ino 99 --generation 3 --uid 1000 --gid 100 --mode 0600|99 3 1000 100 $((8#100600)) $uuid_hex" \
    "--uuid $U --mode 120777|$ino $gen $uid $gid $((8#120777)) $uuid_hex"; do
    opts=${args%%|*}
    read -r i g u gr m uu <<<"${args#*|}"
    want=$(openssl_hmac "$(message "$f" hmac "$i" "$g" "$u" "$gr" "$m" "$uu")")
    expect_ok evm-tool hmac --print --hmac-key "$WORK/evm-key" $opts "$f"
    expect_eq "02$want" "$(echo "$OUT" | cut -d' ' -f2)" "HMAC with $opts vs openssl"
done

# signatures: the digest openssl computes over the same bytes verifies the value
for kind in portable immutable; do
    sopt=--portable; [ $kind = immutable ] && sopt="--uuid $U"
    expect_ok evm-tool sign -q $sopt -a sha384 -k "$K/rsa.key" "$f"
    v=$(xattr_hex "$f" security.evm)
    echo "${v:18}" | xxd -r -p >"$WORK/sig"
    message "$f" $kind "$ino" "$gen" "$uid" "$gid" "$mode" "$uuid_hex" | xxd -r -p | openssl dgst -sha384 -binary >"$WORK/digest"
    expect_ok openssl pkeyutl -verify -certin -inkey "$K/rsa.pem" -pkeyopt digest:sha384 -in "$WORK/digest" -sigfile "$WORK/sig"
done
done_testing
