#!/usr/bin/env bash
# EVM under a real kernel (Debian 6.1 under QEMU): programs signed by
# ima-sign, their metadata signed by evm-tool, keys in _ima and _evm, EVM
# enabled with 2 (X.509 only), policy "appraise func=BPRM_CHECK
# fsmagic=0xef53 appraise_type=imasig":
#  - a portable (type 5) signature made on the host runs;
#  - after signing, a changed mode, a changed owner, an added protected xattr
#    are refused (cause=invalid-fail-immutable), no security.evm is refused
#    (cause=missing-HMAC);
#  - immutable (type 3) signatures built on the host for the image (its
#    inode numbers, generations and filesystem UUID through --ino,
#    --generation and --uuid, injected with debugfs) run; one built for
#    another inode is refused (cause=invalid-HMAC);
#  - evm-tool verify inside the guest agrees with the kernel.
# The guest adds the keys with keyutils' keyctl (copied from the host).
. "$TESTS_DIR/lib/assert.sh"
. "$TESTS_DIR/kernel/lib.sh"
need gcc openssl setfattr debugfs dumpe2fs keyctl
keyctl=$(command -v keyctl)
libkeyutils=$(ldd "$keyctl" | awk '/libkeyutils/{print $3}')
[ -n "$libkeyutils" ] || fail "cannot find keyctl's libkeyutils"
U=5d1c7f0e-2b4a-4c39-9e61-0a7b3c2d1e4f

# A throwaway RSA key (the 6.1 kernel verifies RSA, not ECDSA).
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/evm.key" -out "$WORK/evm.pem" -days 1 \
    -subj "/CN=imaevm evm kernel test" -addext keyUsage=digitalSignature -addext subjectKeyIdentifier=hash \
    -addext extendedKeyUsage=codeSigning 2>/dev/null
openssl x509 -in "$WORK/evm.pem" -outform DER -out "$WORK/evm.der"
gcc -static -O2 -o "$WORK/hello" "$TESTS_DIR/kernel/programs/hello.c" || fail "cannot build the static test program"

portable="p-ok p-modechanged p-chowned p-selinux p-noevm"
immutable="i-ok i-wrongino"
t=$WORK/tree
mkdir -p "$t/bin"
for p in $portable $immutable; do cp "$WORK/hello" "$t/bin/$p"; chmod 0755 "$t/bin/$p"; done
expect_ok ima-sign sign -q -k "$WORK/evm.key" -c "$WORK/evm.pem" "$t"
for p in $portable; do expect_ok evm-tool sign -q --portable -k "$WORK/evm.key" -c "$WORK/evm.pem" "$t/bin/$p"; done
# what the kernel must catch, done after signing
chmod 0700 "$t/bin/p-modechanged"
chown 1000:1000 "$t/bin/p-chowned"
setfattr -n security.selinux -v system_u:object_r:bin_t:s0 "$t/bin/p-selinux"
setfattr -x security.evm "$t/bin/p-noevm"

# The image, then immutable signatures for its inodes, injected with debugfs.
img=$WORK/disk.img
EXT4_UUID=$U "$SOURCE_DIR/scripts/qemu/make-ext4" "$t" "$img" || fail "make-ext4 failed"
expect_eq "$U" "$(dumpe2fs -h "$img" 2>/dev/null | sed -n 's/^Filesystem UUID: *//p')" "image UUID"
inode_of() { debugfs -R "stat /bin/$1" "$img" 2>/dev/null | sed -n 's/^Inode: *\([0-9]*\).*/\1/p'; }
generation_of() { debugfs -R "stat /bin/$1" "$img" 2>/dev/null | sed -n 's/^Generation: *\([0-9]*\).*/\1/p'; }
for p in $immutable; do
    ino=$(inode_of $p) gen=$(generation_of $p)
    [ -n "$ino" ] && [ -n "$gen" ] || fail "debugfs gave no inode or generation for /bin/$p"
    [ $p = i-wrongino ] && ino=$((ino + 1000))
    expect_ok evm-tool sign --print -k "$WORK/evm.key" -c "$WORK/evm.pem" --ino "$ino" --generation "$gen" \
        --uuid $U "$t/bin/$p"
    echo "$OUT" | cut -d' ' -f2 | xxd -r -p >"$WORK/$p.evm"
    debugfs -w -R "ea_set -f $WORK/$p.evm /bin/$p security.evm" "$img" 2>/dev/null
    expect_eq "$(xxd -p "$WORK/$p.evm" | tr -d '\n')" \
        "$(debugfs -R "ea_get -x /bin/$p security.evm" "$img" 2>/dev/null | tr -d ' \n' | sed 's/^.*=//')" \
        "security.evm of /bin/$p in the image"
