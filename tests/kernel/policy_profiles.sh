#!/usr/bin/env bash
# The real Debian 6.1 kernel accepts every generated profile (one boot each:
# without CONFIG_IMA_WRITE_POLICY the policy file goes away after one load),
# and `ima-policy explain` agrees with what it then enforced: for a signed and
# an unsigned program on ext4 and an unsigned one on the initramfs (tmpfs).
. "$TESTS_DIR/lib/assert.sh"
. "$TESTS_DIR/kernel/lib.sh"
need gcc openssl
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/k.key" -out "$WORK/k.pem" -days 1 \
    -subj "/CN=imaevm policy test" -addext subjectKeyIdentifier=hash 2>/dev/null
openssl x509 -in "$WORK/k.pem" -outform DER -out "$WORK/k.der"
gcc -static -O2 -o "$WORK/hello" "$TESTS_DIR/kernel/programs/hello.c" || fail "cannot build the static test program"
mkdir -p "$WORK/tree/bin"
cp "$WORK/hello" "$WORK/tree/bin/signed"
expect_ok ima-sign sign -q -k "$WORK/k.key" -c "$WORK/k.pem" "$WORK/tree"
cp "$WORK/hello" "$WORK/tree/bin/unsigned"

cat >"$WORK/guest.sh" <<'GUEST'
ima-keyring load-dir /keys --keyring _ima --create >/dev/null 2>&1
ima-policy load /policy >$OUT/load.txt 2>&1
echo $? >$OUT/load.status
[ -e /sys/kernel/security/ima/policy ] && echo present >$OUT/policy-file || echo gone >$OUT/policy-file
for p in /mnt/bin/signed /mnt/bin/unsigned /tmpfs-prog; do
    $p >/dev/null 2>&1
    echo "$p $?" >>$OUT/runs
done
GUEST

for profile in appraise-exec appraise-tcb measure-tcb secure-boot; do
    expect_ok ima-policy generate --profile "$profile" --kernel 6.1 --measure --template ima-sig -o "$WORK/$profile"
    run_guest --disk "$WORK/tree" --file "$WORK/$profile=/policy" --file "$WORK/k.der=/keys/k.der" \
        --file "$WORK/hello=/tmpfs-prog" "$WORK/guest.sh" "$WORK/out-$profile"
    o=$WORK/out-$profile
    expect_guest_ok "$o"
    expect_eq 0 "$(cat "$o/load.status")" "$profile: ima-policy load ($(cat "$o/load.txt"))"
    expect_eq gone "$(cat "$o/policy-file")" "$profile: securityfs policy file after the one load"
    grep -a 'ima: policy update failed' "$o/console.log" && fail "$profile: the kernel logged a policy failure"
    pass
    # explain on the host against what the guest saw.
    while read -r prog status; do
        case $prog in
            /tmpfs-prog) magic=0x1021994 ;;
            *) magic=0xef53 ;;
        esac
        verdict=$(ima-policy explain "$WORK/$profile" --func BPRM_CHECK --mask MAY_EXEC --fsmagic "$magic" --uid 0 --fowner 0 |
            sed -n 's/^appraise: \([a-z]*\).*/\1/p')
        if [ "$verdict" = yes ] && [ "$prog" = /mnt/bin/unsigned ]; then
            [ "$status" != 0 ] || fail "$profile: explain says $prog is appraised, but the unsigned program ran"
        else
            expect_eq 0 "$status" "$profile: $prog (explain: appraise $verdict)"
        fi
        pass
    done <"$o/runs"
done
done_testing
