# history_cli.sh - contend history on tests/data/history/vm: four runs of fixed values in
# which run 3 (ordered by its directory stamp: it has no context date) slows
# atomic_faa/relaxed/sharing:shared/real_time/threads:2 by 25 % and run 4 brings it back. Checks the files,
# that the PNGs are PNGs, that history.md flags exactly that transition, the time order,
# skipped runs, and bad input (exit 2, nothing written).
# sh history_cli.sh CONTEND_BIN SRC_DIR
. "$(dirname "$0")/../lib/lib.sh"
FIX=$SRC/tests/data/history/vm
is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; }
# the rows of a section's table in history.md (lines starting with "| `")
section_rows() { # section_rows FILE "## Heading"
	awk -v h="$2" '/^## /{on = ($0 == h)} on && /^\| `/' "$1"
}

need gnuplot gnuplot-nox

# ---- the fixture, plus a run that is not one: skipped with a warning --------------------
cp -r "$FIX" "$T/vm"
mkdir "$T/vm/20261124T100000.000Z-105"
head -c 300 "$FIX/20261123T100000.000Z-104/results.json" >"$T/vm/20261124T100000.000Z-105/results.json"
mkdir "$T/vm/notarun"
"$BIN" history "$T/vm" --threshold 5 >"$T/out" 2>"$T/err"
rc=$?
check "history exits 0 (got $rc: $(cat "$T/err"))" [ "$rc" -eq 0 ]
H=$T/vm/history
check "stdout is the path of history.md" [ "$(cat "$T/out")" = "$H/history.md" ]
check "history.md" [ -s "$H/history.md" ]
check "one warning per unreadable run ($(grep -c 'warning' "$T/err"))" [ "$(grep -c 'warning' "$T/err")" -eq 2 ]
check "the truncated run is named" grep -q '20261124T100000.000Z-105/results.json.*skipped' "$T/err"
check "warnings are one line each" sh -c "! grep -v '^contend: history: ' '$T/err' | grep -q ."

ngp=0
for gp in "$H"/*.gp; do
	b=${gp%.gp}
	ngp=$((ngp + 1))
	check "$b.csv" [ -s "$b.csv" ]
	check "$b.png is a PNG" is_png "$b.png"
	check "$b.svg is an SVG" grep -q '<svg' "$b.svg"
	check "history.md shows $(basename "$b").png" grep -q "($(basename "$b").png)" "$H/history.md"
done
check "3 charts, one per workload and thread count (got $ngp)" [ "$ngp" -eq 3 ]
check "no stray staging directory" sh -c "! ls -a '$T/vm' | grep -q '^\.history'"

# ---- exactly the flagged transition ---------------------------------------------------
flagged=$(section_rows "$H/history.md" "## Flagged transitions")
check "one flagged row (got: $flagged)" [ "$(printf '%s\n' "$flagged" | grep -c .)" -eq 1 ]
check "it is atomic_faa threads:2, run 2 -> 3, a REGRESSION" sh -c \
	"printf '%s\n' '$flagged' | grep -q '^| \`atomic_faa/relaxed/sharing:shared/real_time/threads:2\` | #2 → #3 | .* | +2[0-9].[0-9] % | .* | REGRESSION'"
improved=$(section_rows "$H/history.md" "## Improvements (not flagged)")
check "the way back is an improvement, run 3 -> 4" sh -c \
	"printf '%s\n' '$improved' | grep -q '^| \`atomic_faa/relaxed/sharing:shared/real_time/threads:2\` | #3 → #4 |'"
check "one flagged figure in the chart tables" [ "$(grep -c '▲' "$H/history.md")" -eq 2 ] # legend line + one
check "the flagged figure is run 3's" grep -q '^| `atomic_faa/relaxed/sharing:shared/real_time/threads:2` | [^|]* | [^|]* | \*\*[0-9.]* ns ▲\*\* | [^|]* ▼ |$' "$H/history.md"
M=$H/atomic_faa-relaxed-sharing-shared-real_time-threads-2-marks.csv
check "marks CSV: one flagged point, at run 3" sh -c \
	"[ \"\$(grep -c ',flagged,' '$M' 2>/dev/null)\" = 1 ] && grep -q '^3,.*,flagged,' '$M'"
check "only that chart has marks" [ "$(ls "$H" | grep -c -- '-marks.csv$')" -eq 1 ]
check "the script draws the marks" grep -q 'REGRESSION vs the run before it' "$H/atomic_faa-relaxed-sharing-shared-real_time-threads-2.gp"

# ---- time order: dates (offset applied), the stamp for the undated run --------------------
runs=$(awk '/^## Runs/{on=1} /^## Flagged/{on=0} on && /^\| [0-9]/' "$H/history.md" | cut -d'|' -f3,4,5 | tr -d ' `')
expect='20261120T100000.000Z-101|2026-11-2010:00:00|date
20261121T100000.000Z-102|2026-11-2110:00:00|date
20261122T100000.000Z-103|2026-11-2210:00:00|directorystamp
20261123T100000.000Z-104|2026-11-2310:00:00|date'
check "runs in time order (got: $runs)" [ "$runs" = "$expect" ]
check "CSV names its units" sh -c "head -1 '$H/atomic_faa-relaxed-sharing-shared-real_time-threads-2.csv' | grep -q 'wall time per iteration (ns)'"
check "axis labels with units" grep -q 'set ylabel "wall time per iteration (ns)' "$H/atomic_faa-relaxed-sharing-shared-real_time-threads-2.gp"

# ---- run again: replaced whole; a threshold above the slowdown flags nothing -------------
touch "$H/stale"
"$BIN" history "$T/vm" --threshold 30 >/dev/null 2>"$T/err" || fail "second run: $(cat "$T/err")"
check "previous history replaced whole" [ ! -e "$H/stale" ]
check "threshold 30: nothing flagged" grep -q '^None: compare flagged no benchmark' "$H/history.md"

# ---- a run of another placement in between: compare refuses it, the next run is compared
# with the latest run it accepts, so the regression still shows (#1 -> #3)
mkdir -p "$T/pl"
cp -r "$FIX"/* "$T/pl/"
P2=$T/pl/20261121T100000.000Z-102/results.json
jq '.context.placement = "spread"' "$P2" >"$T/x.json" && mv "$T/x.json" "$P2"
"$BIN" history "$T/pl" --threshold 5 --out "$T/pl-out" >/dev/null 2>"$T/err" || fail "placement: $(cat "$T/err")"
PH=$T/pl-out/history.md
check "--out is used" [ -s "$PH" ]
check "the other placement is not compared" grep -q "^- #2: \*\*not compared\*\*: no earlier run compare accepts.*placement 'cores', NEW 'spread'" "$PH"
check "run 3 is compared with run 1" grep -q '^- #1 → #3: (#2 is not comparable) 3 benchmarks:' "$PH"
check "and the regression is flagged, #1 -> #3" sh -c \
	"[ \"\$(awk '/^## /{on = (\$0 == \"## Flagged transitions\")} on && /^\| \`/' '$PH' | grep -c '| #1 → #3 |.*REGRESSION')\" = 1 ]"
check "the plot shows where nothing was compared" grep -q 'set arrow from 1.5' "$T/pl-out/atomic_faa-relaxed-sharing-shared-real_time-threads-2.gp"

# ---- runs from before the rename, then runs written after it (with their views): the
# charts are the report's, one per workload and thread count, as with only newer runs
up2() { # up2 IN OUT: a fixture run as contend_schema 2 writes it
	jq --slurpfile s "$DATA/sample-results.json" '
	  def new: if type == "string" then
	      sub("^atomic_faa/relaxed/shared/"; "atomic_faa/relaxed/sharing:shared/real_time/")
	      | sub("^harness_null_c/"; "overhead_null/c/") else . end;
	  .context.contend_schema = 2 | .context.contend_views = $s[0].context.contend_views
	  | .benchmarks |= map(.name |= new | .run_name |= new)' "$1" >"$2"
}
for r in "$FIX"/*/; do
	d=$T/mixed/$(basename "$r")
	mkdir -p "$d"
	case $r in
	*-10[12]/) cp "$r/results.json" "$d/" ;;
	*) up2 "$r/results.json" "$d/results.json" ;;
	esac
