#!/usr/bin/env bash
# `ima-policy explain` agrees with what the real 6.1 kernel enforces and
# measures. One boot with the appraise-tcb profile (appraise what root owns,
# measure the kernel's tcb set): in the guest, each program is run and each
# file read as root, and `ima-policy explain --path` is asked about the same
# event on the same file. Where explain says "appraise: yes", an unsigned file
# is refused with an audit line and a signed one is allowed; where it says
# "no", an unsigned file is allowed. Where it says "measure: yes", the file is
# in the measurement list; where "no", it is not.
. "$TESTS_DIR/lib/assert.sh"
. "$TESTS_DIR/kernel/lib.sh"
need gcc openssl

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/k.key" -out "$WORK/k.pem" -days 1 \
    -subj "/CN=imaevm explain test" -addext subjectKeyIdentifier=hash 2>/dev/null
openssl x509 -in "$WORK/k.pem" -outform DER -out "$WORK/k.der"
gcc -static -O2 -o "$WORK/hello" "$TESTS_DIR/kernel/programs/hello.c" || fail "cannot build the static test program"

# name:kind:owner:signed. kind: exec (run it) or read (cat it).
cases="bin/signed:exec:0:yes bin/unsigned:exec:0:no bin/user-unsigned:exec:1000:no
etc/signed.conf:read:0:yes etc/unsigned.conf:read:0:no etc/user.conf:read:1000:no"
mkdir -p "$WORK/tree/bin" "$WORK/tree/etc"
for c in $cases; do
    IFS=: read -r name kind owner signed <<<"$c"
    case $kind in
    exec) cp "$WORK/hello" "$WORK/tree/$name" ;;
    read) echo "contents of $name" >"$WORK/tree/$name" ;;
    esac
    chown "$owner:$owner" "$WORK/tree/$name"
    if [ "$signed" = yes ]; then
        expect_ok ima-sign sign -q -k "$WORK/k.key" -c "$WORK/k.pem" "$WORK/tree/$name"
    fi
done
expect_ok ima-policy generate --profile appraise-tcb --kernel 6.1 --measure --template ima-sig -o "$WORK/policy"

cat >"$WORK/guest.sh" <<GUEST
set -u
ima-keyring load-dir /keys --keyring _ima --create >\$OUT/keyring.txt 2>&1 || echo "guest: load-dir failed"
ima-policy load /policy >\$OUT/load.txt 2>&1; echo \$? >\$OUT/load.status
: >\$OUT/results
for c in $(echo $cases) tmpfs-prog:exec:0:no; do
    name=\${c%%:*}; rest=\${c#*:}; kind=\${rest%%:*}
    case \$name in tmpfs-prog) path=/tmpfs-prog ;; *) path=/mnt/\$name ;; esac
    case \$kind in
    exec) \$path >/dev/null 2>&1; st=\$?; ev="--func BPRM_CHECK" ;;
    read) cat \$path >/dev/null 2>&1; st=\$?; ev="--func FILE_CHECK --mask MAY_READ" ;;
    esac
    x=\$(ima-policy explain /policy \$ev --uid 0 --path \$path 2>\$OUT/explain-err.txt) || echo "guest: explain failed for \$path: \$(cat \$OUT/explain-err.txt)"
    m=\$(echo "\$x" | sed -n 's/^measure: *\([a-z]*\).*/\1/p')
    a=\$(echo "\$x" | sed -n 's/^appraise: *\([a-z]*\).*/\1/p')
    echo "\$path \$st \${m:-?} \${a:-?}" >>\$OUT/results
done
cat /sys/kernel/security/ima/ascii_runtime_measurements >\$OUT/ascii
exit 0
GUEST

run_guest --disk "$WORK/tree" --file "$WORK/policy=/policy" --file "$WORK/k.der=/keys/k.der" \
    --file "$WORK/hello=/tmpfs-prog" "$WORK/guest.sh" "$WORK/out"
o=$WORK/out
expect_guest_ok "$o"
expect_eq 0 "$(cat "$o/load.status")" "ima-policy load ($(cat "$o/load.txt"))"
expect_eq 7 "$(wc -l <"$o/results")" "one result a case ($(cat "$o/results"))"
audit=$(audit_lines "$o")

signed_of() { # signed_of GUESTPATH: yes when the test signed it
    local c
    for c in $cases; do
        [ "/mnt/${c%%:*}" = "$1" ] && { echo "${c##*:}"; return; }
    done
    echo no
}

appraised=0 allowed_unsigned=0 measured=0 unmeasured=0
while read -r path st measure appraise; do
    signed=$(signed_of "$path")
    case $appraise in
    yes)
        appraised=$((appraised + 1))
        if [ "$signed" = yes ]; then
            expect_eq 0 "$st" "$path: explain says appraised; it is signed, so the kernel must allow it"
        else
            [ "$st" != 0 ] || { guest_console "$o"; fail "$path: explain says appraised, but the unsigned file was allowed"; }
            pass
            expect_contains "$(echo "$audit" | grep -F "name=\"$path\"")" "cause=missing-hash"
        fi
        ;;
    no)
        allowed_unsigned=$((allowed_unsigned + 1))
        expect_eq 0 "$st" "$path: explain says not appraised, so the kernel must allow it"
        ;;
    *) fail "$path: explain gave no appraisal verdict ('$appraise')" ;;
    esac
    case $measure in
    yes)
        measured=$((measured + 1))
        grep -q " $path\( \|$\)" "$o/ascii" || fail "$path: explain says measured, but it is not in the measurement list"
        pass
        ;;
    no)
        unmeasured=$((unmeasured + 1))
        grep -q " $path\( \|$\)" "$o/ascii" && fail "$path: explain says not measured, but the list has it"
        pass
        ;;
    *) fail "$path: explain gave no measurement verdict ('$measure')" ;;
    esac
done <"$o/results"
# The cases must exercise both answers of both questions.
[ "$appraised" -gt 0 ] && [ "$allowed_unsigned" -gt 0 ] && [ "$measured" -gt 0 ] && [ "$unmeasured" -gt 0 ] ||
    fail "the cases did not cover every verdict: appraised $appraised, not $allowed_unsigned, measured $measured, not $unmeasured"
pass
echo "path, exit status in the guest, explain's measure and appraise verdicts:"
sed 's/^/  /' "$o/results"
done_testing
