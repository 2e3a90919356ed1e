# lib.sh - shared by the report tests: sh x.sh CONTEND_BIN SRC_DIR
set -u
BIN=$1
SRC=$2
DATA=$SRC/tests/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
passes=0
ok() { passes=$((passes + 1)); }
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
check() { # check DESCRIPTION COMMAND...
	d=$1
	shift
	if "$@"; then ok; else fail "$d"; fi
}
finish() {
	echo "$passes passed, $fails failed"
	[ "$fails" -eq 0 ]
}
command -v jq >/dev/null 2>&1 || {
	echo "jq is needed: apt-get install jq"
	exit 1
}
