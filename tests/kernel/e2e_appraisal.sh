#!/usr/bin/env bash
# Start to finish, with only our tools on our side: a tree signed by ima-sign
# (with a manifest) and evm-tool --portable, the appraise-exec policy from
# ima-policy, an ext4 image; Debian's kernel under QEMU with a swtpm vTPM
# loads our certificate with ima-keyring, enables EVM, loads the policy with
# ima-policy; the signed program and module run, the tampered, unsigned and
# mode-changed ones (and one without security.evm) are refused with the
# kernel's audit causes; ima-attest
# replays the measurement list against PCR 10 in the guest, and on the host
# verifies it against the manifest, naming the tampered file.
. "$TESTS_DIR/lib/assert.sh"
. "$TESTS_DIR/kernel/lib.sh"
need gcc openssl tar setfattr
kernel=$("$SOURCE_DIR/scripts/qemu/fetch-kernel")
kver=$(ls "$kernel/lib/modules" | head -1)

# A throwaway RSA key (the 6.1 kernel verifies RSA, not ECDSA).
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/ima.key" -out "$WORK/ima.pem" -days 1 \
    -subj "/CN=imaevm e2e" -addext keyUsage=digitalSignature -addext subjectKeyIdentifier=hash \
    -addext extendedKeyUsage=codeSigning 2>/dev/null
openssl x509 -in "$WORK/ima.pem" -outform DER -out "$WORK/ima.der"
gcc -static -O2 -o "$WORK/hello" "$TESTS_DIR/kernel/programs/hello.c" || fail "cannot build the static test program"

# A kernel module from the kernel package that nothing here loads yet.
module=$(find "$kernel/lib/modules/$kver/kernel/lib" -name 'crc-itu-t.ko*' | head -1)
[ -n "$module" ] || fail "crc-itu-t module not found in $kernel"

make_tree() { # make_tree DIR: programs and a module, not yet signed
    mkdir -p "$1/bin" "$1/lib/modules"
    for p in ok tampered modechanged noevm; do cp "$WORK/hello" "$1/bin/$p"; done
    case $module in *.xz) xz -dc "$module" >"$1/lib/modules/signed.ko" ;; *) cp "$module" "$1/lib/modules/signed.ko" ;; esac
}
after_signing() { # after_signing DIR: the changes the kernel must catch
    cp "$WORK/hello" "$1/bin/unsigned"
    printf 'x' >>"$1/bin/tampered"
    chmod 0700 "$1/bin/modechanged"
    setfattr -x security.evm "$1/bin/noevm"
    cp "$1/lib/modules/signed.ko" "$1/lib/modules/unsigned.ko"
}

ima-policy generate --profile appraise-exec --measure --template ima-sig -o "$WORK/policy" ||
    fail "ima-policy generate failed"

cat >"$WORK/guest.sh" <<'GUEST'
set -u
log() { echo "guest: $*"; }
ima-keyring load-dir /keys --keyring _ima --create >$OUT/keyring-ima.txt 2>&1 || log "load-dir _ima failed: $(cat $OUT/keyring-ima.txt)"
ima-keyring load-dir /keys --keyring _evm --create >$OUT/keyring-evm.txt 2>&1 || log "load-dir _evm failed: $(cat $OUT/keyring-evm.txt)"
echo 2 >/sys/kernel/security/evm || log "cannot enable EVM"
cat /sys/kernel/security/evm >$OUT/evm
ima-policy load /policy >$OUT/policy-load.txt 2>&1; echo $? >$OUT/policy-load.status
for p in ok tampered unsigned modechanged noevm; do
    /mnt/bin/$p >$OUT/run-$p.txt 2>&1
    echo $? >$OUT/run-$p.status
done
insmod /mnt/lib/modules/unsigned.ko >$OUT/insmod-unsigned.txt 2>&1; echo $? >$OUT/insmod-unsigned.status
insmod /mnt/lib/modules/signed.ko >$OUT/insmod-signed.txt 2>&1; echo $? >$OUT/insmod-signed.status
# The list and PCR 10 with nothing executed in between: one process reads both.
ima-attest replay --sysfs >$OUT/replay.txt 2>&1; echo $? >$OUT/replay.status
cat /sys/kernel/security/ima/binary_runtime_measurements >$OUT/measurements
exit 0
GUEST

