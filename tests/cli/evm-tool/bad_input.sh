#!/usr/bin/env bash
# Bad input: one clear line naming the file and the cause, the exit status
# from SPEC.md (1 bad, 2 usage, 3 environment), and nothing half-written.
. "$TESTS_DIR/lib/assert.sh"
need getfattr setfattr setpriv mount umount
K=$TESTS_DIR/fixtures/keys
f=$WORK/file
echo data >"$f"
ima-sign sign -q -k "$K/rsa.key" "$f"
head -c 32 /dev/urandom >"$WORK/evm-key"
no_evm() { has_xattr "$1" security.evm && fail "security.evm written: $2" || pass; }

# keys
printf 'wrong\n' >"$WORK/wrong-pass"
expect_status 3 evm-tool sign -k "$K/rsa.enc.key" --pass-file "$WORK/wrong-pass" "$f"
expect_eq "evm-tool: error: key $K/rsa.enc.key: wrong passphrase or corrupted encrypted key" "$ERR"
no_evm "$f" "after a key error"
expect_status 3 evm-tool sign -k "$K/rsa.enc.key" "$f" </dev/null
expect_contains "$ERR" "encrypted and no passphrase given"
expect_one_line "$ERR"
IMAEVM_KEY_PASS=test-pass expect_ok evm-tool sign -q --portable -k "$K/rsa.enc.key" "$f"
setfattr -x security.evm "$f"
expect_status 2 evm-tool sign -k "$K/rsa.key" --pass secret "$f"   # never from argv
expect_status 3 evm-tool sign -k "$K/rsa.pem" "$f"
expect_eq "evm-tool: error: key $K/rsa.pem: not a private key (expected PEM or DER, PKCS#8 or traditional)" "$ERR"
expect_status 3 evm-tool sign -k "$WORK/nope.key" "$f"
expect_eq "evm-tool: error: key $WORK/nope.key: No such file or directory" "$ERR"
expect_status 2 evm-tool sign -k "$K/rsa.key" -c "$K/other.pem" "$f"
expect_eq "evm-tool: error: certificate $K/other.pem does not match the private key $K/rsa.key" "$ERR"
echo garbage >"$WORK/garbage.pem"
# A certificate the tool is given and cannot use is an environment error, like such a key.
expect_status 3 evm-tool sign -k "$K/rsa.key" -c "$WORK/garbage.pem" "$f"
expect_eq "evm-tool: error: certificate $WORK/garbage.pem: not an X.509 certificate (PEM or DER)" "$ERR"
expect_status 3 evm-tool verify -c "$WORK/garbage.pem" "$f"
expect_one_line "$ERR"
no_evm "$f" "after the key errors"

# HMAC keys
expect_status 2 evm-tool hmac "$f"
expect_one_line "$ERR"
expect_status 3 evm-tool hmac --hmac-key "$WORK/nope" "$f"
expect_eq "evm-tool: error: HMAC key $WORK/nope: No such file or directory" "$ERR"
: >"$WORK/empty-key"
expect_status 3 evm-tool hmac --hmac-key "$WORK/empty-key" "$f"  # a key the tool cannot use: exit 3
expect_eq "evm-tool: error: HMAC key $WORK/empty-key: empty file" "$ERR"
head -c 129 /dev/zero >"$WORK/long-key"
expect_status 3 evm-tool hmac --hmac-key "$WORK/long-key" "$f"
expect_eq "evm-tool: error: HMAC key $WORK/long-key: longer than the kernel's 128 bytes" "$ERR"
expect_status 3 evm-tool hmac --hmac-key "$WORK" "$f"
expect_eq "evm-tool: error: HMAC key $WORK: not a regular file" "$ERR"
no_evm "$f" "after the HMAC key errors"

