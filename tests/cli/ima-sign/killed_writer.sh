#!/usr/bin/env bash
# A run of `sign --sigfile` killed with SIGKILL at the moment it names a .sig
# file (a preload shim kills it inside linkat or renameat): the first .sig of
# a file leaves nothing behind (O_TMPFILE); replacing one, or a filesystem
# without O_TMPFILE, can leave the temporary name, which the next run neither
# signs nor verifies. The same for a killed `tar` writing OUT.
. "$TESTS_DIR/lib/assert.sh"
need getfattr tar
: "${KILL_AT_LIB:?KILL_AT_LIB must name the kill_at shim (built with the tests)}"
[ -f "$KILL_AT_LIB" ] || fail "the kill_at shim $KILL_AT_LIB is not built"
K=$TESTS_DIR/fixtures/keys
t=$WORK/t
mkdir -p "$t"
echo one >"$t/one"

# killed CALL [ENV...] CMD...: runs CMD with the shim, expects death by SIGKILL.
killed() {
    local at=$1 rc=0
    shift
    env LD_PRELOAD="$KILL_AT_LIB" IMAEVM_KILL_AT="$at" ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
        "$@" >"$WORK/.out" 2>"$WORK/.err" || rc=$?
    [ "$rc" = 137 ] || { cat "$WORK/.err" >&2; fail "expected death by SIGKILL at $at, got exit $rc: $*"; }
    pass
}
listing() { (cd "$1" && ls -A | sort | tr '\n' ' '); }

# The first .sig: killed in linkat, before the file has any name.
killed linkat ima-sign sign -q --sigfile -k "$K/rsa.key" "$t"
expect_eq "one " "$(listing "$t")" "files left by a run killed before its first .sig was named"

# Replacing a .sig: the file is linked under a random name, then renamed over.
expect_ok ima-sign sign -q --sigfile -k "$K/rsa.key" "$t"
old=$(xxd -p "$t/one.sig" | tr -d '\n')
killed renameat ima-sign sign -q --sigfile -k "$K/ec256.key" "$t"
left=$(cd "$t" && ls -A | grep -E '^\.one\.sig\.[0-9a-f]{16}\.tmp$' || true)
[ -n "$left" ] || fail "the kill did not land between link and rename (nothing left: $(listing "$t"))"
pass
expect_eq "$old" "$(xxd -p "$t/one.sig" | tr -d '\n')" "one.sig after a killed replacement"
# The next run signs the files, not the leftover, and verify counts only the files.
expect_ok ima-sign sign -v --sigfile -k "$K/rsa.key" -c "$K/rsa.pem" "$t"
expect_not_contains "$OUT$ERR" ".tmp"
[ -e "$t/$left.sig" ] && fail "the leftover $left was signed" || pass
expect_ok ima-sign verify --sigfile -c "$K/rsa.pem" "$t"
expect_contains "$OUT$ERR" "verified 1 file"
rm -f "$t/$left"

# Without O_TMPFILE (some network and FUSE filesystems) the file is named from
# the start: killed at the rename, its name is left and is skipped the same way.
rm -f "$t/one.sig"
killed renameat env IMAEVM_NO_TMPFILE=1 ima-sign sign -q --sigfile -k "$K/rsa.key" "$t"
left=$(cd "$t" && ls -A | grep -E '^\.one\.sig\.[0-9a-f]{16}\.tmp$' || true)
[ -n "$left" ] || fail "no named temporary file without O_TMPFILE: $(listing "$t")"
pass
expect_ok env LD_PRELOAD="$KILL_AT_LIB" IMAEVM_NO_TMPFILE=1 ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
    ima-sign sign -q --sigfile -k "$K/rsa.key" "$t"
[ -e "$t/$left.sig" ] && fail "the leftover $left was signed" || pass
expect_ok ima-sign verify --sigfile -c "$K/rsa.pem" "$t"
expect_contains "$OUT$ERR" "verified 1 file"
# A user's file that only looks a little like one is signed as any file.
echo mine >"$t/.one.sig.tmp"
expect_ok ima-sign sign -q --sigfile -k "$K/rsa.key" "$t"
[ -f "$t/.one.sig.tmp.sig" ] || fail "a user's .one.sig.tmp was taken for a leftover"
pass

# ima-sign tar: killed as it names OUT, nothing is left in the output folder.
mkdir -p "$WORK/src/d" "$WORK/out"
echo x >"$WORK/src/d/x"
tar -C "$WORK/src" -cf "$WORK/in.tar" d
killed linkat ima-sign tar -k "$K/rsa.key" "$WORK/in.tar" "$WORK/out/signed.tar"
expect_eq "" "$(listing "$WORK/out")" "files left by a tar run killed as it named its output"
done_testing
