#!/usr/bin/env bash
# The real Debian 6.1 kernel against ima-policy lint --kernel 6.1, rule by
# rule: every rule of the kernel document's examples, of bad.policy and a list
# of edge cases is written to the guest's policy file followed by a line that
# is no rule, so that the kernel parses the rule and then drops everything;
# what the kernel accepted must be what lint accepts. Then every generated
# profile (three variants each) passes `ima-policy load --check` on that
# kernel, and a policy for 6.6 is refused with the line named. One boot: the
# policy file stays, since nothing is ever loaded.
. "$TESTS_DIR/lib/assert.sh"
. "$TESTS_DIR/kernel/lib.sh"
need gcc python3

# The probe: for each rule file, open the policy file, write the rule (the
# kernel answers for that rule alone), write the line that is no rule, close.
cat >"$WORK/probe.c" <<'C'
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) {
    static const char sentinel[] = "ima-policy-probe-not-a-rule\n";
    for (int i = 2; i < argc; i++) {
        char rule[8192];
        int in = open(argv[i], O_RDONLY);
        ssize_t n = in < 0 ? -1 : read(in, rule, sizeof rule);
        if (in >= 0) close(in);
        if (n <= 0) { printf("%s unreadable\n", argv[i]); continue; }
        int fd = open(argv[1], O_WRONLY);
        if (fd < 0) { printf("%s no-policy-file %s\n", argv[i], strerror(errno)); return 1; }
        ssize_t w = write(fd, rule, (size_t)n);
        if (w == n) {
            errno = 0;
            ssize_t s = write(fd, sentinel, sizeof sentinel - 1);
            printf("%s accepted%s\n", argv[i], s < 0 ? "" : " (sentinel taken!)");
        } else {
            printf("%s refused %s\n", argv[i], w < 0 ? strerror(errno) : "short write");
        }
        close(fd);
    }
    return 0;
}
C
gcc -static -O2 -o "$WORK/probe" "$WORK/probe.c" || fail "cannot build the probe"

