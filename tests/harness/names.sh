#!/bin/sh
# names.sh CONTEND SRC - one name grammar: every registered benchmark's name is exactly the
# composition <workload>/<strategy>[/<key>:<value>]... of what it declared, then Google
# Benchmark's /real_time or /manual_time and /threads:N; every workload has a view; every
# result of a --quick run carries workload, strategy and params, and its name is their
# composition; the columns of `contend list` say the same as --json.
set -eu
BIN=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# jq failing must fail the test (no pipefail in sh): every query goes through q
# (q writes $T/q; called outside $(...) so that its fail ends the script)
q() { jq -r "def compose: .workload + \"/\" + .strategy + ([.params | to_entries[] | \"/\\(.key):\\(.value)\"] | join(\"\")); $1" "$2" >"$T/q" || fail "jq failed: $1"; }
CONTEND_TEST_BENCHES=1 "$BIN" list --json >"$T/list.json" || fail "list --json"
n=$(jq length "$T/list.json")
[ "$n" -gt 1000 ] || fail "only $n instances listed"
q '.[] | select((.name | sub("(/real_time|/manual_time)?/threads:[0-9]+$"; "")) != compose) | .name' "$T/list.json"
bad=$(head -3 "$T/q")
[ -z "$bad" ] || fail "names not composed from their parts: $bad"
# the grammar's parts: no '/' in a workload, strategy or value, no ':' in a key
q '.[] | select((.workload + .strategy) | test("[/:]")) | .name' "$T/list.json"
bad=$(head -3 "$T/q")
[ -z "$bad" ] || fail "a workload or strategy with / or : : $bad"
q '.[] | select([.params | to_entries[] | (.key | test("[/:]")) or (.value | test("/"))] | any) | .name' "$T/list.json"
bad=$(head -3 "$T/q")
[ -z "$bad" ] || fail "a parameter with / or : : $bad"
echo "ok: $n names composed from workload, strategy and params"
# threads that can finish at different times share one window (window.h): a registration
# with more than one benchmark thread is windowed, unless its threads advance in lockstep
# or share nothing
q '.[] | select(.threads > 1 and .timing == "one thread") | .name' "$T/list.json"
bad=$(head -3 "$T/q")
[ -z "$bad" ] || fail "contended rows not windowed: $bad"
echo "ok: every multi-threaded registration declares how its threads are timed"

# the columns say what --json says
CONTEND_TEST_BENCHES=1 "$BIN" list >"$T/list.txt"
[ "$(wc -l <"$T/list.txt")" -eq "$n" ] || fail "list and list --json differ in length"
q '.[] | [.name, .workload, .strategy, (if (.params | length) == 0 then "-" else ([.params | to_entries[] | "\(.key):\(.value)"] | join(" ")) end)] | @tsv' "$T/list.json"
mv "$T/q" "$T/want"
cut -f1,3,4,5 "$T/list.txt" >"$T/got"
cmp -s "$T/want" "$T/got" || { diff "$T/want" "$T/got" | head >&2; fail "columns differ from --json"; }
echo "ok: list's columns"

# a --quick run: every result carries its parts, and every workload its view
"$BIN" run --quick --min-time 0.001 --repetitions 1 --out "$T/r.json" >/dev/null 2>"$T/err" ||
	{ tail -5 "$T/err" >&2; fail "run --quick"; }
q '.benchmarks[] | select((.workload and .strategy and (.params | type) == "object" and ((compose) as $c | .name | startswith($c + "/"))) | not) | .name' "$T/r.json"
bad=$(head -3 "$T/q")
[ -z "$bad" ] || fail "results without their parts, or a name that is not their composition: $bad"
q '.context.contend_views as $v | [.benchmarks[].workload] | unique[] | select($v[.] == null)' "$T/r.json"
bad=$(head -3 "$T/q")
[ -z "$bad" ] || fail "workloads without a view: $bad"
q '.context.contend_views | to_entries[] | select(.value.table | not) | select((.value.metric // "") == "" or (.value.direction | test("^(higher|lower)_is_better$") | not)) | .key' "$T/r.json"
bad=$(head -3 "$T/q")
[ -z "$bad" ] || fail "views without a metric and direction: $bad"
[ "$(jq '.context.contend_schema' "$T/r.json")" = 2 ] || fail "contend_schema is not 2"
echo "ok: $(jq '.benchmarks | length' "$T/r.json") results of --quick carry workload, strategy, params; every workload a view"

# the harness knows no family: no workload a family registers is a string literal in
# harness/ (the rename map, harness/results/names-v1.tsv, is data and is not searched)
SRC=$2
q '[.[].workload] | unique | .[]' "$T/list.json"
bad=$(while read -r w; do grep -rlF "\"$w" "$SRC/harness" --include='*.c' --include='*.h' --include='*.cc'; done <"$T/q" | sort -u)
[ -z "$bad" ] || fail "a family's workload named in harness/: $bad"
echo "ok: no workload named in harness/"
