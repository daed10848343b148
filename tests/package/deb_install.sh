#!/usr/bin/env bash
# What a packager ships: `cpack` makes the .deb from `cmake --install`; apt
# installs it into a fresh `debootstrap --variant=minbase bookworm` root
# (chroot), pulling in exactly the Depends dpkg-shlibdeps found; there every
# tool answers --version, a file is signed and verified, and the man pages,
# completions, boot glue, docs and licence are where Debian expects them.
. "$TESTS_DIR/lib/assert.sh"
need cpack debootstrap chroot mount
[ "$(id -u)" = 0 ] || fail "needs root (debootstrap, chroot, mounts)"
: "${BUILD_DIR:?BUILD_DIR must point at the build tree}"
cache=${IMAEVM_CACHE:-/var/cache/imaevm-tools}
base=$cache/package-root-bookworm

# The .deb, from this build.
(cd "$BUILD_DIR" && cpack -G DEB -B "$WORK/pkg" >"$WORK/cpack.log" 2>&1) || { cat "$WORK/cpack.log"; fail "cpack"; }
deb=$(ls "$WORK"/pkg/imaevm-tools_*_amd64.deb)
[ -f "$deb" ] || fail "cpack made no .deb"
pass
dpkg-deb -c "$deb" >"$WORK/contents"
tools="ima-sign evm-tool ima-policy ima-keyring ima-attest imaevm-evmctl"
files="usr/sbin/imaevm-load usr/lib/dracut/modules.d/98imaevm/module-setup.sh
    usr/lib/dracut/modules.d/98imaevm/imaevm-hook.sh usr/lib/dracut/modules.d/98imaevm/imaevm-load
    usr/share/doc/imaevm-tools/LICENSE usr/share/doc/imaevm-tools/README.md"
for t in $tools; do files="$files usr/bin/$t usr/share/man/man1/$t.1"; done
for t in ima-sign evm-tool ima-policy ima-keyring ima-attest; do files="$files usr/share/bash-completion/completions/$t"; done
for f in $files; do
    grep -q " \./$f\$" "$WORK/contents" || fail "the .deb lacks /$f"
    pass
done
grep -q ' ./usr/bin/evmctl$' "$WORK/contents" && fail "the .deb installs an evmctl of its own" || pass

# A minbase root, made once and kept; each run installs into a fresh overlay of it.
if [ ! -d "$base" ]; then
    echo "package test: debootstrap --variant=minbase bookworm (once, cached in $base)"
    rm -rf "$base.tmp"
    debootstrap --variant=minbase bookworm "$base.tmp" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 ||
        { tail -20 "$WORK/debootstrap.log"; fail "debootstrap"; }
    mv "$base.tmp" "$base"
fi
root=$WORK/root
mkdir -p "$WORK/upper" "$WORK/ovl" "$root"
mount -t overlay overlay -o "lowerdir=$base,upperdir=$WORK/upper,workdir=$WORK/ovl" "$root"
umount_all() {
    local m
    for m in "$root/tmp/work" "$root/dev" "$root/proc" "$root"; do mountpoint -q "$m" && umount -l "$m"; done
    return 0
}
on_exit umount_all
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
cp /etc/resolv.conf "$root/etc/resolv.conf"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }

cp "$deb" "$root/tmp/imaevm-tools.deb"
in_root apt-get update -qq >"$WORK/apt.log" 2>&1 || { tail -20 "$WORK/apt.log"; fail "apt-get update in the root"; }
DEBIAN_FRONTEND=noninteractive in_root apt-get install -y -qq --no-install-recommends /tmp/imaevm-tools.deb \
    >>"$WORK/apt.log" 2>&1 || { tail -30 "$WORK/apt.log"; fail "apt-get install of the .deb"; }
pass
expect_eq "install ok installed" "$(in_root dpkg-query -W -f='${Status}' imaevm-tools)" "package status"

for t in ima-sign evm-tool ima-policy ima-keyring ima-attest imaevm-evmctl; do
    expect_ok in_root "$t" --version
    expect_contains "$OUT" "$t"
done
expect_contains "$(in_root imaevm-evmctl --version)" "evmctl"

# Sign and verify in the root, with the test keys.
mkdir -p "$root/tmp/work"
cp "$TESTS_DIR"/fixtures/keys/rsa.key "$TESTS_DIR"/fixtures/keys/rsa.pem "$root/tmp/work/"
printf 'hello from the package\n' >"$root/tmp/work/file"
expect_ok in_root ima-sign sign --sigfile -k /tmp/work/rsa.key -c /tmp/work/rsa.pem /tmp/work/file
expect_ok in_root ima-sign verify --sigfile -c /tmp/work/rsa.pem /tmp/work/file
expect_contains "$OUT" "/tmp/work/file: ok (signature sha256"
printf 'tampered\n' >>"$root/tmp/work/file"
expect_status 1 in_root ima-sign verify --sigfile -c /tmp/work/rsa.pem /tmp/work/file
expect_ok in_root ima-policy generate --profile appraise-exec -o /tmp/work/policy
expect_ok in_root ima-policy lint /tmp/work/policy

# The man pages say what --help says; the completions offer the subcommands.
expect_contains "$(in_root sh -c 'zcat -f /usr/share/man/man1/ima-sign.1')" "Sign file digests into security.ima"
expect_contains "$(in_root sh -c 'zcat -f /usr/share/man/man1/ima-attest.1')" ".SH REPLAY"
for t in $tools; do
    expect_contains "$(in_root sh -c "zcat -f /usr/share/man/man1/$t.1")" ".TH"
done
# The completion function itself, run as bash runs it: subcommands from
# --help, options of the subcommand after it.
complete_words() {  # complete_words WORD... : what TAB offers after the last word
    in_root bash -c '. /usr/share/bash-completion/completions/"$1"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        _imaevm_tools; printf "%s\n" "${COMPREPLY[@]}"' sh "$@"
}
expect_contains "$(complete_words ima-sign "")" "verify"
expect_contains "$(complete_words ima-attest re)" "replay"
expect_contains "$(complete_words ima-sign sign --ma)" "--manifest"
[ -x "$root/usr/sbin/imaevm-load" ] || fail "/usr/sbin/imaevm-load is not executable"
pass
done_testing
