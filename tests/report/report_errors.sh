# report_errors.sh - bad input: one clear line on stderr, exit status 2, nothing written;
# gnuplot missing, failing or stuck: a clear error and no partial report; unknown families
# go to an "other" table and fail only when nothing is recognised.
. "$(dirname "$0")/../lib/lib.sh"

# refuse CASE EXPECTED_STDERR_PATTERN ARGS...: exit 2, one line, no --out directory
n=0
refuse() {
	what=$1
	pat=$2
	shift 2
	n=$((n + 1))
	out=$T/out$n
	"$BIN" report "$@" --out "$out" >"$T/stdout" 2>"$T/stderr"
	rc=$?
	check "$what: exit 2 (got $rc)" [ "$rc" -eq 2 ]
	check "$what: one line on stderr (got: $(cat "$T/stderr"))" [ "$(wc -l <"$T/stderr")" -eq 1 ]
	check "$what: says '$pat' (got: $(cat "$T/stderr"))" grep -q -- "$pat" "$T/stderr"
	check "$what: nothing written" [ ! -e "$out" ]
	check "$what: no temporary left" [ -z "$(ls -A "$T" | grep '^\.out')" ]
}
D=$DATA/report
refuse "empty file" "empty.json" "$D/empty.json"
refuse "truncated file" "truncated.json" "$D/truncated.json"
refuse "bare NaN" "nan.json.*malformed JSON.*NaN" "$D/nan.json"
refuse "no benchmarks" "no benchmarks in this run" "$D/no-benchmarks.json"
refuse "only workloads without a view" "no benchmark with a report view" "$D/only-unknown.json"
refuse "a run from before the rename (schema 1: no views)" "contend_schema 1 has none" "$D/v1-sample-results.json"
refuse "missing file" "nonexistent.json: No such file" "$T/nonexistent.json"
mkdir -p "$T/emptydir"
refuse "directory without results" "no results.json" "$T/emptydir"
echo '[1, 2]' >"$T/array.json"
refuse "not an object" "not a results file" "$T/array.json"
refuse "one bad among good" "truncated.json" "$DATA/sample-results.json" "$D/truncated.json"
refuse "unknown option" "unknown option '--bogus'" "$DATA/sample-results.json" --bogus
refuse "bad timeout" "plot-timeout abc" "$DATA/sample-results.json" --plot-timeout abc
refuse "no run" "give at least one RUN"

# output paths
echo x >"$T/regular"
"$BIN" report "$DATA/sample-results.json" --out "$T/regular/rep" >/dev/null 2>"$T/stderr"
check "--out under a regular file: exit 2" [ $? -eq 2 ]
check "--out under a regular file: says so" grep -q "not a directory" "$T/stderr"
"$BIN" report "$DATA/sample-results.json" --out "$T/regular" >/dev/null 2>"$T/stderr"
check "--out a regular file: exit 2" [ $? -eq 2 ]
check "--out a regular file: untouched" [ "$(cat "$T/regular")" = x ]
mkdir -p "$T/mine" && echo keep >"$T/mine/notes.txt"
"$BIN" report "$DATA/sample-results.json" --out "$T/mine" >/dev/null 2>"$T/stderr"
check "--out a directory of other things: exit 2" [ $? -eq 2 ]
check "--out a directory of other things: untouched" [ "$(ls -A "$T/mine")" = notes.txt ]

# gnuplot: missing, failing, stuck
PATH=/nonexistent "$BIN" report "$DATA/sample-results.json" --out "$T/nognuplot" >/dev/null 2>"$T/stderr"
check "no gnuplot: exit 2" [ $? -eq 2 ]
check "no gnuplot: names the package" grep -q "apt-get install gnuplot-nox" "$T/stderr"
check "no gnuplot: nothing written" [ ! -e "$T/nognuplot" ]
mkdir -p "$T/fake"
printf '#!/bin/sh\necho "line 0: simulated gnuplot failure" >&2\nexit 1\n' >"$T/fake/gnuplot"
chmod +x "$T/fake/gnuplot"
PATH=$T/fake:$PATH "$BIN" report "$DATA/sample-results.json" --out "$T/failing" >/dev/null 2>"$T/stderr"
check "gnuplot fails: exit 1" [ $? -eq 1 ]
check "gnuplot fails: says what it said" grep -q "simulated gnuplot failure" "$T/stderr"
check "gnuplot fails: no report" [ ! -e "$T/failing" ]
check "gnuplot fails: no temporary left" [ -z "$(ls -A "$T" | grep '^\.failing')" ]
printf '#!/bin/sh\nexec sleep 30\n' >"$T/fake/gnuplot"
start=$(date +%s)
PATH=$T/fake:$PATH "$BIN" report "$DATA/sample-results.json" --out "$T/stuck" --plot-timeout 0.5 \
	>/dev/null 2>"$T/stderr"
rc=$?
end=$(date +%s)
check "gnuplot stuck: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "gnuplot stuck: says so" grep -q "took longer than" "$T/stderr"
check "gnuplot stuck: stopped well before its 30 s" [ $((end - start)) -lt 20 ]
check "gnuplot stuck: no report" [ ! -e "$T/stuck" ]

# unknown families: an "other" table and a warning, the rest reported
"$BIN" report "$D/unknown-family.json" --out "$T/unknown" >/dev/null 2>"$T/stderr"
check "unknown family: exit 0" [ $? -eq 0 ]
check "unknown family: warning on stderr" grep -q "warning: 1 benchmark without a report view" "$T/stderr"
check "unknown family: other table" grep -q '^## Other results' "$T/unknown/report.md"
check "unknown family: listed" grep -q '^| zzz_future/thing/x:3/threads:1 | vm/cores | [0-9.]* ns |' "$T/unknown/report.md"
check "unknown family: the others still win" grep -q "^winner: \*\*[a-z]* = [a-z]*\*\* — harness overhead, 1 thread\|^winner: \*\*[a-z]*\*\* — harness overhead, 1 thread" "$T/unknown/report.md"

# --help
"$BIN" report --help >"$T/stdout" 2>&1
check "--help: exit 0" [ $? -eq 0 ]
check "--help: usage" grep -q '^usage: contend report RUN' "$T/stdout"
finish
