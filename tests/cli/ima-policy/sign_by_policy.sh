#!/usr/bin/env bash
# ima-sign sign --policy: the files an appraise-exec policy would appraise
# (programs, ELF libraries, modules, firmware, kexec kernels, the policy) get
# signatures; data does not; a policy with errors is refused.
. "$TESTS_DIR/lib/assert.sh"
need getfattr
F=$TESTS_DIR/fixtures/policy
K=$TESTS_DIR/fixtures/keys

r=$WORK/root
mkdir -p "$r/usr/bin" "$r/usr/lib" "$r/etc/ima" "$r/lib/modules/6.1/kernel" "$r/lib/firmware" "$r/boot"
cp /bin/true "$r/usr/bin/true"
printf '#!/bin/sh\necho hi\n' >"$r/usr/bin/script" && chmod 0755 "$r/usr/bin/script"
cp "$(readlink -f /lib/x86_64-linux-gnu/libc.so.6)" "$r/usr/lib/libc.so.6" && chmod 0644 "$r/usr/lib/libc.so.6"
echo conf >"$r/etc/conf"
echo mod >"$r/lib/modules/6.1/kernel/m.ko"
echo dep >"$r/lib/modules/6.1/modules.dep"
echo fw >"$r/lib/firmware/fw.bin"
echo kernel >"$r/boot/vmlinuz-6.1"
echo initrd >"$r/boot/initrd.img-6.1"
ima-policy generate --profile appraise-exec -o "$r/etc/ima/ima-policy"

expect_ok ima-sign sign --xattr-user --policy "$r/etc/ima/ima-policy" -k "$K/rsa.key" "$r"
for f in usr/bin/true usr/bin/script usr/lib/libc.so.6 lib/modules/6.1/kernel/m.ko lib/firmware/fw.bin \
    boot/vmlinuz-6.1 etc/ima/ima-policy; do
    has_xattr "$r/$f" user.ima || fail "$f not signed under appraise-exec"
    pass
done
for f in etc/conf lib/modules/6.1/modules.dep boot/initrd.img-6.1; do
    has_xattr "$r/$f" user.ima && fail "$f signed although appraise-exec does not appraise it"
    pass
done

# appraise-tcb: everything root owns (the test files are ours: owner = our uid).
ima-policy generate --profile appraise-tcb -o "$WORK/tcb.policy"
expect_ok ima-sign sign --xattr-user --policy "$WORK/tcb.policy" -k "$K/rsa.key" "$r"
if [ "$(id -u)" = 0 ]; then
    has_xattr "$r/etc/conf" user.ima || fail "etc/conf (root's) not signed under appraise-tcb"
    pass
fi

expect_status 1 ima-sign sign --xattr-user --policy "$F/bad.policy" -k "$K/rsa.key" "$r"
expect_contains "$ERR" "bad.policy:2:9"
done_testing
