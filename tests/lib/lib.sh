# tests/lib/lib.sh - the one shell library of the tests, sourced by each: sh TEST.sh
# CONTEND_BIN SOURCE_DIR. Sets CONTEND (absolute; BIN is the same), SRC, DATA (the
# fixtures), T (a scratch directory removed on exit), and:
#   fail MSG            count a failure, go on          die MSG   fail and end now
#   ok [MSG]            count a pass (MSG printed)      check DESCRIPTION COMMAND...
#   check_jq DESCRIPTION FILE EXPR   a pass if the jq EXPR over FILE prints true
#   skip REASON         end as skipped: exit 77, which ctest shows as "Skipped"
#   finish              end: 1 if anything failed, else 0
#   need PROGRAM [PKG]  a program the test cannot do without (a failure, not a skip)
#   failed_section FILE the names under the "contend: N runs failed:" heading `run` prints
#                       on stderr (the progress lines are not part of it)
#   is_tsan             the contend program is a ThreadSanitizer build (5-15x slower)
set -u
CONTEND=$1
case $CONTEND in /*) ;; *) CONTEND=$(pwd)/$CONTEND ;; esac
BIN=$CONTEND
SRC=${2:-$(cd "$(dirname "$0")/../.." && pwd)}
DATA=$SRC/tests/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
passes=0
fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}
ok() {
	passes=$((passes + 1))
	[ $# -eq 0 ] || echo "ok: $*"
}
check() { # check DESCRIPTION COMMAND...
	_d=$1
	shift
	if "$@"; then ok; else fail "$_d"; fi
}
check_jq() { # check_jq DESCRIPTION FILE EXPR
	if [ "$(jq -r "$3" "$2" 2>&1)" = true ]; then ok; else fail "$1"; fi
}
finish() {
	echo "$passes passed, $fails failed"
	[ "$fails" -eq 0 ] || exit 1
	exit 0
}
die() {
	fail "$@"
	finish
}
skip() {
	echo "SKIP: $*"
	exit 77
}
need() { # need PROGRAM [DEBIAN_PACKAGE]
	command -v "$1" >/dev/null 2>&1 || die "$1 is needed: apt-get install ${2:-$1}"
}
failed_section() { # failed_section STDERR_FILE: "N" on the first line, then the names
	awk '/^contend: [0-9]+ runs? failed:$/ { n = $2; on = 1; print n; next }
		on && /^  / { sub(/^  /, ""); sub(/: .*/, ""); print; next }
		{ on = 0 }' "$1"
}
is_tsan() { grep -aq __tsan_init "$CONTEND"; }
need jq
