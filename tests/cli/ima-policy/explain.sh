#!/usr/bin/env bash
# ima-policy explain: the rules that decide measurement and appraisal of an
# event given by hand or by a real path.
. "$TESTS_DIR/lib/assert.sh"
need python3 stat

ima-policy generate --profile appraise-exec --measure --template ima-sig -o "$WORK/exec.policy"
line_of() { grep -n -x -F "$1" "$WORK/exec.policy" | cut -d: -f1; }
bprm=$(line_of "appraise func=BPRM_CHECK mask=MAY_EXEC appraise_type=imasig")
mbprm=$(line_of "measure func=BPRM_CHECK mask=MAY_EXEC template=ima-sig")
tmpfs=$(line_of "dont_appraise fsmagic=0x1021994")

expect_ok ima-policy explain "$WORK/exec.policy" --func BPRM_CHECK --fsmagic 0xef53
expect_contains "$OUT" "event:    func=BPRM_CHECK mask=MAY_EXEC fsmagic=0xef53 (ext2/3/4)"
expect_contains "$OUT" "measure:  yes (line $mbprm: measure func=BPRM_CHECK mask=MAY_EXEC template=ima-sig), PCR 10, template ima-sig"
expect_contains "$OUT" "appraise: yes (line $bprm: appraise func=BPRM_CHECK mask=MAY_EXEC appraise_type=imasig), signature required (appraise_type=imasig)"

expect_ok ima-policy explain "$WORK/exec.policy" --func BPRM_CHECK --fsmagic 0x1021994
expect_contains "$OUT" "appraise: no (line $tmpfs: dont_appraise fsmagic=0x1021994)"
# tmpfs programs are still measured: the tcb dont_measure rule for tmpfs covers FILE_CHECK only.
expect_contains "$OUT" "measure:  yes"

# Modules need a signature wherever they are.
expect_ok ima-policy explain "$WORK/exec.policy" --func MODULE_CHECK --fsmagic 0x1021994
expect_contains "$OUT" "appraise: yes (line"
expect_contains "$OUT" "appraise func=MODULE_CHECK appraise_type=imasig"

# Nothing said about the filesystem: the rules that needed it are named.
expect_ok ima-policy explain "$WORK/exec.policy" --func FILE_CHECK
expect_contains "$OUT" "appraise: no (no rule matches)"
expect_contains "$OUT" "note:     line"
expect_contains "$OUT" "taken as not matching: the event has no fsmagic"

# A real path: statfs gives the magic, stat the owner.
echo data >"$WORK/file"
magic=$(stat -f -c %t "$WORK/file")
expect_ok ima-policy explain "$WORK/exec.policy" --func FILE_CHECK --path "$WORK/file" --json
expect_eq "$(printf '0x%x' "0x$magic")" "$(echo "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["event"].split("fsmagic=")[1].split()[0])')"
expect_eq "False False" "$(echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["measured"], d["appraised"])')"
expect_contains "$OUT" " fowner=$(id -u) "

# The tcb measure policy: root's reads are measured, a user's are not.
ima-policy generate --profile measure-tcb -o "$WORK/tcb.policy"
expect_ok ima-policy explain "$WORK/tcb.policy" --func FILE_CHECK --mask MAY_READ --uid 0 --fsmagic 0xef53
expect_contains "$OUT" "measure:  yes (line"
expect_ok ima-policy explain "$WORK/tcb.policy" --func FILE_CHECK --mask MAY_READ --uid 1000 --fsmagic 0xef53
expect_contains "$OUT" "measure:  no (no rule matches)"
expect_ok ima-policy explain "$WORK/tcb.policy" --func FILE_CHECK --mask 'MAY_READ|MAY_WRITE' --uid 1000 --euid 0 --fsmagic 0xef53
expect_contains "$OUT" "measure:  yes (line"

# A policy with errors is still explained, with a warning.
printf 'measure func=BPRM_CHECK colour=red\n' >"$WORK/bad.policy"
expect_ok ima-policy explain "$WORK/bad.policy" --func BPRM_CHECK
expect_contains "$ERR" "ima-policy: warning: $WORK/bad.policy: 1 error(s): the kernel would refuse this policy"

expect_status 2 ima-policy explain "$WORK/exec.policy" --func NOPE
expect_one_line "$ERR"
expect_status 2 ima-policy explain "$WORK/exec.policy" --func BPRM_CHECK --mask MAY_FLY
expect_status 2 ima-policy explain "$WORK/exec.policy" --func BPRM_CHECK --fsmagic xyz
expect_status 3 ima-policy explain "$WORK/exec.policy" --func BPRM_CHECK --path "$WORK/missing"
done_testing