done

cat >"$WORK/guest.sh" <<'GUEST'
set -u
echo 0 >/proc/sys/kernel/printk_ratelimit
# The keyrings under the user keyring, the certificate in each: keys first,
# then EVM, then the policy (in one write).
{
    keyctl show @s
    keyctl newring _ima @u && keyctl newring _evm @u
    keyctl padd asymmetric "" %:_ima </keys/evm.der && keyctl padd asymmetric "" %:_evm </keys/evm.der
    keyctl show @u
} >$OUT/keys.txt 2>&1
echo $? >$OUT/keys.status
echo 2 >/sys/kernel/security/evm
cat /sys/kernel/security/evm >$OUT/evm
echo "appraise func=BPRM_CHECK fsmagic=0xef53 appraise_type=imasig" >/sys/kernel/security/ima/policy
echo $? >$OUT/policy.status
for p in p-ok p-modechanged p-chowned p-selinux p-noevm i-ok i-wrongino; do
    /mnt/bin/$p >$OUT/run-$p.txt 2>&1
    echo $? >$OUT/run-$p.status
done
# our verifier on the same inodes (UUID through EXT4_IOC_GETFSUUID on 6.1)
evm-tool verify -c /keys/evm.pem /mnt/bin >$OUT/verify.txt 2>&1
echo $? >$OUT/verify.status
evm-tool show /mnt/bin >$OUT/show.txt 2>&1
exit 0
GUEST

run_guest --disk "$img" --file "$WORK/evm.der=/keys/evm.der" --file "$WORK/evm.pem=/keys/evm.pem" \
    --file "$keyctl=/usr/bin/keyctl" --file "$(readlink -f "$libkeyutils")=$libkeyutils" "$WORK/guest.sh" "$WORK/out"
o=$WORK/out
expect_guest_ok "$o"
expect_eq 0 "$(cat "$o/keys.status")" "keys loaded ($(cat "$o/keys.txt"))"
expect_eq 0 "$(cat "$o/policy.status")" "policy loaded"
evm_state=$(cat "$o/evm")
[ $((evm_state & 2)) = 2 ] || fail "EVM not enabled with X.509 keys: $evm_state"
pass

audit=$(audit_lines "$o")
for p in p-ok i-ok; do
    expect_eq 0 "$(cat "$o/run-$p.status")" "$p runs ($(cat "$o/run-$p.txt"))"
    expect_contains "$(cat "$o/run-$p.txt")" "hello from /mnt/bin/$p"
    expect_not_contains "$audit" "bin/$p\""
done
refused() {  # refused PROGRAM CAUSE
    [ "$(cat "$o/run-$1.status")" != 0 ] || { guest_console "$o"; fail "$1 ran"; }
    pass
    expect_contains "$(cat "$o/run-$1.txt")" "Permission denied"
    expect_contains "$(echo "$audit" | grep "bin/$1\"" | head -1)" "cause=$2"
}
refused p-modechanged invalid-fail-immutable
refused p-chowned invalid-fail-immutable
refused p-selinux invalid-fail-immutable
refused p-noevm missing-HMAC
refused i-wrongino invalid-HMAC

# evm-tool in the guest agrees with the kernel, file by file
v=$(cat "$o/verify.txt")
expect_eq 1 "$(cat "$o/verify.status")" "guest evm-tool verify status ($v)"
for p in p-ok i-ok; do expect_contains "$v" "/mnt/bin/$p: ok ("; done
expect_contains "$v" "/mnt/bin/i-ok: ok (immutable signature sha256"
for p in p-modechanged p-chowned p-selinux; do expect_contains "$v" "/mnt/bin/$p: bad portable EVM signature"; done
expect_contains "$v" "/mnt/bin/i-wrongino: bad immutable EVM signature"
expect_contains "$v" "/mnt/bin/p-noevm: no security.evm"
expect_contains "$(cat "$o/show.txt")" "security.evm: evm-immutable-signature v2, sha256"
done_testing
