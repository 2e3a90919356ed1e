# The report's winner rules, restated for the oracles (oracle.jq, oracle_sweep.jq): used with
# jq -L tests/report 'include "oracle_lib"; ...'.
def med: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
def sd: if length < 2 then null else (add / length) as $m | (map((. - $m) * (. - $m)) | add / (length - 1) | sqrt) end;
# "N x better": the best's figure over the other's, whichever way the metric points
def ratio($hb; $a; $b): if $hb then $a / $b else $b / $a end;
# tied: within 3 %, or apart by no more than the sum of the two standard deviations (within
# 5 % when neither has a spread)
def tie($hb; $a; $b):
  (ratio($hb; $a.m; $b.m) | if . < 1 then 1 / . else . end) as $rr
  | (($a.sd // 0) + ($b.sd // 0)) as $s
  | if $rr < 1.03 then true elif $s > 0 then (($a.m - $b.m) | fabs) <= $s else $rr < 1.05 end;
# input: one chart's (or one sweep point's) result rows {s, value, rtt, marked}; output: each
# strategy's median and spread, ranked best first, the head of the ranking tied with the best, and
# how sure the line is: tie or clear; not comparable when the best and the second were
# measured at round trips more than 1.5x apart; unreliable when either has a repetition
# marked drift or disturbed
def verdict($hb):
  (group_by(.s) | map({s: .[0].s, m: (map(.value) | med), sd: (map(.value) | sd),
	rtt: (map(.rtt | select(. != null)) | if length > 0 then med else null end), marked: any(.[]; .marked)})
   | sort_by(if $hb then -.m else .m end)) as $rank
  | $rank[0] as $best | ($rank[1] // null) as $second
  # the tie group is the head of the ranking: it ends at the first strategy not tied with the best
  | ($rank | map(tie($hb; $best; .)) | (.[1:] | index(false) // length) + 1) as $nties
  | [$rank[:$nties][] | .s] as $ties
  | (if ($ties | length) >= 2 then "tie" else "clear" end) as $s0
  | (if $second != null and ($best.rtt // 0) > 0 and ($second.rtt // 0) > 0
	 and (($best.rtt / $second.rtt) > 1.5 or ($best.rtt / $second.rtt) < (1 / 1.5))
      then "not comparable" else $s0 end) as $s1
  | {rank: $rank, best: $best, second: $second, ties: $ties,
     sure: (if $best.marked or ($second != null and $second.marked) then "unreliable" else $s1 end)};
# one result row of a chart, for verdict: the strategy (with the view's series parameters,
# as the report labels a series), the declared metric's value, its round trip and marks
def row($view):
  {s: ([.strategy] + [($view.series // [])[] as $k | (.params // {})[$k] | select(. != null)] | join("/")),
   value: .[$view.metric], rtt: .rtt_before_ns, marked: ((.drift // 0) == 1 or (.disturbed // 0) == 1)};
