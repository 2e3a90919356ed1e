# report_series.sh - charts a person reads at a glance: in every chart of the sample (the
# quick profile, up to 17 strategies in one workload), alone and with a second copy of it
# (two runs of one host and placement), at most 8 series, no two drawn alike (colour, dash
# and point for lines; colour for bars), and a strategy in one colour in every line chart.
. "$(dirname "$0")/../lib/lib.sh"

check_dir() { # check_dir WHAT DIR
	what=$1
	dir=$2
	n=0
	: >"$T/colours"
	for gp in "$dir"/*.gp; do
		b=$(basename "$gp" .gp)
		[ "$b" = c2c ] || [ "${b#c2c-}" != "$b" ] && continue
		n=$((n + 1))
		ns=$(sed -n 's/^nseries = \([0-9]*\)$/\1/p' "$gp")
		check "$what $b: at most 8 series (got $ns)" [ "${ns:-99}" -le 8 ]
		nlt=$(grep -c '^set linetype ' "$gp")
		check "$what $b: a style per series ($nlt for $ns)" [ "$nlt" -eq "$ns" ]
		if grep -q yerrorlines "$gp"; then
			dups=$(sed -n 's/^set linetype [0-9]* \(.*\)$/\1/p' "$gp" | sort | uniq -d)
			# series names: the CSV header's value columns (x, label, then 3 per series)
			sed -n 2p "$dir/$b.csv" | awk -F, '{for (i = 3; i <= NF; i += 3) print $i}' >"$T/names"
			sed -n 's/^set linetype [0-9]* lc rgb "\([^"]*\)".*/\1/p' "$gp" | paste -d' ' "$T/names" - >>"$T/colours"
		else
			dups=$(sed -n 's/^set linetype [0-9]* lc rgb "\([^"]*\)".*/\1/p' "$gp" | sort | uniq -d)
		fi
		check "$what $b: no two series alike ($dups)" [ -z "$dups" ]
	done
	check "$what: charts checked ($n)" [ "$n" -ge 20 ]
	multi=$(sort -u "$T/colours" | awk '{print $1}' | uniq -d)
	check "$what: a strategy keeps its colour across line charts ($multi)" [ -z "$multi" ]
}

"$BIN" report "$DATA/sample-results.json" --out "$T/one" >/dev/null 2>"$T/err" ||
	fail "report of the sample: $(cat "$T/err")"
check_dir "sample" "$T/one"
nstrat=$(jq -r '[.benchmarks[] | select(.workload == "lock_counter") | .strategy] | unique | length' "$DATA/sample-results.json")
check "the sample has more strategies than a chart shows ($nstrat)" [ "$nstrat" -gt 8 ]
check "the table has the rest" grep -q "the table has all $nstrat\." "$T/one/report.md"

mkdir -p "$T/20261201T100000Z-1" "$T/20261201T110000Z-2"
cp "$DATA/sample-results.json" "$T/20261201T100000Z-1/results.json"
cp "$DATA/sample-results.json" "$T/20261201T110000Z-2/results.json"
"$BIN" report "$T/20261201T100000Z-1" "$T/20261201T110000Z-2" --out "$T/two" >/dev/null \
	2>"$T/err" || fail "report of two copies: $(cat "$T/err")"
check_dir "two runs" "$T/two"
check "two runs: one chart per run" [ -s "$T/two/lock_counter-r1.gp" ] && [ -s "$T/two/lock_counter-r2.gp" ]
check "two runs: told apart by stamp" sh -c "grep -q '@20261201T100000Z-1' '$T/two/lock_counter-r1.gp' && grep -q '@20261201T110000Z-2' '$T/two/lock_counter-r2.gp'"
check "two runs: side by side in the HTML" grep -q '<div class="multiples n2">' "$T/two/report.html"
finish
