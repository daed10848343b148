# Helpers for the QEMU kernel tests. Source after tests/lib/assert.sh:
#   . "$TESTS_DIR/lib/assert.sh"; . "$TESTS_DIR/kernel/lib.sh"
#
# run_guest [--tpm [STATEDIR]] [--append ARGS] [--disk DIR|IMG] [--file HOST=GUEST]... SCRIPT OUTDIR
#   Boots Debian's kernel (scripts/qemu/boot) with an initramfs holding busybox,
#   every tool in $IMAEVM_BIN and SCRIPT as /guest/run.sh. --disk DIR becomes an
#   ext4 image (mkfs.ext4 -d keeps security.* xattrs), mounted read-write at /mnt
#   (device in $DISK). SCRIPT runs as root under busybox sh; what it writes to
#   $OUT comes back to OUTDIR, its exit status to OUTDIR/status, the console to
#   OUTDIR/console.log. Returns 0 when the guest ran to the end, else prints the
#   console tail and fails the test.
# guest_console OUTDIR: prints the console and the audit lines (for failures).
# audit_lines OUTDIR: the kernel's integrity audit lines from the console.

SOURCE_DIR=${SOURCE_DIR:-$(cd "$TESTS_DIR/.." && pwd)}
QEMU_DIR=$SOURCE_DIR/scripts/qemu

# Nothing is skipped: a missing QEMU fails the test like any other missing tool
# (scripts/install-deps installs it).
need qemu-system-x86_64 swtpm mkfs.ext4 cpio gzip busybox

# The initramfs base (busybox, modules, our tools) is built once per test run.
_base_initrd() {
    local base=$WORK/base-initrd.cpio.gz
    if [ ! -f "$base" ]; then
        "$QEMU_DIR/make-initramfs" "$base" --bin "$IMAEVM_BIN" || fail "make-initramfs failed"
    fi
    echo "$base"
}

run_guest() {
    local tpm= append= disk= files=() script out
    while [ $# -gt 0 ]; do
        case $1 in
        --tpm)
            if [ $# -gt 1 ] && [ "${2#--}" = "$2" ] && [ -d "$2" ]; then tpm=$2; shift 2; else tpm=$WORK/tpm.$RANDOM; shift; fi ;;
        --append) append=$2; shift 2 ;;
        --disk) disk=$2; shift 2 ;;
        --file) files+=(--file "$2"); shift 2 ;;
        *) break ;;
        esac
    done
    script=${1:?run_guest: SCRIPT missing} out=${2:?run_guest: OUTDIR missing}
    mkdir -p "$out"
    local initrd=$out/initrd.cpio.gz extra=$WORK/extra.$RANDOM
    # The per-test part is a second cpio appended to the base: the kernel
    # unpacks concatenated archives in order.
    mkdir -p "$extra/guest"
    cp "$script" "$extra/guest/run.sh"
    local spec src dst
    for spec in "${files[@]}"; do
        [ "$spec" = --file ] && continue
        src=${spec%%=*} dst=${spec#*=}
        mkdir -p "$extra$(dirname "$dst")"
        cp -a "$src" "$extra$dst"
        # A dynamically linked program brings its libraries along.
        if [ -x "$src" ] && ldd "$src" >/dev/null 2>&1; then
            local lib
            for lib in $(ldd "$src" | awk '/=> \//{print $3}'); do
                mkdir -p "$extra$(dirname "$lib")"
                cp -L "$lib" "$extra$lib"
            done
        fi
    done
    { cat "$(_base_initrd)"; (cd "$extra" && find . | cpio -o -H newc --quiet | gzip -1); } >"$initrd"
    local img=
    if [ -n "$disk" ]; then
        if [ -d "$disk" ]; then
            img=$out/disk.img
            "$QEMU_DIR/make-ext4" "$disk" "$img" || fail "make-ext4 $disk failed"
        else
            img=$disk
        fi
    fi
    local args=(--initrd "$initrd" --out "$out" --append "$append" --timeout "${GUEST_TIMEOUT:-300}")
    [ -n "$img" ] && args+=(--disk "$img")
    [ -n "$tpm" ] && args+=(--tpm "$tpm")
    if ! "$QEMU_DIR/boot" "${args[@]}"; then
        guest_console "$out"
        fail "the guest did not run to the end"
    fi
    [ -f "$out/status" ] || { guest_console "$out"; fail "the guest script left no status"; }
    rm -f "$initrd"
}

guest_console() {
    echo "--- guest console ($1/console.log, last 80 lines)" >&2
    tail -80 "$1/console.log" >&2 2>/dev/null || true
    echo "--- integrity audit lines" >&2
    audit_lines "$1" >&2 || true
}

audit_lines() { grep -a 'type=1800\|integrity\|INTEGRITY' "$1/console.log" 2>/dev/null || true; }

# expect_guest_ok OUTDIR: the guest script exited 0 (prints the console otherwise).
expect_guest_ok() {
    local st
    st=$(cat "$1/status")
    if [ "$st" != 0 ]; then
        cat "$1/guest.log" >&2 2>/dev/null || true
        guest_console "$1"
        fail "guest script exited with status $st"
    fi
    pass
}
