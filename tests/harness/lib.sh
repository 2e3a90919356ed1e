# Shared by the harness's shell tests: sh TEST.sh CONTEND_BIN SOURCE_DIR
set -u
CONTEND=$1
case $CONTEND in /*) ;; *) CONTEND=$(pwd)/$CONTEND ;; esac
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}
ok() {
	echo "ok: $*"
}
finish() {
	if [ "$fails" -ne 0 ]; then
		echo "$fails check(s) failed" >&2
		exit 1
	fi
	echo "all checks passed"
	exit 0
}
command -v jq >/dev/null 2>&1 || { echo "jq is needed (apt-get install jq)" >&2; exit 1; }
