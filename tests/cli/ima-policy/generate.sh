#!/usr/bin/env bash
# ima-policy generate and profiles: every profile lints clean (no warning
# either) for the target kernels; what a target lacks is replaced with a note;
# options that do not apply are usage errors; -o never leaves half a file.
. "$TESTS_DIR/lib/assert.sh"
need python3

expect_ok ima-policy profiles
for p in appraise-exec appraise-tcb measure-tcb secure-boot; do expect_contains "$OUT" "$p"; done
expect_ok ima-policy profiles --json
expect_eq 4 "$(echo "$OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"

for p in appraise-exec appraise-tcb measure-tcb secure-boot; do
    for k in 5.10 6.1 6.6 6.12; do
        for extra in "" "--measure --template ima-sig"; do
            # shellcheck disable=SC2086
            expect_ok ima-policy generate --profile "$p" --kernel "$k" $extra -o "$WORK/$p-$k.policy"
            expect_contains "$(head -3 "$WORK/$p-$k.policy")" "# target kernel: $k"
            expect_ok ima-policy lint --strict --kernel "$k" "$WORK/$p-$k.policy"
            expect_contains "$ERR" "0 error(s), 0 warning(s) for kernel $k"
        done
    done
done
[ -z "$(ls "$WORK" | grep tmp-ima-policy)" ] || fail "a temporary file was left behind"
pass

# What an older target lacks is replaced, and the policy says so.
expect_ok ima-policy generate --profile appraise-exec --sigv3 --kernel 5.10
expect_contains "$OUT" "# note: fs-verity signatures (sigv3) need kernel 5.19: replaced by appraise_type=imasig"
expect_not_contains "$OUT" "appraise_type=sigv3"
expect_ok ima-policy generate --profile appraise-exec --sigv3 --kernel 6.1
expect_contains "$OUT" "appraise func=BPRM_CHECK mask=MAY_EXEC digest_type=verity appraise_type=sigv3"
expect_ok ima-policy generate --profile measure-tcb --template ima-ngv2 --kernel 5.10
expect_contains "$OUT" "# note: template ima-ngv2 needs kernel 5.19: replaced by ima-ng"
# The tcb policy's tmpfs rule as each release has it.
expect_ok ima-policy generate --profile measure-tcb --kernel 6.12
expect_contains "$OUT" $'\ndont_measure fsmagic=0x1021994\n'
expect_ok ima-policy generate --profile measure-tcb --kernel 6.14
expect_contains "$OUT" $'\ndont_measure func=FILE_CHECK fsmagic=0x1021994\n'
# --fsuuid restricts the program rules, lower case, not what the kernel reads.
expect_ok ima-policy generate --profile appraise-exec --fsuuid 8BCBE394-4F13-4144-BE8E-5AA9EA2CE2F6
expect_contains "$OUT" "appraise func=BPRM_CHECK mask=MAY_EXEC fsuuid=8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6 appraise_type=imasig"
expect_contains "$OUT" $'\nappraise func=MODULE_CHECK appraise_type=imasig\n'

# The output replaces an older file whole.
echo "stale" >"$WORK/out.policy"
expect_ok ima-policy generate --profile secure-boot -o "$WORK/out.policy"
expect_eq "$(ima-policy generate --profile secure-boot)" "$(cat "$WORK/out.policy")"

# Usage errors: one line, exit 2.
for args in "--profile nonsense" "--profile appraise-exec --kernel six" "--profile secure-boot --sigv3" \
    "--profile secure-boot --fsuuid 8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6" "--profile appraise-exec --fsuuid nope" \
    "--profile appraise-tcb --template ima-ng" "--profile measure-tcb --template ima-nope"; do
    # shellcheck disable=SC2086
    expect_status 2 ima-policy generate $args
    expect_one_line "$ERR"
    expect_contains "$ERR" "ima-policy: error: "
done
expect_status 3 ima-policy generate --profile secure-boot -o "$WORK/no/such/dir/p"
expect_one_line "$ERR"

# -o writes through no predictable name: a link planted where an old version
# put its temporary file makes root overwrite nothing, and nothing is left
# beside the policy.
mkdir "$WORK/planted"
echo precious >"$WORK/victim"
ln -s "$WORK/victim" "$WORK/planted/p.tmp-ima-policy"
ln -s "$WORK/victim" "$WORK/planted/p"  # the target itself a link: replaced, not followed
expect_ok ima-policy generate --profile secure-boot -o "$WORK/planted/p"
expect_eq precious "$(cat "$WORK/victim")" "the file the links point at"
[ -f "$WORK/planted/p" ] && [ ! -L "$WORK/planted/p" ] || fail "-o did not replace the link with the policy"
pass
expect_eq "p p.tmp-ima-policy" "$(ls "$WORK/planted" | tr '\n' ' ' | sed 's/ $//')" "files beside the policy"
expect_ok ima-policy lint "$WORK/planted/p"
done_testing
