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

# a chart per workload, for every family in the sample, and the c2c heatmap
for f in lock_counter lock_counter-fairness lock_readmostly-read-99 atomic-private-threads-1 \
	atomic-shared-threads-2 chan-p-1-c-1-msg-8-threads-1 chan-p-2-c-2-msg-8-threads-1 \
	chan_rtt-msg-8-threads-1 fanout_sem-blocking-jobs-64-work_us-100-threads-1 wake c2c; do
	check "$f.gp" [ -s "$R/$f.gp" ]
done
ngp=0
for gp in "$R"/*.gp; do
	b=${gp%.gp}
	ngp=$((ngp + 1))
	check "$b.csv" [ -s "$b.csv" ]
	check "$b.png is a PNG" sh -c "head -c 8 '$b.png' | od -An -c | grep -q 'P   N   G'"
	check "$b.svg is an SVG" grep -q '<svg' "$b.svg"
	check "$b: report.md shows it" grep -q "($(basename "$b").png)" "$R/report.md"
done
check "12 charts (got $ngp)" [ "$ngp" -eq 12 ]
# every image the report shows exists
for img in $(sed -n 's/^!\[.*\](\(.*\.png\))$/\1/p' "$R/report.md"); do
	check "report.md shows $img, which exists" [ -s "$R/$img" ]
done

# the HTML stands alone: every plot embedded, nothing loaded from elsewhere
nimg=$(grep -c '^!\[' "$R/report.md")
nemb=$(grep -o 'src="data:image/png;base64,' "$R/report.html" | wc -l)
check "html embeds every plot ($nemb of $nimg)" [ "$nemb" -eq "$nimg" ]
check "html loads nothing" sh -c "! grep -o 'src=\"[^d][^\"]*\"' '$R/report.html' | grep -q ."
check "html winner lines" [ "$(grep -c 'class="winner">winner: ' "$R/report.html")" -eq \
	"$(grep -c '^winner: ' "$R/report.md")" ]

# the machine, the round trips, the marks
check "machine: CPU" grep -q '^| CPU | AMD EPYC |' "$R/report.md"
check "machine: topology" grep -q '^| topology | 1 package, 1 NUMA node, 1 L3 cache, 2 cores, 2 PUs |' "$R/report.md"
check "machine: round trips" grep -q '^| cache-line round trip (RTT) | c2c 58–61 ns over 2 pairs; before each benchmark' "$R/report.md"
check "drift is shown" grep -q 'ticket | 2 | .*⚠ placement drift (1 of 3 repetitions, RTT [0-9]*→338 ns)' "$R/report.md"
check "failure is shown" grep -q 'chan_mutex_ring/cap:1/p:2/c:2/msg:8/block:park/real_time | vm/cores | deadline' "$R/report.md"
check "litmus table" grep -q '^| sb | seq_cst | 0 | 499604 | 500396 | 0 | never |' "$R/report.md"
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
