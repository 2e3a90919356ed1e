# input: [results, answers.json]; for each answer of a chart with no x axis, cluster or series
# parameters: the chart's medians recomputed from the results, the winner, the runner-up
# and the ratio between them
.[0] as $f | .[1] as $a
| $f.context.contend_views as $v
| [$f.benchmarks[] | select(.run_type == "iteration" and (.error_occurred | not))
   | ($v[.workload]) as $view
   | select($view != null and $view.metric != null and $view.x == null and $view.cluster == null
	and (($view.series // []) | length) == 0 and .[$view.metric] != null)
   | {key: ([.workload] + [(.params // {}) | to_entries[] | "\(.key):\(.value)"] + ["threads:\(.threads)"] | join("/")),
      strategy, value: .[$view.metric], hb: ($view.direction == "higher_is_better")}] as $pts
| [$a.answers[] | select(.x == "" and .vs_runner_up != null) | . as $ans
   | [$pts[] | select(.key == $ans.chart)] as $rows
   | select(($rows | length) > 0)
   | $rows[0].hb as $hb
   | ($rows | group_by(.strategy) | map({s: .[0].strategy,
	m: (map(.value) | sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end)})
      | sort_by(if $hb then -.m else .m end)) as $rank
   | ([$rank[] | select(.s == $ans.vs_runner_up.strategy) | .m][0]) as $ru
   | ([$rank[] | select(.s == $ans.answer[0]) | .m][0]) as $best
   | {chart: $ans.chart, anchor: $ans.anchor, runner_up: $ans.vs_runner_up.strategy,
      answer: $ans.answer, oracle_rank: [$rank[].s],
      ratio: $ans.vs_runner_up.ratio, oracle_ratio: (if $hb then $best / $ru else $ru / $best end),
      winner_ok: ($rank[0].s as $w | $ans.answer | index([$w]) != null),
      runner_up_ok: ((([$rank[].s | select(. as $s | $ans.answer | index([$s]) | not)][0]) // $rank[1].s)
	== $ans.vs_runner_up.strategy)}]
