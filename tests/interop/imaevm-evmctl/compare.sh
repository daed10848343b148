# Helpers for running evmctl and imaevm-evmctl side by side on fresh copies
# of the same inputs. Source after tests/lib/assert.sh.
#
#   set_input DIR      the tree both tools start from (copied fresh for each run)
#   both [--stdin FILE] [--random] ARGS...
#       runs `evmctl ARGS` in a copy and `imaevm-evmctl ARGS` in another copy
#       (the working directory is the copy, so relative paths name its files)
#       and checks: the same exit status; the same stdout (unless --random:
#       ECDSA signatures differ run to run, so then only the line shapes);
#       the same extended attributes on every file afterwards (with --random:
#       the same names and value lengths), the same .sig files.
#       --no-xattrs compares status and stdout only (values over inode numbers).
#       --as-evmctl runs ours through a symbolic link named evmctl (the name
#       it then prints in usage texts).
#   After `both`, $THEIRS and $OURS are the two trees, $RC the common status,
#   $OUT_T/$OUT_O the two stdouts.

need evmctl getfattr setfattr

CMP_INPUT=
THEIRS=$WORK/theirs
OURS=$WORK/ours

set_input() { CMP_INPUT=$1; }

# xattr_dump DIR [--shape]: every xattr of every file and directory under DIR,
# with relative names, sorted; --shape keeps the names only.
xattr_dump() {
    (cd "$1" && getfattr -R -h -d -m - -e hex . 2>/dev/null) | awk -v shape="${2:-}" '
        /^# file: / { file = substr($0, 9); next }
        /=/ { i = index($0, "="); name = substr($0, 1, i - 1); v = substr($0, i + 1)
              if (shape != "") v = "<value>"
              print file " " name "=" v }' | sort
}

# sig_dump DIR: the .sig files and their contents.
sig_dump() {
    (cd "$1" && find . -name '*.sig' -type f -print0 | sort -z | xargs -0r sh -c 'for f; do echo "$f $(od -An -tx1 "$f" | tr -d " \n")"; done' sh)
}

# shape TEXT: hex runs replaced by their lengths (ECDSA signatures vary in
# value and, by a byte or two, in length; the prefix up to the key id does not).
shape() { sed -E 's/([0-9a-f]{14})[0-9a-f]+/\1<sig>/g'; }

both() {
    local stdin=/dev/null random= ours=imaevm-evmctl xattrs=1
    while :; do
        case "${1:-}" in
            --stdin) stdin=$2; shift 2 ;;
            --as-evmctl)
                mkdir -p "$WORK/as-evmctl"
                ln -sf "$IMAEVM_BIN/imaevm-evmctl" "$WORK/as-evmctl/evmctl"
                ours=$WORK/as-evmctl/evmctl
                shift ;;
            --random) random=1; shift ;;
            --no-xattrs) xattrs=; shift ;;
            *) break ;;
        esac
    done
    rm -rf "$THEIRS" "$OURS"
    cp -a "$CMP_INPUT" "$THEIRS"
    cp -a "$CMP_INPUT" "$OURS"
    # cp leaves security.evm behind (/etc/xattr.conf): copy it over by hand.
    (cd "$CMP_INPUT" && getfattr -R -h -d -m '^security\.evm$' -e hex . 2>/dev/null) >"$WORK/evm.dump"
    if [ -s "$WORK/evm.dump" ]; then
        (cd "$THEIRS" && setfattr -h --restore="$WORK/evm.dump")
        (cd "$OURS" && setfattr -h --restore="$WORK/evm.dump")
    fi
    local rc_t=0 rc_o=0
    (cd "$THEIRS" && evmctl "$@" <"$stdin" >"$WORK/out.t" 2>"$WORK/err.t") || rc_t=$?
    (cd "$OURS" && "$ours" "$@" <"$stdin" >"$WORK/out.o" 2>"$WORK/err.o") || rc_o=$?
    OUT_T=$(cat "$WORK/out.t")
    OUT_O=$(cat "$WORK/out.o")
    if [ "$rc_t" != "$rc_o" ]; then
        echo "--- evmctl stdout/stderr"; head -c 2000 "$WORK/out.t"; head -c 2000 "$WORK/err.t"
        echo "--- imaevm-evmctl stdout/stderr"; head -c 2000 "$WORK/out.o"; head -c 2000 "$WORK/err.o"
        fail "exit status: evmctl $rc_t, imaevm-evmctl $rc_o: $*"
    fi
    pass
    RC=$rc_t
    LAST="$*"
    if [ -n "$random" ]; then
        expect_eq "$(shape <<<"$OUT_T")" "$(shape <<<"$OUT_O")" "stdout shape of: $*"
        expect_eq "$(xattr_dump "$THEIRS" --shape | shape)" "$(xattr_dump "$OURS" --shape | shape)" "xattr names after: $*"
    else
        if [ "$OUT_T" != "$OUT_O" ]; then
            diff <(echo "$OUT_T") <(echo "$OUT_O") | head -20
            fail "stdout differs: $*"
        fi
        pass
        [ -n "$xattrs" ] || return 0
        local xt xo
        xt=$(xattr_dump "$THEIRS")
        xo=$(xattr_dump "$OURS")
        if [ "$xt" != "$xo" ]; then
            diff <(echo "$xt") <(echo "$xo") | cut -c1-200 | head -20
            fail "xattrs differ after: $*"
        fi
        pass
        expect_eq "$(sig_dump "$THEIRS")" "$(sig_dump "$OURS")" ".sig files after: $*"
    fi
}

# expect_rc N: the status of the last `both` run.
expect_rc() { expect_eq "$1" "$RC" "exit status of: $LAST"; }
