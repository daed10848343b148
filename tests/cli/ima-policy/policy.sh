#!/usr/bin/env bash
# ima-policy: profiles that lint clean for the target kernels, the kernel's
# examples accepted and round-tripped, errors with line and column, explain,
# load into a securityfs folder, and ima-sign --policy signing what a policy
# appraises.
. "$TESTS_DIR/lib/assert.sh"
F=$TESTS_DIR/fixtures/policy
K=$TESTS_DIR/fixtures/keys

expect_ok ima-policy profiles
listed=$OUT
for p in appraise-exec appraise-tcb measure-tcb secure-boot; do
    expect_contains "$listed" "$p"
    for k in 5.10 6.1 6.6 6.12; do
        expect_ok ima-policy generate --profile "$p" --kernel "$k" --measure -o "$WORK/$p-$k.policy"
        expect_ok ima-policy lint --kernel "$k" "$WORK/$p-$k.policy"
    done
done
# Options a target lacks are replaced, and the output says so.
expect_ok ima-policy generate --profile appraise-exec --sigv3 --kernel 5.10
expect_contains "$OUT" "# note: fs-verity signatures (sigv3) need kernel 5.19: replaced by appraise_type=imasig"
expect_not_contains "$OUT" "sigv3 "
expect_ok ima-policy generate --profile appraise-exec --sigv3 --kernel 6.1
expect_contains "$OUT" "appraise func=BPRM_CHECK mask=MAY_EXEC digest_type=verity appraise_type=sigv3"
expect_status 2 ima-policy generate --profile nonsense
expect_status 2 ima-policy generate --profile appraise-exec --kernel six

# The kernel's own examples: accepted, and printed back as they came.
expect_ok ima-policy lint "$F/kernel-examples.policy"
# ...but not all by an older kernel.
expect_status 1 ima-policy lint --kernel 5.10 "$F/kernel-examples.policy"
expect_contains "$OUT$ERR" "'func=CRITICAL_DATA' needs kernel 5.12 or later (target 5.10)"
expect_contains "$OUT$ERR" "'digest_type' needs kernel 5.19 or later (target 5.10)"
expect_contains "$OUT$ERR" "'gid' needs kernel 5.16 or later (target 5.10)"

# Errors name line and column, as the kernel would refuse each.
expect_status 1 ima-policy lint "$F/bad.policy"
e="$OUT$ERR"
expect_contains "$e" "bad.policy:2:9: error: func=BPRM_CHECKS: not a hook the kernel knows"
expect_contains "$e" "bad.policy:3:1: error: unknown keyword 'mesure' (did you mean 'measure'?)"
expect_contains "$e" "bad.policy:4:26: error: func= appears twice: the kernel takes one per rule"
expect_contains "$e" "bad.policy:5:25: error: appraise_type= is only valid with appraise"
expect_contains "$e" "bad.policy:6:26: error: appraise_type=imasig|modsig can only be satisfied for MODULE_CHECK"
expect_contains "$e" "bad.policy:7:26: error: unknown keyword 'colour=blue'"
expect_contains "$e" "bad.policy:8:9: error: fsmagic=0xZZ: expected a hexadecimal number"
expect_contains "$e" "bad.policy:9:25: error: fowner<abc: expected a decimal id"
expect_not_contains "$e" "bad.policy:10:1: error"
expect_ok ima-policy lint --json "$F/kernel-examples.policy"
expect_eq 0 "$(echo "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["errors"])')"
expect_status 1 ima-policy lint --json "$F/bad.policy"
expect_eq 8 "$(echo "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["errors"])')"

# Warnings: shadowed rules, pseudo filesystems, hashes where signatures were meant.
printf 'appraise func=BPRM_CHECK\nappraise func=BPRM_CHECK mask=MAY_EXEC appraise_type=imasig\n' >"$WORK/w.policy"
expect_ok ima-policy lint "$WORK/w.policy"
expect_contains "$OUT$ERR" "w.policy:2:1: warning: never decides: line 1"
expect_contains "$OUT$ERR" "appraises files on every filesystem"
expect_contains "$OUT$ERR" "mmapped code does not"

# explain: the rules that decide.
ima-policy generate --profile appraise-exec --measure --template ima-sig -o "$WORK/exec.policy"
expect_ok ima-policy explain "$WORK/exec.policy" --func BPRM_CHECK --mask MAY_EXEC --fsmagic 0xef53
expect_contains "$OUT" "measure:  yes (line"
expect_contains "$OUT" "appraise: yes (line"
expect_contains "$OUT" "appraise func=BPRM_CHECK mask=MAY_EXEC appraise_type=imasig)"
expect_ok ima-policy explain "$WORK/exec.policy" --func BPRM_CHECK --mask MAY_EXEC --fsmagic 0x1021994
expect_contains "$OUT" "appraise: no (line"
expect_contains "$OUT" "dont_appraise fsmagic=0x1021994"
expect_ok ima-policy explain "$WORK/exec.policy" --func FILE_CHECK --mask MAY_READ --path /etc/hostname --json
expect_eq "False" "$(echo "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["appraised"])')"

# load: into a securityfs folder; refused when the policy has errors.
mkdir -p "$WORK/sfs/ima"
: >"$WORK/sfs/ima/policy"
printf 'measure func=BPRM_CHECK\n' >"$WORK/m.policy"
expect_ok ima-policy load --securityfs "$WORK/sfs" "$WORK/m.policy"
expect_eq "measure func=BPRM_CHECK" "$(cat "$WORK/sfs/ima/policy")"
: >"$WORK/sfs/ima/policy"
expect_status 1 ima-policy load --securityfs "$WORK/sfs" "$F/bad.policy"
expect_contains "$ERR" "bad.policy: not loaded: 8 error(s) above"
expect_eq "" "$(cat "$WORK/sfs/ima/policy")" "securityfs after a refused load"
# A policy that appraises POLICY_CHECK is loaded by its path.
expect_ok ima-policy load --securityfs "$WORK/sfs" "$WORK/exec.policy"
expect_eq "$WORK/exec.policy" "$(cat "$WORK/sfs/ima/policy")"
expect_status 3 ima-policy load --securityfs "$WORK/none" "$WORK/m.policy"

# ima-sign --policy: executables, ELF objects, modules, firmware; not data.
r=$WORK/root
mkdir -p "$r/usr/bin" "$r/usr/lib" "$r/etc" "$r/lib/modules/6.1/kernel" "$r/lib/firmware"
cp /bin/true "$r/usr/bin/true"
cp /lib/x86_64-linux-gnu/libc.so.6 "$r/usr/lib/libc.so.6" && chmod 0644 "$r/usr/lib/libc.so.6"
echo conf >"$r/etc/conf"
echo mod >"$r/lib/modules/6.1/kernel/m.ko"
echo fw >"$r/lib/firmware/fw.bin"
expect_ok ima-sign sign --xattr-user --policy "$WORK/exec.policy" -k "$K/rsa.key" "$r"
for f in usr/bin/true usr/lib/libc.so.6 lib/modules/6.1/kernel/m.ko lib/firmware/fw.bin; do
    has_xattr "$r/$f" user.ima || fail "$f not signed under appraise-exec"
    pass
done
has_xattr "$r/etc/conf" user.ima && fail "etc/conf signed although nothing appraises it" || pass
expect_status 1 ima-sign sign --xattr-user --policy "$F/bad.policy" -k "$K/rsa.key" "$r"
expect_contains "$ERR" "bad.policy:2:9: func=BPRM_CHECKS: not a hook the kernel knows"
done_testing
