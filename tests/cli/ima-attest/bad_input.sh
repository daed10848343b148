#!/usr/bin/env bash
# Usage errors exit 2, environment errors 3, malformed input 1, each one line.
. "$TESTS_DIR/lib/assert.sh"
. "$(dirname "$0")/lib.sh"

one_line_status() {  # one_line_status N MESSAGE CMD...
    local want=$1 msg=$2
    shift 2
    expect_status "$want" "$@"
    expect_one_line "$ERR"
    expect_eq "$msg" "$ERR"
}

pcrs="sha1,$SYN/ng.log.pcrs.sha1"
# Usage
one_line_status 2 "ima-attest: error: --pcrs excludes --tpm" ima-attest replay "$SYN/ng.log" --pcrs "$pcrs" --tpm
one_line_status 2 "ima-attest: error: --bank: 'md5' is not a PCR bank (sha1, sha256, sha384, sha512, all)" \
    ima-attest replay "$SYN/ng.log" --pcrs "$pcrs" --bank md5
one_line_status 2 "ima-attest: error: unknown hash algorithm 'sha999'" ima-attest replay "$SYN/ng.log" --pcrs "$pcrs" --bank sha999
one_line_status 2 "ima-attest: error: --pcrs: 'md5' is not a PCR bank (sha1, sha256, sha384, sha512)" \
    ima-attest replay "$SYN/ng.log" --pcrs "md5,$SYN/ng.log.pcrs.sha1"
one_line_status 2 "ima-attest: error: --canonical means little-endian; it conflicts with --byte-order big" \
    ima-attest show --canonical --byte-order big "$SYN/ng.log"
expect_status 2 ima-attest show --byte-order middle "$SYN/ng.log"
expect_one_line "$ERR"
expect_status 2 ima-attest
expect_status 2 ima-attest frobnicate

# Environment: missing files, a bank the source lacks, no sysfs TPM.
one_line_status 3 "ima-attest: error: $WORK/missing.log: No such file or directory" ima-attest show "$WORK/missing.log"
one_line_status 3 "ima-attest: error: $WORK/missing: No such file or directory" \
    ima-attest replay "$SYN/ng.log" --pcrs "sha256,$WORK/missing"
one_line_status 3 "ima-attest: error: $SYN/ng.log.pcrs.sha1: no sha256 PCR bank" \
    ima-attest replay "$SYN/ng.log" --pcrs "$pcrs" --bank sha256
mkdir -p "$WORK/notpm"
one_line_status 3 "ima-attest: error: $WORK/notpm: no pcr-<algo> directories (no TPM 2.0, or a kernel older than 5.12)" \
    ima-attest replay "$SYN/ng.log" --sysfs-dir "$WORK/notpm"
# The list uses PCR 11, the file has no value for it.
grep -v '^PCR-11' "$SYN/all.log.pcrs.sha1" >"$WORK/no11"
one_line_status 3 "ima-attest: error: $WORK/no11: no value for sha1 PCR 11, which the list extends" \
    ima-attest replay "$SYN/all.log" --pcrs "$WORK/no11"
# A directory as the list.
expect_status 3 ima-attest show "$WORK"
expect_one_line "$ERR"

# Malformed input: each names the file and the place.
head -c 100 "$SYN/ng.log" >"$WORK/cut.log"
one_line_status 1 "ima-attest: error: $WORK/cut.log: entry 1 at byte 0: measurement list: truncated at byte 38 (need 63, have 62)" \
    ima-attest show "$WORK/cut.log"
printf 'garbage that is no list at all' >"$WORK/garbage"
one_line_status 1 "ima-attest: error: $WORK/garbage: not a measurement list: the first entry has no plausible PCR number and name length in either byte order" \
    ima-attest show "$WORK/garbage"
printf 'PCR-10: 1234\n' >"$WORK/short.pcrs"
one_line_status 1 "ima-attest: error: $WORK/short.pcrs: line 1: PCR-10 has 2 bytes, a sha1 PCR has 20" \
    ima-attest replay "$SYN/ng.log" --pcrs "$WORK/short.pcrs"
done_testing