# The rules, one a file.
mkdir -p "$WORK/rules"
n=0
add_rule() {  # add_rule TEXT (without newline; may hold a carriage return)
    n=$((n + 1))
    printf '%s\n' "$1" >"$WORK/rules/$(printf '%03d' $n)"
}
for f in "$TESTS_DIR"/fixtures/policy/kernel-doc/*.policy "$TESTS_DIR/fixtures/policy/bad.policy"; do
    while IFS= read -r line; do
        case $line in '' | '#'*) continue ;; esac
        add_rule "$line"
    done <"$f"
done
while IFS= read -r line; do add_rule "$line"; done <<'RULES'
measure func=MMAP_CHECK_REQPROT
measure func=CRITICAL_DATA label=kernel_info
measure func=KEY_CHECK euid=0
measure func=KEY_CHECK keyrings=.ima|.evm uid=0
appraise func=MODULE_CHECK appraise_flag=check_blacklist appraise_type=imasig|modsig
appraise func=BPRM_CHECK appraise_type=sigv3
appraise func=BPRM_CHECK appraise_type=sigv3 digest_type=verity
appraise func=BPRM_CHECK digest_type=verity
appraise func=BPRM_CHECK digest_type=verity appraise_type=imasig
measure func=MODULE_CHECK digest_type=verity
measure template=evm-sig
measure template=d-ng|n-ng|sig
measure template=ima-sigv3
measure uid=0 euid=0
measure gid>5 fgroup<10
measure pcr=40
measure pcr=64
measure fsname=ext4 fsname=xfs
measure fsmagic=EF53
measure fsmagic=0x
measure fsmagic=0 fsmagic=1
measure fsuuid=8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6
measure fsuuid=8bcbe3944f134144be8e5aa9ea2ce2f6
measure uid=4294967295
measure uid=4294967294
measure mask=^MAY_READ
measure mask=^
measure mask=MAY_READ mask=MAY_READ
measure func=PATH_CHECK
measure func=FILE_MMAP
measure func=bprm_check
dont_appraise func=BPRM_CHECK appraise_type=imasig
audit func=BPRM_CHECK
hash func=FILE_CHECK
dont_hash fsmagic=0x9fa0
measure permit_directio=1
appraise func=SETXATTR_CHECK appraise_algos=sha256,sha512
appraise func=SETXATTR_CHECK appraise_algos=sha256,sha1
appraise func=SETXATTR_CHECK appraise_algos=sha256 appraise_algos=sha1
appraise func=SETXATTR_CHECK appraise_algos=sha256 fowner=0
appraise func=SETXATTR_CHECK appraise_algos=sha256,
measure func=KEXEC_CMDLINE mask=MAY_READ
measure func=KEXEC_CMDLINE fsuuid=8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6
appraise func=KEXEC_CMDLINE
measure func=FILE_CHECK label=x
measure keyrings=.ima
func=BPRM_CHECK
measure measure
measure func=BPRM_CHECK # a comment after the rule
appraise appraise_type=imasig|modsig
appraise func=BPRM_CHECK appraise_type=imasig appraise_type=imasig
appraise func=POLICY_CHECK appraise_type=imasig
measure func=FILE_CHECK uid<1000 fowner>0
measure func= 
measure FUNC=BPRM_CHECK
RULES
add_rule "$(printf 'measure func=BPRM_CHECK\r')"

# What lint says of each, for 6.1 as Debian built it (its configuration, the
# one the guest boots): an error means "refused", and so does a hash-module
# warning, since the guest has no module loader.
# subj_/obj_ rules depend on the running LSM: reported, not compared.
kernel=$("$SOURCE_DIR/scripts/qemu/fetch-kernel")
config=$(ls "$kernel"/boot/config-* 2>/dev/null | head -1)
[ -f "$config" ] || fail "the kernel's configuration is missing from $kernel/boot"
for r in "$WORK"/rules/*; do
    ima-policy lint --json --kernel 6.1 --kernel-config "$config" "$r" >"$r.lint" 2>/dev/null || true
done

cat >"$WORK/guest.sh" <<'GUEST'
/probe /sys/kernel/security/ima/policy /rules/??? >$OUT/probe.txt 2>&1
for p in /profiles/*.policy; do
    ima-policy load --check "$p" >$OUT/$(basename $p).check 2>&1
    echo $? >>$OUT/$(basename $p).check
done
ima-policy load --check --kernel 6.6 /too-new.policy >$OUT/too-new.check 2>&1
echo $? >>$OUT/too-new.check
[ -e /sys/kernel/security/ima/policy ] && echo present >$OUT/policy-file || echo gone >$OUT/policy-file
exit 0
GUEST

mkdir -p "$WORK/profiles"
for p in appraise-exec appraise-tcb measure-tcb secure-boot; do
    ima-policy generate --profile "$p" --kernel 6.1 -o "$WORK/profiles/$p.policy"
    ima-policy generate --profile "$p" --kernel 6.1 --measure --template ima-sig -o "$WORK/profiles/$p-measure.policy"
done
ima-policy generate --profile appraise-exec --kernel 6.1 --sigv3 --fsuuid 8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6 \
    -o "$WORK/profiles/appraise-exec-sigv3.policy"
ima-policy generate --profile measure-tcb --kernel 6.12 --template evm-sig -o "$WORK/profiles/measure-tcb-evm-sig.policy"
printf 'measure func=BPRM_CHECK\nmeasure func=MMAP_CHECK_REQPROT mask=MAY_EXEC\n' >"$WORK/too-new.policy"

files=(--file "$WORK/probe=/probe" --file "$WORK/rules=/rules" --file "$WORK/profiles=/profiles"
    --file "$WORK/too-new.policy=/too-new.policy")
run_guest "${files[@]}" "$WORK/guest.sh" "$WORK/out"
o=$WORK/out
expect_guest_ok "$o"
[ -s "$o/probe.txt" ] || { guest_console "$o"; fail "the probe printed nothing"; }
grep -q 'sentinel taken' "$o/probe.txt" && fail "the kernel took the line that is no rule"
pass

# appraise_algos takes only hash algorithms the kernel has at that moment
# (crypto_has_alg); Debian builds sha384/sha512 and others as modules and the
# guest has no module loader, so a rule naming one of them is refused, and the
# kernel says why on the console: lint must have said so from the
# configuration, and the console must name the algorithm.
as_module() {  # as_module ALGO: the kernel builds ALGO's driver as a module
    local opt
    case $1 in
    sha384 | sha512) opt=CONFIG_CRYPTO_SHA512 ;; sha224 | sha256) opt=CONFIG_CRYPTO_SHA256 ;;
    sha1) opt=CONFIG_CRYPTO_SHA1 ;; md5) opt=CONFIG_CRYPTO_MD5 ;; rmd160) opt=CONFIG_CRYPTO_RMD160 ;;
    wp512) opt=CONFIG_CRYPTO_WP512 ;; streebog*) opt=CONFIG_CRYPTO_STREEBOG ;; *) return 1 ;;
    esac
    grep -qx "$opt=m" "$config"
}
module_algo() {  # module_algo RULE: prints an appraise_algos entry built as a module
    local tok a
    for tok in $1; do
        case $tok in appraise_algos=*) ;; *) continue ;; esac
        for a in $(echo "${tok#appraise_algos=}" | tr ',' ' '); do
            as_module "$a" && { echo "$a"; return 0; }
        done
    done
    return 1
}

# Compare, rule by rule.
agree=0 lsm=0 config_dep=0 mismatches=
while read -r path verdict _; do
    r=$WORK/rules/$(basename "$path")
    rule=$(tr -d '\n' <"$r")
    want=$(python3 - "$r.lint" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
codes = [x["code"] for x in d["diagnostics"]]
print("refused" if d["errors"] or "hash-module" in codes else "accepted")
PY
)
    case $rule in *subj_* | *obj_*) lsm=$((lsm + 1)); echo "LSM rule (not compared): $rule -> kernel $verdict"; continue ;; esac
    if algo=$(module_algo "$rule") && ! python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["errors"] else 1)' "$r.lint"; then
        expect_eq refused "$want" "lint --kernel-config on '$rule', which names $algo, a module"
        expect_eq refused "$verdict" "'$rule' names $algo, a module the guest cannot load"
        grep -a -q "unavailable hash algorithm \"$algo\"" "$o/console.log" "$o/dmesg.txt" ||
            fail "the kernel refused '$rule' without naming $algo as unavailable"
        config_dep=$((config_dep + 1))
        echo "needs the $algo module (lint said so from the configuration; the kernel refused): $rule"
    fi
    if [ "$want" = "$verdict" ]; then
        agree=$((agree + 1))
    else
        mismatches+="  '$rule': kernel $verdict, lint $want ($(python3 -c 'import json,sys; print([x["code"] for x in json.load(open(sys.argv[1]))["diagnostics"]])' "$r.lint"))"$'\n'
    fi
done <"$o/probe.txt"
[ -z "$mismatches" ] || { printf 'lint --kernel 6.1 --kernel-config and the 6.1 kernel disagree on:\n%s' "$mismatches" >&2; fail "lint disagrees with the kernel"; }
pass
[ "$agree" -ge 60 ] || fail "only $agree rules compared"
pass
echo "lint and the 6.1 kernel agree on $agree rules, $config_dep of them needing a module ($lsm LSM rules not compared)"
[ "$config_dep" -ge 2 ] || fail "the rules naming a module-built algorithm were not seen"
expect_contains "$(grep -c . "$o/probe.txt")" "$n"

# Every profile: accepted in full, nothing loaded.
for c in "$o"/*.policy.check; do
    expect_eq 0 "$(tail -1 "$c")" "$(basename "$c"): $(head -3 "$c")"
    expect_contains "$(cat "$c")" "the kernel accepted all"
done
expect_eq 1 "$(tail -1 "$o/too-new.check")" "the 6.6 policy on 6.1"
expect_contains "$(cat "$o/too-new.check")" "the kernel refused line 2 of /too-new.policy: 'measure func=MMAP_CHECK_REQPROT mask=MAY_EXEC'"
expect_eq present "$(cat "$o/policy-file")" "the policy file after probes and checks (nothing was loaded)"
grep -a -q 'ima: policy update completed' "$o/console.log" "$o/dmesg.txt" && fail "a policy was loaded"
pass
done_testing