check_guest() { # check_guest OUTDIR SCENARIO
    local o=$1 s=$2 p
    expect_guest_ok "$o"
    expect_eq "0" "$(cat "$o/policy-load.status")" "$s: ima-policy load ($(cat "$o/policy-load.txt"))"
    expect_eq "0" "$(cat "$o/run-ok.status")" "$s: the signed program runs ($(cat "$o/run-ok.txt"))"
    expect_contains "$(cat "$o/run-ok.txt")" "hello from /mnt/bin/ok"
    for p in tampered unsigned modechanged noevm; do
        [ "$(cat "$o/run-$p.status")" != 0 ] || { guest_console "$o"; fail "$s: the $p program ran"; }
        pass
        expect_contains "$(cat "$o/run-$p.txt")" "Permission denied"
    done
    local audit
    audit=$(audit_lines "$o")
    expect_contains "$audit" 'bin/tampered"'
    expect_contains "$(echo "$audit" | grep 'bin/tampered"')" "cause=invalid-signature"
    expect_contains "$(echo "$audit" | grep 'bin/unsigned"' | head -1)" "cause=IMA-signature-required"
    expect_contains "$(echo "$audit" | grep 'bin/modechanged"' | head -1)" "cause=invalid-fail-immutable"
    expect_contains "$(echo "$audit" | grep 'bin/noevm"' | head -1)" "cause=missing-HMAC"
    expect_contains "$(echo "$audit" | grep 'modules/unsigned.ko"' | head -1)" "cause=IMA-signature-required"
    expect_eq "0" "$(cat "$o/insmod-signed.status")" "$s: the signed module loads ($(cat "$o/insmod-signed.txt"))"
    [ "$(cat "$o/insmod-unsigned.status")" != 0 ] || fail "$s: the unsigned module loaded"
    pass
    expect_eq "0" "$(cat "$o/replay.status")" "$s: ima-attest replay --sysfs in the guest ($(cat "$o/replay.txt"))"
}

# 1. A directory tree.
make_tree "$WORK/tree"
expect_ok ima-sign sign -q -k "$WORK/ima.key" -c "$WORK/ima.pem" --manifest "$WORK/manifest.json" "$WORK/tree"
expect_ok evm-tool sign -q --portable -k "$WORK/ima.key" -c "$WORK/ima.pem" "$WORK/tree"
after_signing "$WORK/tree"
run_guest --tpm --disk "$WORK/tree" --file "$WORK/ima.der=/keys/ima.der" --file "$WORK/policy=/policy" \
    "$WORK/guest.sh" "$WORK/out-tree"
check_guest "$WORK/out-tree" tree
# The measurement list, copied out, verifies against the manifest except for
# the tampered file, which is named.
expect_status 1 ima-attest verify "$WORK/out-tree/measurements" -c "$WORK/ima.pem" --manifest "$WORK/manifest.json"
expect_contains "$OUT$ERR" "bin/tampered"
expect_not_contains "$(echo "$OUT$ERR" | grep -v tampered | grep -i -E 'mismatch|bad')" "bin/ok"

# 2. The same tree as a tar stream: signed by ima-sign tar (portable EVM too),
# unpacked by GNU tar with its xattrs.
make_tree "$WORK/tar-src"
tar -cf "$WORK/tree.tar" -C "$WORK/tar-src" .
expect_ok ima-sign tar -q --evm-portable -k "$WORK/ima.key" -c "$WORK/ima.pem" "$WORK/tree.tar" "$WORK/signed.tar"
mkdir "$WORK/tar-tree"
tar --xattrs --xattrs-include='security.*' -xpf "$WORK/signed.tar" -C "$WORK/tar-tree"
after_signing "$WORK/tar-tree"
run_guest --tpm --disk "$WORK/tar-tree" --file "$WORK/ima.der=/keys/ima.der" --file "$WORK/policy=/policy" \
    "$WORK/guest.sh" "$WORK/out-tar"
check_guest "$WORK/out-tar" tar
done_testing
