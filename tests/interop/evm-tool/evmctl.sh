#!/usr/bin/env bash
# evm-tool against evmctl (ima-evm-utils 1.4), both directions: portable
# (type 5) and immutable (type 3) EVM signatures, RSA-2048 and ECDSA
# P-256/P-384, sha1 to sha512. RSA values are byte-identical to evmctl's for
# the same inputs. A changed protected xattr, mode, owner or (immutable)
# inode makes both verifiers refuse.
# evmctl finds the filesystem UUID with `blkid /dev/block/MAJ:MIN`, which
# does not exist here, so immutable values are checked with an explicit UUID
# on both sides.
. "$TESTS_DIR/lib/assert.sh"
need evmctl getfattr setfattr
K=$TESTS_DIR/fixtures/keys
U=5d1c7f0e-2b4a-4c39-9e61-0a7b3c2d1e4f
d=$WORK/files
mkdir -p "$d"
for f in ours theirs; do
    head -c 5000 /dev/urandom >"$d/$f"
    chmod 0755 "$d/$f"
    setfattr -n security.capability -v 0x0100000200040000000000000000000000000000 "$d/$f"
    ima-sign sign -q -k "$K/rsa.key" "$d/$f"
done

imm() { [ "$1" = portable ] && echo --portable || echo "--uuid $U"; }
vopt() { [ "$1" = portable ] || echo "--uuid $U"; }
evmctl_opts() { [ "$1" = portable ] && echo --portable || echo "--uuid=$U"; }

for kind in portable immutable; do
    for algo in sha1 sha256 sha384 sha512; do
        # RSA: deterministic, so our value is evmctl's value
        expect_ok evm-tool sign -q -a $algo -k "$K/rsa.key" $(imm $kind) "$d/ours"
        ours=$(xattr_hex "$d/ours" security.evm)
        expect_ok evmctl sign -a $algo --key "$K/rsa.key" $(evmctl_opts $kind) "$d/ours"
        expect_eq "$ours" "$(xattr_hex "$d/ours" security.evm)" "RSA $kind $algo value vs evmctl"
        evm-tool sign -q -a $algo -k "$K/rsa.key" $(imm $kind) "$d/ours"
        expect_ok evmctl verify --key "$K/rsa.der" $(evmctl_opts $kind) "$d/ours"
        expect_ok evmctl sign -a $algo --key "$K/rsa.key" $(evmctl_opts $kind) "$d/theirs"
        expect_ok evm-tool verify -q -c "$K/rsa.pem" $(vopt $kind) "$d/theirs"
        expect_contains "$(evm-tool verify -c "$K/rsa.pem" $(vopt $kind) "$d/theirs" 2>/dev/null)" "ok ($kind signature $algo"

        # ECDSA: randomised, so each side verifies the other's
        for ec in ec256 ec384; do
            expect_ok evm-tool sign -q -a $algo -k "$K/$ec.key" $(imm $kind) "$d/ours"
            expect_ok evmctl verify --key "$K/$ec.der" $(evmctl_opts $kind) "$d/ours"
            expect_ok evmctl sign -a $algo --key "$K/$ec.key" $(evmctl_opts $kind) "$d/theirs"
            expect_ok evm-tool verify -q -c "$K/$ec.pem" $(vopt $kind) "$d/theirs"
        done
    done
done

# the metadata overrides mean the same to both (evmctl takes --mode in decimal)
o="--ino 4242 --generation 7 --uid 1000 --gid 100"
expect_ok evm-tool sign -q -k "$K/rsa.key" $o --mode 100640 --uuid $U "$d/ours"
ours=$(xattr_hex "$d/ours" security.evm)
expect_ok evmctl sign --key "$K/rsa.key" $o --mode $((8#100640)) --uuid=$U "$d/ours"
expect_eq "$ours" "$(xattr_hex "$d/ours" security.evm)" "immutable value with overrides vs evmctl"
expect_ok evm-tool sign -q --portable -k "$K/rsa.key" --uid 1000 --gid 100 --mode 0640 "$d/ours"
ours=$(xattr_hex "$d/ours" security.evm)
expect_ok evmctl sign --portable --key "$K/rsa.key" --uid 1000 --gid 100 --mode $((8#100640)) "$d/ours"
expect_eq "$ours" "$(xattr_hex "$d/ours" security.evm)" "portable value with overrides vs evmctl"

# both verifiers refuse what EVM protects, once changed
both_refuse() {  # both_refuse KIND WHAT
    expect_status 1 evm-tool verify -c "$K/rsa.pem" $(vopt $1) "$d/ours"
    evmctl verify --key "$K/rsa.der" $(evmctl_opts $1) "$d/ours" >/dev/null 2>&1 && fail "evmctl accepted $1 after: $2" || pass
}
both_accept() {
    expect_ok evm-tool verify -q -c "$K/rsa.pem" $(vopt $1) "$d/ours"
    expect_ok evmctl verify --key "$K/rsa.der" $(evmctl_opts $1) "$d/ours"
}
for kind in portable immutable; do
    evm-tool sign -q -k "$K/rsa.key" $(imm $kind) "$d/ours"
    both_accept $kind
    chmod 0700 "$d/ours"; both_refuse $kind "chmod"; chmod 0755 "$d/ours"
    caps=$(xattr_hex "$d/ours" security.capability)
    chown 1:1 "$d/ours"; both_refuse $kind "chown"; chown 0:0 "$d/ours"
    setfattr -n security.capability -v "0x$caps" "$d/ours"  # chown dropped the capability
    both_accept $kind
    setfattr -n security.capability -v 0x0100000200200000000000000000000000000000 "$d/ours"
    both_refuse $kind "security.capability changed"
    setfattr -n security.capability -v "0x$caps" "$d/ours"
    ima=$(xattr_hex "$d/ours" security.ima)
    ima-sign sign -q -a sha512 -k "$K/rsa.key" "$d/ours"
    both_refuse $kind "security.ima changed"
    setfattr -n security.ima -v "0x$ima" "$d/ours"
    setfattr -n security.selinux -v system_u:object_r:bin_t:s0 "$d/ours"
    both_refuse $kind "security.selinux added"
    setfattr -x security.selinux "$d/ours"
    both_accept $kind
    # another inode: a copy with the same xattrs (cp skips security.evm by /etc/xattr.conf)
    evm=$(xattr_hex "$d/ours" security.evm)
    mv "$d/ours" "$d/orig"
    cp -a --preserve=xattr "$d/orig" "$d/ours"
    setfattr -n security.evm -v "0x$evm" "$d/ours"
    if [ $kind = portable ]; then both_accept $kind; else both_refuse $kind "copied to another inode"; fi
    rm -f "$d/ours"
    mv "$d/orig" "$d/ours"
done
done_testing
