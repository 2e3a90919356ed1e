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
	# and the answers table says it: "| A = B | R× RU |" on the question's row, R the
	# oracle's ratio in the report's figures (2 decimals below 10, 1 below 100, else none)
	jq -r '.[] | [.anchor, (.answer | join(" = ")), .oracle_ratio, .runner_up] | @tsv' "$T/o.json" |
		while IFS="$(printf '\t')" read -r anchor ans ratio ru; do
			r=$(awk -v v="$ratio" 'BEGIN { if (v < 10) printf "%.2f", v; else if (v < 100) printf "%.1f", v; else printf "%.0f", v }')
			grep -F "(#$anchor)" "$T/rep/report.md" | grep -qF "| $ans | ${r}× $ru |" ||
				echo "$anchor: no \"| $ans | ${r}× $ru |\" on its row"
		done >"$T/rows"
	[ ! -s "$T/rows" ] || { fail "$name: the answers table disagrees with the oracle"; cat "$T/rows" >&2; }
	ok "$name: $n winner lines recomputed"
done
finish
