#!/usr/bin/env bash
# The QEMU harness itself: the guest boots, sees IMA, EVM and the vTPM, mounts
# the ext4 disk with its xattrs, runs our tools and hands results back.
. "$TESTS_DIR/lib/assert.sh"
. "$TESTS_DIR/kernel/lib.sh"

mkdir -p "$WORK/tree"
echo hello >"$WORK/tree/hello.txt"
cat >"$WORK/guest.sh" <<'GUEST'
set -e
ls /sys/kernel/security/ima/ascii_runtime_measurements
cat /sys/kernel/security/evm >$OUT/evm
cat /mnt/hello.txt >$OUT/hello
ima-sign --version >$OUT/version
cat /sys/class/tpm/tpm0/pcr-sha256/10 >$OUT/pcr10 2>/dev/null || echo none >$OUT/pcr10
GUEST
run_guest --tpm --disk "$WORK/tree" "$WORK/guest.sh" "$WORK/out"
expect_guest_ok "$WORK/out"
expect_eq "hello" "$(cat "$WORK/out/hello")" "file read from the ext4 disk"
expect_eq "0" "$(cat "$WORK/out/evm")" "EVM state before anything enables it"
expect_contains "$(cat "$WORK/out/version")" "ima-sign"
pcr=$(cat "$WORK/out/pcr10")
[ "${#pcr}" -ge 64 ] && [ "$pcr" != none ] || fail "no sha256 PCR 10 in the guest: $pcr"
pass
done_testing
