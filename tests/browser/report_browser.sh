# report_browser.sh - report.html of the sample in headless Chromium (check_report.js):
# answers above the fold, charts that decode and hide a series on a click, no console error,
# a screenshot. SKIP (exit 77) where chromium or node is missing, never a pass.
#   sh report_browser.sh CONTEND_BIN SRC_DIR SCREENSHOT.png
set -u
BIN=$1
SRC=$2
SHOT=$3
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || {
	echo "SKIP: chromium is not installed (apt-get install chromium)"
	exit 77
}
command -v node >/dev/null || {
	echo "SKIP: node is not installed"
	exit 77
}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$BIN" report "$SRC/tests/data/sample-results.json" --out "$T/rep" >/dev/null 2>"$T/err" || {
	echo "FAIL: report: $(cat "$T/err")"
	exit 1
}
node --experimental-websocket "$SRC/tests/browser/check_report.js" "$CHROMIUM" "$T/rep/report.html" \
	"$SHOT" >"$T/out" 2>&1
rc=$?
grep -v -e 'ExperimentalWarning' -e 'trace-warnings' "$T/out"
exit $rc
