# The man page the build made from --help renders, and says what the program's help says.
set -u
BUILD=$1
PAGE=$BUILD/contend.1
[ -f "$PAGE" ] || { echo "FAIL: $PAGE not built" >&2; exit 1; }
if command -v man >/dev/null 2>&1; then
	out=$(MANWIDTH=100 man -l "$PAGE" 2>"$BUILD/contend.1.err") || { echo "FAIL: man -l" >&2; exit 1; }
	[ -s "$BUILD/contend.1.err" ] && { echo "FAIL: man -l complained:" >&2; cat "$BUILD/contend.1.err" >&2; exit 1; }
elif command -v groff >/dev/null 2>&1; then
	out=$(groff -man -Tutf8 "$PAGE" 2>&1)
else
	echo "skipped: neither man nor groff installed"
	exit 77
fi
fails=0
for w in NAME SYNOPSIS COMMANDS 'usage: contend run' '--dry-run' 'usage: contend report'; do
	echo "$out" | grep -q -- "$w" || { echo "FAIL: the rendered page lacks '$w'" >&2; fails=1; }
done

[ "$fails" -eq 0 ] && echo "all checks passed"
exit "$fails"
