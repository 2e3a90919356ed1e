# winners.jq - the test's own answer to "which strategy has the best figure in each group
# of comparable results", read from the results' workload, strategy, params and the views
# the run wrote (context.contend_views), independently of the report's code.
#
# Input: report.md's winner lines as raw text (jq -R -s); $res[0]: the results JSON.
# Output: a list of problems, one string each; empty when every claim holds.

def unit_ns: {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[.time_unit // "ns"];
def val($m):
  if $m == "real_time" then (if .real_time == null then null else .real_time * unit_ns end)
  else .[$m] end;
def median: sort | length as $n
  | if $n == 0 then null elif $n % 2 == 1 then .[($n - 1) / 2]
    else (.[$n / 2 - 1] + .[$n / 2]) / 2 end;
def rn: .run_name // .name;

$res[0].context.contend_views as $views
# every result of a workload with a charted view, with its chart and group
| [$res[0].benchmarks[] | select(.workload != null and $views[.workload] != null
      and ($views[.workload].table | not))
   | $views[.workload] as $v
   | (.params // {}) as $p
   | ($v.x // null) as $x
   | ($v.series // []) as $ser
   | . + {
       chart: ([($v.cluster // .workload)]
         + [$p | to_entries[] | select(.key != (if $v.cluster then null else $x end)
             and ((.key | IN($ser[])) | not)) | "\(.key):\(.value)"]
         + (if $x == "threads" and ($v.cluster | not) then [] else ["threads:\(.threads)"] end)
         | join("/")),
       row: (if $v.cluster then .workload elif $x == "threads" then "\(.threads)"
             elif $x != null then ($p[$x] // "") else "" end),
       series: ([.strategy] + [$ser[] as $k | $p[$k] | select(. != null)] | join("/")),
       view: $v}] as $all
| ($all | group_by(.chart)) as $charts
# the metric per chart: the view's where some result has it, else items/s, else time
| [$charts[] | . as $ents
   | $ents[0].view as $v
   | (if $v.metric and ([$ents[] | .[$v.metric] | numbers] | length > 0) then
        {m: $v.metric, higher: ($v.direction == "higher_is_better")}
      elif ([$ents[] | .items_per_second | numbers] | length > 0) then {m: "items_per_second", higher: true}
      else {m: "real_time", higher: false} end) as $metric
   | $ents | group_by(.row)[] | . as $g
   | {key: "\($g[0].chart) @ \($g[0].row) [\($g[0].view.title)]", metric: $metric.m,
      names: ([$g[] | rn] | unique),
      figs: ([$g | group_by(rn)[] | . as $e
        | (([$e[] | select(.run_type == "aggregate" and .aggregate_name == "median") | val($metric.m) | numbers] | first)
           // ([$e[] | select(.run_type != "aggregate" and (.error_occurred | not)) | val($metric.m) | numbers] | median)) as $f
        | select($f != null) | {name: ($e[0] | rn), series: $e[0].series, fig: $f}])}
   | . + {best: (if $metric.higher then (.figs | max_by(.fig) | .fig) else (.figs | min_by(.fig) | .fig) end)}
  ] as $groups
# the claims
| [. | split("\n")[] | select(startswith("winner: "))
   | capture("^winner: \\*\\*(?<who>.*)\\*\\* — .*<!-- best=(?<best>[^;]*); by=(?<by>[^ ]*) -->$")] as $claims
| ([$claims[] | . as $c
    | ($groups | map(select(.names | index($c.best))) | first) as $g
    | if $g == null then "claim \($c.best): not a charted result in the results"
      elif $c.by != $g.metric then "claim \($c.best): compared by \($c.by), expected \($g.metric)"
      else ($g.figs | map(select(.name == $c.best)) | first) as $f
        | if $f == null then "claim \($c.best): it has no figure"
          elif ($c.who | split(" = ") | .[0]) != $f.series then
            "claim \($c.best): names \($c.who), the benchmark is \($f.series)"
          elif ((($f.fig - $g.best) | fabs) > 1e-9 * ($g.best | fabs)) then
            "claim \($c.best) (\($f.fig)): \($g.key) has a better figure, \($g.best), by \($g.metric)"
          else empty end
      end]
   + [$groups[] | select(.figs | length > 0) | . as $g
      | ([$claims[] | select(.best as $b | $g.names | index($b))] | length) as $n
      | if $n == 0 then "group \($g.key): no winner line"
        elif $n > 1 then "group \($g.key): \($n) winner lines"
        else empty end]
   + (if ($claims | length) == 0 then ["no winner lines at all"] else [] end))
| .[]
