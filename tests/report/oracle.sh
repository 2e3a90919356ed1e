# Winner lines against an oracle: for every answer of a chart with no x axis, cluster or
# series parameters, tests/report/oracle.jq recomputes each strategy's median of the
# declared metric from the results, and checks the winner (among the answer), the
# runner-up and the "N x" ratio the report printed (answers.json, which the answers table is
# written from). On the sample fixture here; report_live runs the same oracle on live output.
. "$(dirname "$0")/../lib/lib.sh"
need jq

for fx in "$DATA/sample-results.json"; do
	name=$(basename "$fx")
	rm -rf "$T/rep"
	"$CONTEND" report "$fx" --out "$T/rep" >/dev/null 2>"$T/err" || { fail "$name: report failed: $(cat "$T/err")"; continue; }
	jq -s -f "$SRC/tests/report/oracle.jq" "$fx" "$T/rep/answers.json" >"$T/o.json" || { fail "$name: the oracle failed"; continue; }
	n=$(jq length "$T/o.json")
	[ "$n" -ge 2 ] || fail "$name: only $n answers the oracle can check"
	check_jq "$name: every winner is the oracle's best" "$T/o.json" 'all(.[]; .winner_ok)'
	check_jq "$name: every runner-up is the oracle's" "$T/o.json" 'all(.[]; .runner_up_ok)'
	check_jq "$name: every ratio is the oracle's (relative 1e-9)" "$T/o.json" \
		'all(.[]; ((.ratio - .oracle_ratio) | fabs) <= 1e-9 * .oracle_ratio)'
	jq -r '.[] | select((.winner_ok and .runner_up_ok and ((.ratio - .oracle_ratio) | fabs) <= 1e-9 * .oracle_ratio) | not)
		| "  \(.chart): answer \(.answer) ratio \(.ratio), oracle \(.oracle_rank) \(.oracle_ratio)"' "$T/o.json" >&2
	ok "$name: $n winner lines recomputed"
done
finish
