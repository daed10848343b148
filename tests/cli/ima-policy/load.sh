#!/usr/bin/env bash
# ima-policy load into a folder standing in for securityfs: lints first and
# writes nothing when the policy has errors; text or, when the policy wants
# signed policies, the file's path; environment errors exit 3. (The kernel
# itself: tests/kernel/policy_profiles.sh.)
. "$TESTS_DIR/lib/assert.sh"
need python3
F=$TESTS_DIR/fixtures/policy
sfs=$WORK/sfs
mkdir -p "$sfs/ima"
reset_target() { : >"$sfs/ima/policy"; }

reset_target
printf 'measure func=BPRM_CHECK\nmeasure func=MODULE_CHECK' >"$WORK/m.policy"
expect_ok ima-policy load --securityfs "$sfs" "$WORK/m.policy"
expect_eq "$(printf 'measure func=BPRM_CHECK\nmeasure func=MODULE_CHECK')" "$(cat "$sfs/ima/policy")"
expect_contains "$ERR" "ima-policy: loaded 2 rules from $WORK/m.policy into $sfs/ima/policy (as text)"
expect_ok ima-policy load -q --securityfs "$sfs" "$WORK/m.policy"
expect_eq "" "$ERR"

# Errors: nothing written, every error shown, exit 1.
reset_target
expect_status 1 ima-policy load --securityfs "$sfs" "$F/bad.policy"
expect_contains "$ERR" "bad.policy:2:9: error: func=BPRM_CHECKS"
expect_contains "$ERR" "ima-policy: error: $F/bad.policy: not loaded: 10 error(s) above"
expect_eq "" "$(cat "$sfs/ima/policy")" "securityfs after a refused load"
# --kernel judges by that release.
printf 'measure func=MMAP_CHECK_REQPROT\n' >"$WORK/reqprot.policy"
expect_status 1 ima-policy load --kernel 6.1 --securityfs "$sfs" "$WORK/reqprot.policy"
expect_contains "$ERR" "for kernel 6.1"
expect_ok ima-policy load --kernel 6.6 --securityfs "$sfs" "$WORK/reqprot.policy"

# A policy that appraises POLICY_CHECK is loaded by its path, as the kernel wants.
reset_target
ima-policy generate --profile secure-boot -o "$WORK/sb.policy"
expect_ok ima-policy load --securityfs "$sfs" "$WORK/sb.policy" --json
expect_eq "$(readlink -f "$WORK/sb.policy")" "$(cat "$sfs/ima/policy")"
expect_eq "path True" "$(echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["method"], d["loaded"])')"
reset_target
expect_ok ima-policy load --by-path --securityfs "$sfs" "$WORK/m.policy"
expect_eq "$(readlink -f "$WORK/m.policy")" "$(cat "$sfs/ima/policy")"

# --check needs the kernel: a plain file takes anything, so nothing can be said.
reset_target
expect_status 3 ima-policy load --check --securityfs "$sfs" "$WORK/m.policy"
expect_contains "$ERR" "not the kernel's policy file"

# Environment: no securityfs, a policy that is not a file.
expect_status 3 ima-policy load --securityfs "$WORK/none" "$WORK/m.policy"
expect_contains "$ERR" "$WORK/none/ima/policy: not there"
expect_one_line "$ERR"
expect_status 3 ima-policy load --securityfs "$sfs" "$WORK/missing.policy"
expect_status 3 ima-policy load --securityfs "$sfs" "$WORK"  # not a regular file: exit 3, as for every tool
expect_contains "$ERR" "not a regular file"

# Into the running kernel (the real securityfs path), load lints by that
# kernel's own configuration, /proc/config.gz or else /boot/config-RELEASE,
# when no --kernel-config is given. In a private mount namespace a folder
# stands in for /sys/kernel/security and a planted configuration for the
# kernel's (over /proc/config.gz when this kernel has one, else in /boot).
need unshare mount gzip
cat >"$WORK/config" <<'CFG'
CONFIG_IMA=y
CONFIG_IMA_APPRAISE=y
# CONFIG_IMA_APPRAISE_MODSIG is not set
CFG
sed 's/^# CONFIG_IMA_APPRAISE_MODSIG is not set/CONFIG_IMA_APPRAISE_MODSIG=y/' "$WORK/config" >"$WORK/config-modsig"
printf 'appraise func=MODULE_CHECK appraise_type=imasig|modsig\n' >"$WORK/modsig.policy"
# load_running CONFIG ARGS...: ima-policy load ARGS with CONFIG as the running kernel's.
load_running() {
    local config=$1
    shift
    unshare --mount --propagation private bash -c '
        set -e
        sfs=$1 config=$2 where=$3
        shift 3
        mount --bind "$sfs" /sys/kernel/security
        if [ -e /proc/config.gz ]; then
            gzip -c "$config" >"$config.gz"
            mount --bind "$config.gz" /proc/config.gz
            echo /proc/config.gz >"$where"
        else
            mkdir -p /boot
            mount -t tmpfs imaevm-test /boot
            cp "$config" "/boot/config-$(uname -r)"
            echo "/boot/config-$(uname -r)" >"$where"
        fi
        exec ima-policy load "$@"' _ "$sfs" "$config" "$WORK/where" "$@"
}
reset_target
expect_status 1 load_running "$WORK/config" "$WORK/modsig.policy"
where=$(cat "$WORK/where")
expect_contains "$ERR" "this kernel ($where) is built without CONFIG_IMA_APPRAISE_MODSIG"
expect_eq "" "$(cat "$sfs/ima/policy")" "securityfs after a load refused by the running kernel's configuration"
expect_ok load_running "$WORK/config-modsig" "$WORK/modsig.policy"
expect_eq "appraise func=MODULE_CHECK appraise_type=imasig|modsig" "$(cat "$sfs/ima/policy")"
# --kernel-config wins over the running kernel's.
reset_target
expect_ok load_running "$WORK/config" --kernel-config "$WORK/config-modsig" "$WORK/modsig.policy"
done_testing
