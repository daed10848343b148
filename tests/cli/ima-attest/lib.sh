# Shared by the ima-attest shell tests: the synthetic lists and their writer.
FIX=$TESTS_DIR/fixtures/attest
SYN=$FIX/synthetic
KEYS=$TESTS_DIR/fixtures/keys
need python3
mklog() { python3 "$FIX/mklog.py" "$@"; }
mkeventlog() { python3 "$FIX/mkeventlog.py" "$@"; }
# pcrs_args LOG KIND: --pcrs options for the sha1 and sha256 files mklog.py wrote.
pcrs_args() { echo "--pcrs sha1,$1.$2.sha1 --pcrs sha256,$1.$2.sha256"; }
