# input: [results, answers.json]; for each answer of a chart with an x axis, or of a cluster
# (the x is then the workload within the cluster), recomputed from the results: at each x,
# the verdict of the report's rule (oracle_lib.jq: ranking, ties, sureness) over the chart's
# series (strategy plus the view's series parameters); the sweep's segments (a point joins
# the segment while one of the segment's answer is in its tie group, and the answer narrows
# to those: every strategy it names is tied for best at each of its points; a segment is as
# sure as its least sure point); and the row's answer, the segment over most of the sweep (the last of equals),
# or none when that segment holds at half the points or fewer (the row depends on x).
# Also for the charts of such views that have one x value (drawn as bars, their answer's x
# is "").
include "oracle_lib";
# x values in the report's order: numbers ascending, then words
def xorder: sort_by(if test("^-?[0-9.]+$") then [0, tonumber, ""] else [1, 0, .] end);
.[0] as $f | .[1] as $a
| $f.context.contend_views as $v
| [$f.benchmarks | to_entries[] | .key as $idx | .value
   | select(.run_type == "iteration" and (.error_occurred | not))
   | ($v[.workload]) as $view
   | select($view != null and $view.metric != null and ($view.x != null or $view.cluster != null)
	and .[$view.metric] != null)
   | . as $e
   | (if $view.cluster != null then ($e.workload | ltrimstr($view.cluster + "_"))
      elif $view.x == "threads" then ($e.threads | tostring) else ($e.params // {})[$view.x] end) as $x
   | select($x != null)
   | {chart: ([$view.cluster // $e.workload] + [($e.params // {}) | to_entries[]
		| .key as $k | select($k != $view.x and (($view.series // []) | index([$k]) | not)) | "\(.key):\(.value)"]
	     + (if $view.x == "threads" then [] else ["threads:\($e.threads)"] end) | join("/")),
      x: $x, idx: $idx, cluster: ($view.cluster != null), hb: ($view.direction == "higher_is_better")} + ($e | row($view))] as $pts
| [$a.answers[] | . as $ans
   | [$pts[] | select(.chart == $ans.chart)] as $rows
   | select(($rows | length) > 0)
   | $rows[0].hb as $hb
   # lines in x order; a cluster's workloads as they came in the results, those the answer
   # spans (the report answers a cluster per kind of operation: loads, stores, RMWs, fences)
   | (if $rows[0].cluster then $rows | group_by(.x) | sort_by(map(.idx) | min) | map(.[0].x)
	| (index([$ans.sweep[0].from]) // 0) as $lo | (index([$ans.sweep[-1].to]) // (length - 1)) as $hi | .[$lo:$hi + 1]
      else $rows | map(.x) | unique | xorder end) as $xs
   | [$xs[] as $x | {x: $x, v: ([$rows[] | select(.x == $x)] | verdict($hb))}] as $pv
   | (reduce $pv[] as $p ([];
	(if length > 0 then [.[-1].v.ties[] | . as $s | select($p.v.ties | index([$s]) != null)]
	 else [] end) as $keep
	| if ($keep | length) > 0
	then .[-1].to = $p.x | .[-1].n += 1 | .[-1].v.ties = $keep
	| .[-1].v.sure = ([.[-1].v.sure, $p.v.sure] | max_by({"clear": 0, "tie": 1,
	    "not comparable": 2, "unreliable": 3}[.]))
	else . + [{from: $p.x, to: $p.x, v: $p.v, n: 1}] end)) as $segs
   | ($segs | to_entries | max_by([.value.n, .key]) | .value) as $main
   # an answer that holds at half the sweep's points or fewer is no answer: the row
   # depends on the x
   | (($segs | length) > 1 and 2 * $main.n <= ($segs | map(.n) | add)) as $depends
   # a chart with one x value is drawn as bars: its one segment has no bounds (a cluster's
   # segments always name their workloads)
   | ($rows[0].cluster or ($pv | length) > 1) as $bounds
   | [$segs[] | {from: (if $bounds then .from else null end),
		 to: (if $bounds then .to else null end), answer: .v.ties, sure: .v.sure}] as $osw
   | {chart: $ans.chart, answer: $ans.answer, oracle_answer: $main.v.ties,
      sweep: [$ans.sweep[] | {from, to, answer, sure}],
      oracle_sweep: $osw,
      depends: $depends,
      answer_ok: ($ans.answer == (if $depends then [] else $main.v.ties end)
	and ($ans.depends_on != null) == $depends),
      sweep_ok: ([$ans.sweep[] | {from, to, answer, sure}] == $osw)}]
