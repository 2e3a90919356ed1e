# input: [results, answers.json]; for each answer of a chart with no x axis, cluster or series
# parameters, recomputed from the results: each strategy's median and standard deviation of
# the declared metric, the ranking, the strategies tied with the best (the report's rule:
# within 3 %, or apart by no more than the sum of the two standard deviations), the
# runner-up, the "N x" ratios to the runner-up and to the view's baseline, and how sure the
# line is (tie or clear; not comparable when the best and the second were measured at round
# trips more than 1.5x apart; unreliable when either has a repetition marked drift or
# disturbed), and the best's figure in round trips (per handoff or per round trip where the
# family counts them; per op, for the throughput or time per operation of two or more
# threads or of a workload's own threads, from the median round trip measured before its
# repetitions)
include "oracle_lib";
.[0] as $f | .[1] as $a
| $f.context.contend_views as $v
| [$f.benchmarks[] | select(.run_type == "iteration" and (.error_occurred | not))
   | ($v[.workload]) as $view
   | select($view != null and $view.metric != null and $view.x == null and $view.cluster == null
	and (($view.series // []) | length) == 0 and .[$view.metric] != null)
   | {key: ([.workload] + [(.params // {}) | to_entries[] | "\(.key):\(.value)"] + ["threads:\(.threads)"] | join("/")),
      strategy, value: .[$view.metric], hb: ($view.direction == "higher_is_better"),
      base: $view.baseline, rtt: .rtt_before_ns, marked: ((.drift // 0) == 1 or (.disturbed // 0) == 1),
      name, threads, own: ($view.own_threads == true), metric: $view.metric, unit: .time_unit, handoff: .handoff_rtt, latency: .latency_rtt}] as $pts
| [$a.answers[] | select(.x == "" and .vs_runner_up != null) | . as $ans
   | [$pts[] | select(.key == $ans.chart)] as $rows
   | select(($rows | length) > 0)
   | $rows[0].hb as $hb | $rows[0].base as $base
   | ($rows | map({s: .strategy, value, rtt, marked}) | verdict($hb)) as $vd
   | $vd.rank as $rank | $vd.best as $best | $vd.ties as $ties | $vd.sure as $sure
   | ([$rank[] | select(.s == $ans.vs_runner_up.strategy) | .m][0]) as $ru
   | ([$rank[1:][] | select(.s == $base)][0]) as $b
   | [$rows[] | select(.strategy == $best.s)] as $brows
   | ([$brows[].handoff | select(. != null)]) as $h | ([$brows[].latency | select(. != null)]) as $l
   | (if ($h | length) > 0 then {u: ($h | med), what: "per handoff"}
      elif ($l | length) > 0 then {u: ($l | med), what: "per round trip"}
      elif ($brows[0].threads >= 2 or ($brows[0].own and ($brows[0].metric | IN("items_per_second", "real_time"))))
	and ($best.rtt // 0) > 0 and $best.m > 0 then
	(if $brows[0].metric == "items_per_second" then {u: (1e9 / $best.m / $best.rtt), what: "per op"}
	 elif $brows[0].metric == "ns_per_op" or ($brows[0].metric == "real_time" and $brows[0].unit == "ns")
	 then {u: ($best.m / $best.rtt), what: "per op"} else null end)
      else null end) as $units
   | {chart: $ans.chart, anchor: $ans.anchor, runner_up: $ans.vs_runner_up.strategy,
      answer: $ans.answer, oracle_rank: [$rank[].s], oracle_answer: $ties,
      ratio: $ans.vs_runner_up.ratio, oracle_ratio: ratio($hb; $best.m; $ru),
      base_ratio: ($ans.vs_baseline.ratio // null),
      oracle_base_ratio: (if $b == null then null else ratio($hb; $best.m; $b.m) end),
      sure: $ans.sure, oracle_sure: $sure, best_name: $brows[0].name, oracle_rtt: $units,
      winner_ok: ($best.s as $w | $ans.answer | index([$w]) != null),
      answer_ok: ($ans.answer == $ties),
      base_ok: (if $b == null then $ans.vs_baseline == null
		else ((($ans.vs_baseline.ratio // 0) - ratio($hb; $best.m; $b.m)) | fabs) <= 1e-9 * ratio($hb; $best.m; $b.m) end),
      sure_ok: ($ans.sure == $sure),
      runner_up_ok: ((([$rank[].s | select(. as $s | $ans.answer | index([$s]) | not)][0]) // $rank[1].s)
	== $ans.vs_runner_up.strategy)}]
