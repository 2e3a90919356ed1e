# report_winners.sh - the winner each `winner:` line names is the one with the best figure
# in the data, for every group of comparable results, checked by winners.jq (the test's own
# reading of workload, strategy, params and the views); null figures count as missing;
# several runs are drawn side by side, each labelled.
. "$(dirname "$0")/../lib/lib.sh"

winners() { # winners RESULTS REPORT_MD -> problems on stdout (a jq failure is one)
	jq -r -R -s --slurpfile res "$1" -f "$SRC/tests/report/winners.jq" "$2" 2>&1 ||
		echo "winners.jq failed on $1"
}

# The sample: every workload has one line, naming its best strategy.
"$BIN" report "$DATA/sample-results.json" --out "$T/sample" >"$T/out" 2>"$T/err" ||
	fail "report of the sample failed: $(cat "$T/err")"
p=$(winners "$DATA/sample-results.json" "$T/sample/report.md")
check "sample winners: $p" [ -z "$p" ]
n=$(grep -c '^winner: ' "$T/sample/report.md")
check "sample: at least 20 winner lines (got $n)" [ "$n" -ge 20 ]

# The check can fail: swap the figures of two strategies and the old claims are wrong.
jq '(.benchmarks[] | select(.run_name == "lock_counter/mutex/real_time/threads:2") | .items_per_second) |= . * 100' \
	"$DATA/sample-results.json" >"$T/doctored.json"
p=$(winners "$T/doctored.json" "$T/sample/report.md")
check "doctored data is caught" [ -n "$p" ]
"$BIN" report "$T/doctored.json" --out "$T/doctored" >/dev/null 2>&1 || fail "report of doctored data"
p=$(winners "$T/doctored.json" "$T/doctored/report.md")
check "doctored winners: $p" [ -z "$p" ]
check "doctored: mutex now wins at 2 threads" \
	grep -q '^winner: \*\*mutex\*\* — shared counter, 2 threads' "$T/doctored/report.md"

# null where a figure would be is missing, not zero and not a crash
"$BIN" report "$DATA/report/nulls.json" --out "$T/nulls" >/dev/null 2>"$T/err" ||
	fail "report with nulls failed: $(cat "$T/err")"
p=$(winners "$DATA/report/nulls.json" "$T/nulls/report.md")
check "nulls winners: $p" [ -z "$p" ]
check "nulls: spin shows no figure" grep -q '^| spin | [12] | — | — | 0 | — | no figure' "$T/nulls/report.md"
check "nulls: spin does not win" sh -c "! grep -q '^winner: \*\*spin' '$T/nulls/report.md'"

# a second run: a chart per run side by side, titled by host and placement, winners per run
H=$(jq -r .context.host_name "$DATA/sample-results.json")
"$BIN" report "$DATA/sample-results.json" "$DATA/report/scatter-results.json" --out "$T/two" \
	>/dev/null 2>"$T/err" || fail "report of two runs failed: $(cat "$T/err")"
check "two runs: a chart each" [ -s "$T/two/lock_counter-r1.csv" ] && [ -s "$T/two/lock_counter-r2.csv" ]
check "two runs: each chart names its run" grep -q "run 2 of 2: $H/scatter" "$T/two/lock_counter-r2.gp"
check "two runs: winner lines per run" grep -q "^winner: .*\[$H/scatter\]" "$T/two/report.md"
# two runs of one host and placement: told apart by their stamp
mkdir -p "$T/20261201T100000Z-1" "$T/20261201T110000Z-2"
cp "$DATA/sample-results.json" "$T/20261201T100000Z-1/results.json"
cp "$DATA/sample-results.json" "$T/20261201T110000Z-2/results.json"
"$BIN" report "$T/20261201T100000Z-1" "$T/20261201T110000Z-2" --out "$T/same" >/dev/null \
	2>"$T/err" || fail "report of two runs of one placement failed: $(cat "$T/err")"
check "same placement: labelled by stamp" grep -q "run 2 of 2: $H/cores @20261201T110000Z-2" "$T/same/lock_counter-r2.gp"
"$BIN" report "$DATA/report/scatter-results.json" --out "$T/scatter" >/dev/null 2>&1 || fail "scatter"
p=$(winners "$DATA/report/scatter-results.json" "$T/scatter/report.md")
check "scatter winners: $p" [ -z "$p" ]
# at 1 thread faa_relaxed, tas and ticket tie and mutex, the baseline, is the best outside
# the tie: its ratio is said once
check "scatter: a baseline that is the best outside the tie is named once" \
	sh -c "! grep -q 'better than \([a-z_/]*\) (the best outside the tie), [0-9.]*× better than \1;' '$T/scatter/report.md'"
finish
