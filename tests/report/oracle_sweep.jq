# input: [results, answers.json]; for each answer of a chart with an x axis (no cluster),
# recomputed from the results: at each x value, the verdict of the report's rule
# (oracle_lib.jq: ranking, ties, sureness) over the chart's series (strategy plus the view's
# series parameters); the sweep's segments (an answer holds while either best is in the
# other's tie group; a segment says its first point's answer and sureness); and the row's
# answer, the segment over most of the sweep (the last of equals). Also for the charts of
# such views that have one x value (drawn as bars, their answer's x is "").
include "oracle_lib";
# x values in the report's order: numbers ascending, then words
def xorder: sort_by(if test("^-?[0-9.]+$") then [0, tonumber, ""] else [1, 0, .] end);
.[0] as $f | .[1] as $a
| $f.context.contend_views as $v
| [$f.benchmarks[] | select(.run_type == "iteration" and (.error_occurred | not))
   | ($v[.workload]) as $view
   | select($view != null and $view.metric != null and $view.x != null and $view.cluster == null
	and .[$view.metric] != null)
   | . as $e
   | (if $view.x == "threads" then ($e.threads | tostring) else ($e.params // {})[$view.x] end) as $x
   | select($x != null)
   | {chart: ([$e.workload] + [($e.params // {}) | to_entries[]
		| .key as $k | select($k != $view.x and (($view.series // []) | index([$k]) | not)) | "\(.key):\(.value)"]
	     + (if $view.x == "threads" then [] else ["threads:\($e.threads)"] end) | join("/")),
      x: $x, hb: ($view.direction == "higher_is_better")} + ($e | row($view))] as $pts
| [$a.answers[] | . as $ans
   | [$pts[] | select(.chart == $ans.chart)] as $rows
   | select(($rows | length) > 0)
   | $rows[0].hb as $hb
   | [$rows | map(.x) | unique | xorder[] as $x | {x: $x, v: ([$rows[] | select(.x == $x)] | verdict($hb))}] as $pv
   | (reduce $pv[] as $p ([];
	if length > 0 and (.[-1].v as $pr | ($p.v.ties | index([$pr.best.s])) != null or ($pr.ties | index([$p.v.best.s])) != null)
	then .[-1].to = $p.x | .[-1].n += 1
	else . + [{from: $p.x, to: $p.x, v: $p.v, n: 1}] end)) as $segs
   | ($segs | to_entries | max_by([.value.n, .key]) | .value) as $main
   # a chart with one x value is drawn as bars: its one segment has no bounds
   | [$segs[] | {from: (if ($pv | length) > 1 then .from else null end),
		 to: (if ($pv | length) > 1 then .to else null end), answer: .v.ties, sure: .v.sure}] as $osw
   | {chart: $ans.chart, answer: $ans.answer, oracle_answer: $main.v.ties,
      sweep: [$ans.sweep[] | {from, to, answer, sure}],
      oracle_sweep: $osw,
      answer_ok: ($ans.answer == $main.v.ties),
      sweep_ok: ([$ans.sweep[] | {from, to, answer, sure}] == $osw)}]
