# report_files.sh - the sample produces every expected file: report.md and report.html,
# and for each chart its CSV, gnuplot script, PNG and SVG; the scripts redraw by hand;
# the HTML stands alone; the default place and a second run over an old report.
. "$(dirname "$0")/../lib/lib.sh"

mkdir -p "$T/run"
cp "$DATA/sample-results.json" "$T/run/results.json"
"$BIN" report "$T/run" >"$T/out" 2>"$T/err" || fail "report failed: $(cat "$T/err")"
R=$T/run/report
check "stdout is the path of report.md" [ "$(cat "$T/out")" = "$R/report.md" ]
check "report.md" [ -s "$R/report.md" ]
check "report.html" [ -s "$R/report.html" ]
check "nothing left beside it" [ -z "$(ls -A "$T/run" | grep -v -e '^results.json$' -e '^report$')" ]

# a chart per workload and its parameters, for every section in the sample, and the c2c
# heatmap
for f in lock_counter lock_counter-fairness lock_readmostly-read-99 atomic-sharing-private-threads-1 \
	atomic-sharing-shared-threads-2 chan_throughput-p-1-c-1-msg-8-threads-1 \
	chan_throughput-p-2-c-2-msg-8-threads-1 chan_rtt-msg-8-threads-1 \
	fanout_sem-job-sleep-jobs-64-work_us-100-threads-1 wake-threads-1 c2c; do
	check "$f.gp" [ -s "$R/$f.gp" ]
done
check "answers.json" jq -e '.answers | length > 10' "$R/answers.json"
ngp=0
for gp in "$R"/*.gp; do
	b=${gp%.gp}
	ngp=$((ngp + 1))
	check "$b.csv" [ -s "$b.csv" ]
	check "$b.png is a PNG" sh -c "head -c 8 '$b.png' | od -An -c | grep -q 'P   N   G'"
	check "$b.svg is an SVG" grep -q '<svg' "$b.svg"
	check "$b: report.md shows it" grep -q "($(basename "$b").png)" "$R/report.md"
done
check "27 charts (got $ngp)" [ "$ngp" -eq 27 ]
# every image the report shows exists
for img in $(sed -n 's/^!\[.*\](\(.*\.png\))$/\1/p' "$R/report.md"); do
	check "report.md shows $img, which exists" [ -s "$R/$img" ]
done


# the HTML stands alone: every chart embedded (its interactive SVG in an iframe of its own,
# the heatmap as a PNG), nothing loaded from elsewhere
nimg=$(grep -c '^!\[' "$R/report.md")
nemb=$(($(grep -o '<iframe class="chart"' "$R/report.html" | wc -l) + $(grep -o 'src="data:image/png;base64,' "$R/report.html" | wc -l)))
check "html embeds every plot ($nemb of $nimg)" [ "$nemb" -eq "$nimg" ]
check "html loads nothing" sh -c "! grep -o ' src=\"[^d][^\"]*\"' '$R/report.html' | grep -q ."
check "html: no script from elsewhere" sh -c "! grep -q '<script[^>]* src=' '$R/report.html'"
check "html winner lines" [ "$(grep -c 'class="winner">winner: ' "$R/report.html")" -eq \
	"$(grep -c '^winner: ' "$R/report.md")" ]
check "html opens with the answers" sh -c "grep -o '<h[12][^>]*>[^<]*' '$R/report.html' | sed -n 2p | grep -q 'id=\"answers\">Answers for'"
check "md opens with the answers" sh -c "grep '^#' '$R/report.md' | sed -n 2p | grep -q '^## Answers for'"

# the machine, the round trips, the marks
CPU=$(jq -r .context.cpu_model "$DATA/sample-results.json")
FAILED=$(jq -r '[.benchmarks[] | select(.error_occurred == true) | .run_name][0]' "$DATA/sample-results.json")
check "machine: CPU" grep -q "^| CPU | $CPU |" "$R/report.md"
check "machine: topology" grep -q '^| topology | [0-9]* package.*PUs\? |' "$R/report.md"
check "machine: round trips" grep -q '^| cache-line round trip (RTT) | c2c [0-9]* ns .*; before each benchmark' "$R/report.md"
check "drift is shown" grep -q 'ticket | 2 | .*⚠ placement drift (1 of 3 repetitions, RTT [0-9]*→338 ns)' "$R/report.md"
check "failure is shown" grep -q "^| $FAILED | vm/cores | deadline" "$R/report.md"
check "litmus table" grep -q '^| litmus: store buffering | relaxed | [0-9]* | [0-9]* | [0-9]* | [0-9]* | .* |$' "$R/report.md"
check "error bars say what they are" grep -q 'error bars and ± are one standard deviation' "$R/report.md"
check "CSV names its units" sh -c "head -1 '$R/lock_counter.csv' | grep -q '^# shared counter.*median over the repetitions'"

# a user re-plots by hand from the report directory
rm "$R/lock_counter.png" "$R/lock_counter.svg"
check "gnuplot lock_counter.gp redraws" sh -c "cd '$R' && gnuplot lock_counter.gp && [ -s lock_counter.png ] && [ -s lock_counter.svg ]"

# run again: the old report is replaced whole
touch "$R/stale-file"
"$BIN" report "$T/run" >/dev/null 2>"$T/err" || fail "second report failed: $(cat "$T/err")"
check "second run replaced the report" [ ! -e "$R/stale-file" ] && [ -s "$R/report.md" ]
check "no temporary left" [ -z "$(ls -A "$T/run" | grep -v -e '^results.json$' -e '^report$')" ]
finish
