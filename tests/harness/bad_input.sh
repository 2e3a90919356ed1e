# Bad input: one clear line on stderr, exit status 2, no file written.
. "$(dirname "$0")/../lib/lib.sh"
cd "$T" || exit 1
touch regular
expect_2() { # description, then the command
	what=$1
	shift
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	lines=$(wc -l <"$T/err")
	if [ "$rc" -ne 2 ]; then
		fail "$what: exit $rc, want 2"
	elif [ "$lines" -ne 1 ]; then
		fail "$what: $lines lines on stderr, want 1: $(cat "$T/err")"
	elif ! grep -q '^contend: ' "$T/err"; then
		fail "$what: message does not start with 'contend: ': $(cat "$T/err")"
	else
		ok "$what: $(cat "$T/err")"
	fi
	if [ -e "$T/results" ]; then
		fail "$what: wrote results/"
		rm -rf "$T/results"
	fi
}
F=--filter=^overhead_null/c/
expect_2 "unknown subcommand" "$CONTEND" frobnicate
expect_2 "no subcommand" "$CONTEND"
expect_2 "unknown flag" "$CONTEND" run --frobnicate
expect_2 "unknown placement" "$CONTEND" run --placement diagonal $F
expect_2 "unknown placement (topo)" "$CONTEND" topo --placement diagonal
expect_2 "CPU not present" "$CONTEND" run --cpus 0,4097 $F
expect_2 "CPU not present (topo)" "$CONTEND" topo --cpus 99999
expect_2 "malformed CPU list" "$CONTEND" run --cpus 0,,1 $F
expect_2 "-n 0" "$CONTEND" topo -n 0
expect_2 "--threads 0" "$CONTEND" run --threads 0 $F
expect_2 "--threads 1,x" "$CONTEND" run --threads 1,x $F
expect_2 "--repetitions 0" "$CONTEND" run --repetitions 0 $F
expect_2 "--timeout -1" "$CONTEND" run --timeout -1 $F
expect_2 "--min-time abc" "$CONTEND" run --min-time abc $F
expect_2 "bad regex" "$CONTEND" run --filter '('
expect_2 "filter matches nothing" "$CONTEND" run --filter '^no_such_benchmark$'
expect_2 "--out under a regular file (ENOTDIR)" "$CONTEND" run $F --out regular/results.json
expect_2 "--out a device" "$CONTEND" run $F --out /dev/full
expect_2 "--out a directory" "$CONTEND" run $F --out "$T"
expect_2 "missing option value" "$CONTEND" run --out
expect_2 "--quick with --full" "$CONTEND" run --quick --full
expect_2 "--placement with --cpus" "$CONTEND" run --placement compact --cpus 0
expect_2 "synthetic topology given to run" env HWLOC_SYNTHETIC="pack:2 core:2 pu:2" "$CONTEND" run $F
expect_2 "bad synthetic topology (topo)" "$CONTEND" topo --synthetic "pack:2 frob:3"
expect_2 "list: unknown flag" "$CONTEND" list --frobnicate
[ -c /dev/full ] || fail "/dev/full was replaced"
[ -f regular ] && [ ! -s regular ] || fail "the regular file was changed"
finish