# options
expect_status 2 evm-tool sign -k "$K/rsa.key" -a sha999 "$f"
expect_eq "evm-tool: error: unknown hash algorithm 'sha999'" "$ERR"
expect_status 2 evm-tool sign -k "$K/rsa.key" -a md5 "$f"
expect_one_line "$ERR"
expect_status 2 evm-tool sign -k "$K/rsa.key" --keyid 12 "$f"
expect_one_line "$ERR"
expect_status 2 evm-tool sign -k "$K/rsa.key" --portable --immutable "$f"
expect_one_line "$ERR"
expect_status 2 evm-tool sign -k "$K/rsa.key" --uuid 1234 "$f"
expect_eq "evm-tool: error: invalid UUID '1234'" "$ERR"
expect_status 2 evm-tool hmac --hmac-key "$WORK/evm-key" --uuid 01234567-89ab-cdef-0123-456789abcdef --no-uuid "$f"
expect_one_line "$ERR"
for m in 9 0x1ff 1777777 -1 ''; do
    expect_status 2 evm-tool hmac --hmac-key "$WORK/evm-key" --mode "$m" "$f"
    expect_one_line "$ERR"
done
expect_status 2 evm-tool hmac --hmac-key "$WORK/evm-key" --mode 1777777 "$f"
expect_eq "evm-tool: error: invalid mode '1777777' (more than 16 bits)" "$ERR"
for o in "--ino -1" "--ino x" "--generation 4294967296" "--uid -5" "--gid 1.5"; do
    expect_status 2 evm-tool hmac --hmac-key "$WORK/evm-key" $o "$f"
    expect_one_line "$ERR"
done
expect_status 2 evm-tool frobnicate
expect_status 2 evm-tool sign -k "$K/rsa.key"
expect_one_line "$ERR"
expect_status 2 evm-tool show
no_evm "$f" "after the option errors"

# operands
mkfifo "$WORK/fifo"
ln -s "$f" "$WORK/link"
expect_status 1 evm-tool sign -k "$K/rsa.key" "$WORK/fifo"
expect_eq "evm-tool: error: $WORK/fifo: not a regular file" "$(echo "$ERR" | head -1)"
expect_status 1 evm-tool hmac --hmac-key "$WORK/evm-key" "$WORK/link"
expect_eq "evm-tool: error: $WORK/link: is a symbolic link (not followed)" "$(echo "$ERR" | head -1)"
no_evm "$f" "a symlink operand signed its target"
expect_status 3 evm-tool sign --portable -k "$K/rsa.key" "$WORK/missing" "$f"
expect_eq "evm-tool: error: $WORK/missing: No such file or directory" "$(echo "$ERR" | head -1)"
has_xattr "$f" security.evm || fail "the good operand beside a missing one was not signed"
pass

# what the kernel would refuse to hash
echo bare >"$WORK/bare"
expect_status 1 evm-tool sign -k "$K/rsa.key" --no-uuid "$WORK/bare"
expect_eq "evm-tool: error: $WORK/bare: no protected xattr to cover (security.ima, security.selinux, security.capability, ...)" "$(echo "$ERR" | head -1)"
setfattr -n security.selinux -v system_u:object_r:etc_t:s0 "$WORK/bare"
expect_status 1 evm-tool sign --portable -k "$K/rsa.key" "$WORK/bare"
expect_eq "evm-tool: error: $WORK/bare: a portable EVM signature needs security.ima (the kernel refuses one without it)" "$(echo "$ERR" | head -1)"
no_evm "$WORK/bare" "for a value the kernel would refuse"

# a filesystem without FS_IOC_GETVERSION (tmpfs): the generation must be given
mkdir "$WORK/tmpfs"
mount -t tmpfs tmpfs "$WORK/tmpfs" || fail "cannot mount a tmpfs"
untmpfs() { umount "$WORK/tmpfs"; }
on_exit untmpfs
cp --preserve=xattr "$f" "$WORK/tmpfs/f"  # cp skips security.evm (/etc/xattr.conf)
expect_status 3 evm-tool hmac --hmac-key "$WORK/evm-key" "$WORK/tmpfs/f"
expect_eq "evm-tool: error: $WORK/tmpfs/f: reading the inode generation (FS_IOC_GETVERSION; give --generation): Inappropriate ioctl for device" "$(echo "$ERR" | head -1)"
no_evm "$WORK/tmpfs/f" "without a generation"
expect_ok evm-tool hmac -q --hmac-key "$WORK/evm-key" --generation 1 "$WORK/tmpfs/f"
expect_ok evm-tool sign -q --portable -k "$K/rsa.key" "$WORK/tmpfs/f"   # portable needs no generation

