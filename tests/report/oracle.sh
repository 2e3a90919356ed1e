# Winner lines against an oracle: for every answer of a chart with no x axis, cluster or
# series parameters, tests/report/oracle.jq recomputes from the results each strategy's
# median and spread of the declared metric, and checks what the report printed
# (answers.json, which the answers table is written from, and the winner lines of
# report.md): the winner and the strategies tied with it, the runner-up, the "N x" ratios to
# the runner-up and to the baseline, the word for how sure the line is, and the best's
# figure in round trips. On the sample fixture, and on a copy of it with no repetition
# marked, one strategy's round trips doubled and two strategies set 10 % apart (so "tie",
# "clear" and "not comparable" are reached, not only "unreliable"). oracle_sweep.jq does the
# same for the charts with an x axis: the answer and each segment of the sweep. Both restate
# the report's rules in oracle_lib.jq; report_live runs them on live output.
. "$(dirname "$0")/../lib/lib.sh"
need jq

# the copy: no mark, the spin strategy's round trips doubled (measured at another vCPU
# placement than the others: its lines are not comparable), and the harness overhead's two
# strategies set 10 % apart with a 1 % spread (a clear win, not a tie)
jq '.benchmarks |= map((if .run_type == "iteration" then .drift = 0 | .disturbed = 0 else . end)
	| if .strategy == "spin" and .rtt_before_ns != null and .aggregate_name != "cv" then .rtt_before_ns *= 2 else . end)
	| .benchmarks |= map(select(.workload != "overhead_null" or .run_type == "iteration")
	| if .workload == "overhead_null" then .real_time = (if .strategy == "c" then 1 else 1.1 end) + 0.01 * .repetition_index
	  else . end)' \
	"$DATA/sample-results.json" >"$T/steady-results.json" || die "cannot write the steady copy"
# oracle JQ OUT MIN WHAT: run tests/report/JQ over $fx and the report's answers into $T/OUT,
# which must hold at least MIN entries; sets n to their count
oracle() {
	jq -L "$SRC/tests/report" -s -f "$SRC/tests/report/$1" "$fx" "$T/rep/answers.json" >"$T/$2" ||
		{ fail "$name: $1 failed"; return 1; }
	n=$(jq length "$T/$2")
	[ "$n" -ge "$3" ] || fail "$name: only $n $4 $1 can check"
}
for fx in "$DATA/sample-results.json" "$T/steady-results.json"; do
	name=$(basename "$fx")
	rm -rf "$T/rep"
	"$CONTEND" report "$fx" --out "$T/rep" >/dev/null 2>"$T/err" || { fail "$name: report failed: $(cat "$T/err")"; continue; }
	oracle oracle.jq o.json 2 answers || continue
	nwin=$n
	check_jq "$name: every winner is the oracle's best" "$T/o.json" 'all(.[]; .winner_ok)'
	check_jq "$name: every answer is the oracle's tie (or the best alone)" "$T/o.json" 'all(.[]; .answer_ok)'
	check_jq "$name: every runner-up is the oracle's" "$T/o.json" 'all(.[]; .runner_up_ok)'
	check_jq "$name: every ratio is the oracle's (relative 1e-9)" "$T/o.json" \
		'all(.[]; ((.ratio - .oracle_ratio) | fabs) <= 1e-9 * .oracle_ratio)'
	check_jq "$name: every ratio to the baseline is the oracle's" "$T/o.json" 'all(.[]; .base_ok)'
	check_jq "$name: every line is as sure as the oracle says" "$T/o.json" 'all(.[]; .sure_ok)'
	jq -r '.[] | select((.winner_ok and .answer_ok and .runner_up_ok and .base_ok and .sure_ok
		and ((.ratio - .oracle_ratio) | fabs) <= 1e-9 * .oracle_ratio) | not)
		| "  \(.chart): answer \(.answer) \(.sure) ratio \(.ratio) base \(.base_ratio), oracle \(.oracle_answer) \(.oracle_sure) \(.oracle_rank) \(.oracle_ratio) base \(.oracle_base_ratio)"' "$T/o.json" >&2
	if [ "$name" = steady-results.json ]; then
		check_jq "$name: the oracle sees a tie, a clear line and one not comparable" "$T/o.json" \
			'any(.[]; .oracle_sure == "tie") and any(.[]; .oracle_sure == "clear" and .oracle_ratio < 1.2)
			and any(.[]; .oracle_sure == "not comparable")'
	fi
	# and the answers table says it: "| A = B | R× RU |" on the question's row, R the
	# oracle's ratio in the report's figures (2 decimals below 10, 1 below 100, else none)
	jq -r '.[] | [.anchor, (.answer | join(" = ")), .oracle_ratio, .runner_up] | @tsv' "$T/o.json" |
		while IFS="$(printf '\t')" read -r anchor ans ratio ru; do
			r=$(awk -v v="$ratio" 'BEGIN { if (v < 10) printf "%.2f", v; else if (v < 100) printf "%.1f", v; else printf "%.0f", v }')
			grep -F "(#$anchor)" "$T/rep/report.md" | grep -qF "| $ans | ${r}× $ru |" ||
				echo "$anchor: no \"| $ans | ${r}× $ru |\" on its row"
		done >"$T/rows"
	[ ! -s "$T/rows" ] || { fail "$name: the answers table disagrees with the oracle"; cat "$T/rows" >&2; }
	# the winner line's figure in round trips: "; U RTT per op" (three significant digits)
	jq -r '.[] | select(.oracle_rtt != null) | [.best_name, .oracle_rtt.u, .oracle_rtt.what] | @tsv' "$T/o.json" |
		while IFS="$(printf '\t')" read -r best u what; do
			t=$(awk -v v="$u" 'BEGIN { a = v < 0 ? -v : v; if (a >= 1e6) printf "%.3g", v; else if (a >= 100 || a == 0) printf "%.0f", v;
				else if (a >= 10) printf "%.1f", v; else printf "%.2f", v }')
			grep -F "best=$best;" "$T/rep/report.md" | grep '^winner:' | grep -qF "; $t RTT $what" ||
				echo "$best: no \"; $t RTT $what\" on its winner line"
		done >"$T/units"
	[ "$(jq '[.[] | select(.oracle_rtt != null)] | length' "$T/o.json")" -ge 1 ] ||
		fail "$name: no winner line in round trips to check"
	[ ! -s "$T/units" ] || { fail "$name: a winner line's round trips disagree with the oracle"; cat "$T/units" >&2; }
	# the charts with an x axis: the answer and each segment of the sweep
	oracle oracle_sweep.jq sw.json 3 sweeps || continue
	check_jq "$name: every sweep's answer is the oracle's" "$T/sw.json" 'all(.[]; .answer_ok)'
	check_jq "$name: every sweep's segments are the oracle's" "$T/sw.json" 'all(.[]; .sweep_ok)'
	jq -r '.[] | select((.answer_ok and .sweep_ok) | not) | "  \(.chart): \(.sweep) \(.answer), oracle \(.oracle_sweep) \(.oracle_answer)"' "$T/sw.json" >&2
	ok "$name: $nwin winner lines and $n sweeps recomputed"
done
finish
