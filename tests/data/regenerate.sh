#!/bin/sh
# regenerate.sh - remake the report fixtures from real `contend run` output (contend_schema
# 2, with the views), so that every name in them is a name `contend list` prints.
#
#   tests/data/regenerate.sh [BUILD_DIR]     (default build/release; run from the source tree)
#
# Each fixture is one short run of this build; jq then pins what a test must find whatever
# the machine did (one repetition moved by placement drift, one benchmark that failed, a
# figure that is null, a workload without a view). Figures stay as measured: tests check
# what the report says about them, never the figures themselves. Not run by ctest (it
# measures); run it after a change to the names, the views or the results' shape, and
# commit what it wrote. tests/data/compare, tests/data/history and tests/data/bad are made
# elsewhere; tests/data/report/v1-sample-results.json is a run from before the rename
# (contend_schema 1), kept as it was on purpose.
set -eu
BUILD=${1:-build/release}
BIN=$BUILD/contend
DATA=$(dirname "$0")
[ -x "$BIN" ] || {
	echo "regenerate.sh: no $BIN: build first (cmake --build --preset release)" >&2
	exit 2
}
command -v jq >/dev/null || {
	echo "regenerate.sh: jq is needed: apt-get install jq" >&2
	exit 2
}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

run() { # run OUT ARGS...: a short real run, three repetitions
	out=$1
	shift
	echo "regenerate.sh: contend run $* -> $out" >&2
	"$BIN" run --min-time 0.01 --repetitions 3 --out "$T/$out" "$@" 2>"$T/$out.log" || {
		rc=$?
		[ "$rc" -eq 1 ] || {
			cat "$T/$out.log" >&2
			exit "$rc"
		}
	}
}

# The sample: the quick profile, every family. Pinned: the second repetition of
# lock_counter/ticket at 2 threads drifted (RTT to 338 ns); every repetition of one channel
# benchmark failed on its deadline.
run sample --quick
FAILED=$(jq -r '[.benchmarks[] | select(.workload == "chan_throughput" and .strategy == "mutex_ring") | .run_name][0]' "$T/sample")
jq --arg failed "$FAILED" '
  .benchmarks |= map(
    if .run_name == "lock_counter/ticket/real_time/threads:2" and .run_type == "iteration"
    then (if .repetition_index == 1 then .drift = 1 | .rtt_after_ns = 338
          else .drift = 0 | .rtt_after_ns = .rtt_before_ns end)
    else . end
    | if .run_name == $failed then
        if .run_type == "aggregate" then empty
        else {name, run_name, run_type, repetitions, repetition_index, threads,
              workload, strategy, params, error_occurred: true,
              error_message: "deadline: 300 s passed, the benchmark was stopped"} end
      else . end)' "$T/sample" >"$DATA/sample-results.json"

# Another placement of one workload, to overlay.
run scatter --filter '^lock_counter/(mutex|ticket|faa_relaxed|tas)/' --threads 1,2 --placement scatter
cp "$T/scatter" "$DATA/report/scatter-results.json"

# null where a figure would be (what contend writes for a NaN): spin has none.
run nulls --filter '^lock_counter/(mutex|spin|ttas)/' --threads 1,2
jq '.benchmarks |= map(if .strategy == "spin" then .items_per_second = null | .real_time = null
  | .cpu_time = null else . end)' "$T/nulls" >"$DATA/report/nulls.json"

# A workload without a view (a family newer than the report's reader): the "other" table.
run overhead --filter '^overhead_null/'
jq '.benchmarks += [.benchmarks[0] | .name = "zzz_future/thing/x:3/threads:1"
  | .run_name = .name | .workload = "zzz_future" | .strategy = "thing" | .params = {x: "3"}]' \
	"$T/overhead" >"$DATA/report/unknown-family.json"
# Nothing with a view: refused.
jq '.context.contend_views = {}' "$T/overhead" >"$DATA/report/only-unknown.json"
echo "regenerate.sh: wrote $DATA/sample-results.json and $DATA/report/{scatter-results,nulls,unknown-family,only-unknown}.json" >&2