# unreadable file and no permission to set security.*, as an unprivileged user
mkdir -m 755 "$WORK/u"
cp --preserve=xattr "$f" "$WORK/u/secret"; chmod 600 "$WORK/u/secret"
cp --preserve=xattr "$f" "$WORK/u/open"; chmod 644 "$WORK/u/open"
cp "$K/rsa.key" "$WORK/u/key"; chmod 644 "$WORK/u/key"
chmod 755 "$WORK"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
expect_status 3 as_nobody "$IMAEVM_BIN/evm-tool" show "$WORK/u/secret"
expect_eq "evm-tool: error: $WORK/u/secret: Permission denied" "$(echo "$ERR" | head -1)"
expect_status 3 as_nobody "$IMAEVM_BIN/evm-tool" sign --portable -k "$WORK/u/key" "$WORK/u/open"
expect_contains "$ERR" "$WORK/u/open: setting security.evm: "
no_evm "$WORK/u/open" "half-written by an unprivileged user"

# malformed or missing values: verify names the file and the field
for v in 0x05 0x0502 0x050204aabbccdd0100ff 0x07aabb 0x02aabb 0x0404aabb 0x0301 0x0502047c6f68e50002aabbcc; do
    setfattr -n security.evm -v "$v" "$f"
    expect_status 1 evm-tool verify -c "$K/rsa.pem" "$f"
    expect_contains "$(echo "$ERR" | head -1)" "evm-tool: error: $f: malformed security.evm: "
    expect_status 1 evm-tool show "$f"
    expect_contains "$(echo "$ERR" | head -1)" "evm-tool: error: $f: malformed security.evm: "
done
setfattr -n security.evm -v 0x0404aabb "$f"
expect_status 1 evm-tool verify "$f"
expect_eq "evm-tool: error: $f: malformed security.evm: type: 0x04 (digest-ng) is a security.ima type, not an EVM one" "$(echo "$ERR" | head -1)"
setfattr -x security.evm "$f"
expect_status 1 evm-tool verify -c "$K/rsa.pem" "$f"
expect_eq "evm-tool: error: $f: no security.evm" "$(echo "$ERR" | head -1)"
# a signature from a key we were not given, an HMAC without the key
evm-tool sign -q --portable -k "$K/other.key" "$f"
expect_status 1 evm-tool verify -c "$K/rsa.pem" "$f"
expect_contains "$ERR" "$f: no certificate for key id "
evm-tool hmac -q --hmac-key "$WORK/evm-key" "$f"
expect_status 1 evm-tool verify -c "$K/rsa.pem" "$f"
expect_eq "evm-tool: error: $f: an HMAC value (type 2) needs --hmac-key to be checked" "$(echo "$ERR" | head -1)"
head -c 32 /dev/urandom >"$WORK/other-key"
expect_status 1 evm-tool verify --hmac-key "$WORK/other-key" "$f"
expect_eq "evm-tool: error: $f: HMAC mismatch (metadata, protected xattrs or key differ)" "$(echo "$ERR" | head -1)"
# a flipped bit in the signature
evm-tool sign -q --portable -k "$K/rsa.key" "$f"
good=$(xattr_hex "$f" security.evm)
setfattr -n security.evm -v "0x${good:0:40}$(printf '%02x' $(( 0x${good:40:2} ^ 1 )))${good:42}" "$f"
expect_status 1 evm-tool verify -c "$K/rsa.pem" "$f"
expect_eq "evm-tool: error: $f: bad portable EVM signature (key 79d765db)" "$(echo "$ERR" | head -1)"
done_testing
