# Every malformed input in tests/data/bad/ through report, compare and baseline: exit 2,
# one line on stderr, no crash, nothing written.
. "$(dirname "$0")/../lib/lib.sh"
GOOD=$SRC/tests/data/sample-results.json
n=0
check() { # what, then the command
	what=$1
	shift
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -ne 2 ]; then
		fail "$what: exit $rc, want 2 ($(head -c 300 "$T/err"))"
	elif [ "$(wc -l <"$T/err")" -ne 1 ]; then
		fail "$what: $(wc -l <"$T/err") lines on stderr, want 1: $(head -c 300 "$T/err")"
	fi
	n=$((n + 1))
}
for f in "$SRC"/tests/data/bad/*; do
	b=$(basename "$f")
	check "report $b" "$CONTEND" report "$f" --out "$T/rep"
	[ -e "$T/rep" ] && { fail "report $b: wrote $T/rep"; rm -rf "$T/rep"; }
	check "compare $b GOOD" "$CONTEND" compare "$f" "$GOOD"
	check "compare GOOD $b" "$CONTEND" compare "$GOOD" "$f"
	check "baseline save $b" "$CONTEND" baseline save "$f" --baselines "$T/bl"
	[ -n "$(ls -A "$T/bl" 2>/dev/null)" ] && { fail "baseline save $b: wrote a baseline"; rm -rf "$T/bl"; }
done
ls -a "$SRC/tests/data/bad" | grep -q '\.tmp' && fail "a temporary file was left in tests/data/bad"
ok "$n runs over $(ls "$SRC"/tests/data/bad | wc -l) malformed files: exit 2, one line each"
finish
