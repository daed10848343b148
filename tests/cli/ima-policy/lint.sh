#!/usr/bin/env bash
# ima-policy lint: the kernel document's examples as the kernel judges them,
# errors with line and column, --kernel, --json, --strict, standard input.
. "$TESTS_DIR/lib/assert.sh"
need python3
F=$TESTS_DIR/fixtures/policy
D=$F/kernel-doc

for f in "$D"/*.policy; do
    if grep -q '^# expect: error' "$f"; then
        expect_status 1 ima-policy lint "$f"
    else
        expect_ok ima-policy lint "$f"
    fi
done
expect_status 1 ima-policy lint --kernel 5.10 "$D/07-setxattr.policy"
expect_contains "$OUT" "07-setxattr.policy:6:10: error: 'func=SETXATTR_CHECK' needs kernel 5.15 or later (target 5.10) [too-new]"
expect_contains "$OUT" "07-setxattr.policy:6:30: error: 'appraise_algos' needs kernel 5.15 or later (target 5.10) [too-new]"
expect_ok ima-policy lint --kernel 6.1 "$D/07-setxattr.policy"
expect_status 1 ima-policy lint "$D/09-verity-sigv3-template.policy"
expect_contains "$OUT" ":7:44: error: template=ima-sigv3: the kernel defines no such template"

expect_status 1 ima-policy lint "$F/bad.policy"
o=$OUT
expect_contains "$o" "bad.policy:2:9: error: func=BPRM_CHECKS: not a hook the kernel knows"
expect_contains "$o" "bad.policy:3:1: error: unknown keyword 'mesure' (did you mean 'measure'?) [unknown-keyword]"
expect_contains "$o" "bad.policy:4:26: error: func= appears twice: the kernel takes one per rule [repeated]"
expect_contains "$o" "bad.policy:5:25: error: appraise_type= is only valid with appraise [bad-combination]"
expect_contains "$o" "bad.policy:6:26: error: appraise_type=imasig|modsig can only be satisfied for MODULE_CHECK"
expect_contains "$o" "bad.policy:7:26: error: unknown keyword 'colour=blue' [unknown-keyword]"
expect_contains "$o" "bad.policy:8:9: error: fsmagic=0xZZ: expected a hexadecimal number"
expect_contains "$o" "bad.policy:9:25: error: fowner<abc: expected a decimal id"
expect_contains "$o" "bad.policy:10:15: error: euid: the kernel keeps uid and euid in one field"
expect_contains "$o" "bad.policy:11:1: error: template= before the action"
expect_not_contains "$o" "bad.policy:12:1: error"
expect_contains "$ERR" "10 error(s)"

expect_status 1 ima-policy lint --json "$F/bad.policy"
expect_eq 10 "$(echo "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["errors"])')"
expect_eq "" "$ERR" "stderr with --json"
expect_ok ima-policy lint --json --kernel 6.1 "$D/04-pcr.policy"
expect_eq "6.1 0" "$(echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["kernel"], d["errors"])')"

# Warnings alone pass, unless --strict.
printf 'appraise func=BPRM_CHECK\nappraise func=BPRM_CHECK mask=MAY_EXEC appraise_type=imasig\n' >"$WORK/w.policy"
expect_ok ima-policy lint "$WORK/w.policy"
expect_contains "$OUT" "w.policy:2:1: warning: never decides: line 1 (appraise func=BPRM_CHECK) matches everything"
expect_contains "$OUT" "[pseudo-fs]"
expect_status 1 ima-policy lint --strict "$WORK/w.policy"
# ...and can be silenced by name.
printf '# ima-policy: ignore=shadowed,pseudo-fs\n' | cat - "$WORK/w.policy" >"$WORK/w2.policy"
expect_ok ima-policy lint "$WORK/w2.policy"
expect_not_contains "$OUT" "[shadowed]"
expect_not_contains "$OUT" "[pseudo-fs]"

# A trailing comment: fine from 6.14, refused before.
printf 'measure func=BPRM_CHECK # programs\n' >"$WORK/c.policy"
expect_status 1 ima-policy lint --kernel 6.1 "$WORK/c.policy"
expect_contains "$OUT" "c.policy:1:25: error: comment after the rule"
expect_ok ima-policy lint --kernel 6.14 "$WORK/c.policy"

# Standard input; empty and missing files.
expect_ok ima-policy lint - <"$D/02-selinux.policy"
: >"$WORK/empty.policy"
expect_status 1 ima-policy lint "$WORK/empty.policy"
expect_contains "$OUT" "empty.policy:1:1: error: no rules"
expect_status 3 ima-policy lint "$WORK/missing.policy"
expect_one_line "$ERR"
expect_status 2 ima-policy lint --kernel x "$F/bad.policy"

# --kernel-config: what the target was built without, from its /boot/config-*
# or a config.gz (/proc/config.gz).
cat >"$WORK/config" <<'CFG'
# Linux/x86 6.1 Kernel Configuration
CONFIG_IMA=y
CONFIG_IMA_APPRAISE=y
# CONFIG_IMA_APPRAISE_MODSIG is not set
CONFIG_IMA_MEASURE_ASYMMETRIC_KEYS=y
CONFIG_CRYPTO_SHA256=y
CONFIG_CRYPTO_SHA512=m
CONFIG_EVM=y
CFG
gzip -c "$WORK/config" >"$WORK/config.gz"
printf 'appraise func=MODULE_CHECK appraise_type=imasig|modsig\nappraise func=BPRM_CHECK appraise_type=imasig appraise_algos=sha512\n' >"$WORK/cfg.policy"
for c in config config.gz; do
    expect_status 1 ima-policy lint --kernel 6.1 --kernel-config "$WORK/$c" "$WORK/cfg.policy"
    expect_contains "$OUT" "cfg.policy:1:28: error: appraise_type=imasig|modsig: this kernel ($WORK/$c) is built without CONFIG_IMA_APPRAISE_MODSIG and refuses the rule [config]"
    expect_contains "$OUT" "cfg.policy:2:47: warning: appraise_algos: sha512 is a module in this kernel (CONFIG_CRYPTO_SHA512=m in $WORK/$c)"
done
head -c 100 "$WORK/config.gz" >"$WORK/cut.gz"
expect_status 1 ima-policy lint --kernel-config "$WORK/cut.gz" "$WORK/cfg.policy"
expect_one_line "$ERR"
expect_contains "$ERR" "cut.gz: the gzip stream is cut short"
printf 'no config\n' >"$WORK/junk"
expect_status 1 ima-policy lint --kernel-config "$WORK/junk" "$WORK/cfg.policy"
expect_eq "ima-policy: error: $WORK/junk: line 1: expected CONFIG_NAME=value" "$ERR"
expect_status 3 ima-policy lint --kernel-config /dev/zero "$WORK/cfg.policy"
done_testing
