#!/bin/sh
# make_fixtures.sh TEMPLATE.json OUTDIR - regenerate tests/data/history/vm/ (not run by ctest).
#
# TEMPLATE is a real run with 5 repetitions, e.g.
#   contend run --filter '^overhead_null/c/|^atomic_faa/relaxed/sharing:shared/' --min-time 0.005 \
#       --repetitions 5 --out /tmp/t/results.json
# Its structure is kept; its measured values are replaced by fixed ones so that the verdicts
# do not depend on this machine's noise: every repetition is the benchmark's base value
# times (1 + 0.01 * (repetition_index - 2)) times the run's factor, and nothing is marked
# drift or disturbed. Run 3 (no context date: ordered by its stamp) slows
# atomic_faa/relaxed/sharing:shared/real_time/threads:2 down by 25 %: the one transition compare flags;
# run 4 brings it back (an improvement, not flagged). Run 2's date has a +02:00 offset.
set -eu
TEMPLATE=$1
OUT=$2
mk() { # mk DIR DATE FACTOR SLOW
	mkdir -p "$OUT/$1"
	jq --arg date "$2" --argjson f "$3" --argjson slow "$4" '
	def base: if test("^atomic_faa/relaxed/sharing:shared/real_time/threads:1") then 2.4
		elif test("^atomic_faa/relaxed/sharing:shared/real_time/threads:2") then 5.0 else 0.48 end;
	def fac: if ($slow and test("^atomic_faa/relaxed/sharing:shared/real_time/threads:2")) then 1.25 else 1 end;
	def med: sort | if length % 2 == 1 then .[length / 2 | floor]
		else (.[length / 2 - 1] + .[length / 2]) / 2 end;
	def mean: add / length;
	def sd: (mean) as $m | (map((. - $m) * (. - $m)) | add / (length - 1)) | sqrt;
	(if $date == "" then .context |= del(.date) else .context.date = $date end)
	| .context.load_avg_before = [0.1, 0.1, 0.1]
	| .benchmarks |= map(
		if .run_type == "iteration" then
			((.run_name | base) * (.run_name | fac) * $f * (1 + 0.01 * (.repetition_index - 2))) as $t
			| .real_time = $t | .cpu_time = $t * .threads | .ns_per_op = $t
			| (if .items_per_second then .items_per_second = 1e9 / $t else . end)
			| .drift = 0 | .disturbed = 0 | .disturbed_pct = 0.5
		else . end)
	| .benchmarks as $all
	| .benchmarks |= map(
		if .run_type == "aggregate" then
			. as $a
			| [$all[] | select(.run_type == "iteration" and .run_name == $a.run_name)] as $it
			| reduce ("real_time", "cpu_time", "items_per_second") as $k (.;
				if .[$k] == null then . else
				($it | map(.[$k])) as $v
				| .[$k] = (if $a.aggregate_name == "mean" then ($v | mean)
					elif $a.aggregate_name == "median" then ($v | med)
					elif $a.aggregate_name == "stddev" then ($v | sd)
					else ($v | sd) / ($v | mean) end) end)
			| .drift = 0 | .disturbed = 0 | .disturbed_pct = 0.5
		else . end)' "$TEMPLATE" >"$OUT/$1/results.json"
}
mk 20261120T100000.000Z-101 2026-11-20T10:00:00+00:00 1.00 false
mk 20261121T100000.000Z-102 2026-11-21T12:00:00+02:00 1.01 false
mk 20261122T100000.000Z-103 "" 0.995 true
mk 20261123T100000.000Z-104 2026-11-23T10:00:00+00:00 1.005 false
