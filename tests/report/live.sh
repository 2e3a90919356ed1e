# live.sh - what scripts/bench does, on live output: `contend run --quick` (shortened), then
# `contend report` on its results; every workload the run carries has its section, and
# every workload with a chart view its chart (a .gp and a PNG named after it), and the
# answers table comes first.
. "$(dirname "$0")/../lib/lib.sh"

"$BIN" run --quick --min-time 0.005 --repetitions 1 --out "$T/run/results.json" >/dev/null 2>"$T/err" ||
	[ $? = 1 ] || die "run --quick failed: $(tail -3 "$T/err")"
"$BIN" report "$T/run" --out "$T/rep" >/dev/null 2>"$T/err" || die "report failed: $(cat "$T/err")"
md=$T/rep/report.md
# the winner lines against the oracle (tests/report/oracle.jq, as report_oracle uses it)
jq -L "$SRC/tests/report" -s -f "$SRC/tests/report/oracle.jq" "$T/run/results.json" "$T/rep/answers.json" >"$T/o.json" ||
	fail "the oracle failed"
jq -L "$SRC/tests/report" -s -f "$SRC/tests/report/oracle_sweep.jq" "$T/run/results.json" "$T/rep/answers.json" >"$T/sw.json" ||
	fail "the sweep oracle failed"
check_jq "the sweep oracle can check at least three sweeps" "$T/sw.json" 'length >= 3'
check_jq "every sweep's answer and segments are the oracle's" "$T/sw.json" 'all(.[]; .answer_ok and .sweep_ok)'
check_jq "the oracle can check at least two answers" "$T/o.json" 'length >= 2'
check_jq "winners, ties, runners-up, ratios, baseline ratios and sureness are the oracle's" "$T/o.json" \
	'all(.[]; .winner_ok and .answer_ok and .runner_up_ok and .base_ok and .sure_ok
		and ((.ratio - .oracle_ratio) | fabs) <= 1e-9 * .oracle_ratio)'
check "the answers table comes first" sh -c "grep -n '^## ' '$md' | head -1 | grep -q 'Answers for'"
jq -r '.context.contend_views | to_entries[] | [.key, (.value.table | tostring), (.value.cluster // ""), .value.title] | join("|")' \
	"$T/run/results.json" >"$T/views"
[ -s "$T/views" ] || die "the run carries no views"
while IFS='|' read -r w table cluster title; do # ("|": an empty field stays a field)
	# a table view (counts, no chart) is its rows, under its title
	if [ "$table" = true ]; then
		grep -qF "| $title |" "$md" || fail "no table rows for $w ($title)"
		continue
	fi
	# its section names the workload (a cluster's section names its cluster)
	name=$w
	[ -n "$cluster" ] && name="${cluster}_\\\\\\*"
	grep -q "^### .*($name)" "$md" || grep -q "^### .*($w)" "$md" || {
		fail "no section for $w"
		continue
	}
	# its chart files: KEY.gp or KEY-PARAMS.gp (not another workload that starts with KEY)
	key=${cluster:-$w}
	{ ls "$T/rep/$key".gp || ls "$T/rep/$key"-*.gp; } >/dev/null 2>&1 &&
		{ ls "$T/rep/$key".png || ls "$T/rep/$key"-*.png; } >/dev/null 2>&1 || fail "no chart for $w"
done <"$T/views"
ok "every workload of a live --quick run has its section and chart ($(wc -l <"$T/views") views)"
# and every answer its chart: the chart key with / and : as -, a .gp and a .png
jq -r '.answers[].chart | gsub("[/:]"; "-")' "$T/rep/answers.json" | sort -u >"$T/charts"
[ -s "$T/charts" ] || fail "no answers"
while read -r c; do
	[ -s "$T/rep/$c.gp" ] && [ -s "$T/rep/$c.png" ] || echo "$c"
done <"$T/charts" >"$T/nochart"
[ ! -s "$T/nochart" ] || fail "answers without their chart: $(tr '\n' ' ' <"$T/nochart")"
ok "every answer's chart was drawn ($(wc -l <"$T/charts") charts)"
finish