done
"$BIN" history "$T/mixed" --threshold 5 --out "$T/mixed-out" >/dev/null 2>"$T/err" ||
	fail "mixed: $(cat "$T/err")"
MH=$T/mixed-out/history.md
check "mixed schemas: every transition compared" [ "$(grep -c '^- #[0-9] → #[0-9]: 3 benchmarks' "$MH")" -eq 3 ]
check "mixed schemas: the regression is flagged, #2 -> #3" sh -c \
	"[ \"\$(awk '/^## /{on = (\$0 == \"## Flagged transitions\")} on && /^\| \`/' '$MH' | grep -c '| #2 → #3 |.*REGRESSION')\" = 1 ]"
check "mixed schemas: charts from the views, not one per benchmark name" sh -c \
	"grep -q '^### atomic operations' '$MH' && ! grep -q '^### atomic_faa/' '$MH'"

# ---- bad input: one line, exit 2, nothing written ---------------------------------------
bad() { # bad DESCRIPTION ARGS...
	d=$1
	shift
	"$BIN" history "$@" >"$T/bout" 2>"$T/berr"
	rc=$?
	check "$d: exit 2 (got $rc)" [ "$rc" -eq 2 ]
	check "$d: one line on stderr" [ "$(grep -c . "$T/berr")" -eq 1 ]
}
bad "missing dir" "$T/nope"
bad "no argument"
bad "unknown option" "$T/vm" --bogus
bad "bad threshold" "$T/vm" --threshold x
mkdir "$T/empty"
bad "no runs" "$T/empty"
check "no runs: nothing written" [ -z "$(ls -A "$T/empty")" ]
mkdir -p "$T/allbad/r1"
echo '{"context": {}, "benchmarks": [' >"$T/allbad/r1/results.json"
"$BIN" history "$T/allbad" >/dev/null 2>"$T/berr"
rc=$?
check "only malformed runs: exit 2 (got $rc)" [ "$rc" -eq 2 ]
check "only malformed runs: a warning, then the failure" [ "$(grep -c . "$T/berr")" -eq 2 ]
check "only malformed runs: nothing written" [ ! -e "$T/allbad/history" ]
mkdir -p "$T/other"
echo keep >"$T/other/file"
bad "--out a foreign directory" "$T/vm" --out "$T/other"
untouched() { [ "$(ls -A "$1")" = file ] && [ "$(cat "$1/file")" = keep ]; }
check "--out a foreign directory: left untouched ($(ls -A "$T/other" | tr '\n' ' '))" untouched "$T/other"
"$BIN" history --help >"$T/help" 2>&1
check "--help exits 0 and explains" grep -q 'usage: contend history DIR' "$T/help"

finish
