# winners.jq - the test's own answer to "which strategy has the best figure in each
# workload", written from the benchmark names of issues 3-6, independently of the report.
#
# Input: report.md's winner lines as raw text (jq -R -s); $res[0]: the results JSON.
# Output: a list of problems, one string each; empty when every claim holds.

def unit_ns: {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[.time_unit // "ns"];
def val($m):
  if $m == "real_time" then (if .real_time == null then null else .real_time * unit_ns end)
  else .[$m] end;
# every metric but items_per_second is a time: lower is better
def median: sort | length as $n
  | if $n == 0 then null elif $n % 2 == 1 then .[($n - 1) / 2]
    else (.[$n / 2 - 1] + .[$n / 2]) / 2 end;
def rn: .run_name // .name;

# the workload: the name with the strategy tokens replaced by *
def key: split("/") as $s
  | if ($s[0] | test("^(lock|atomic|anti)_")) then $s | .[1] = "*"
    elif ($s[0] | test("^chan_(rtt|select|growth)$")) then $s | .[1] = "*"
    elif ($s[0] | startswith("chan_")) then $s | .[0] = "chan_*" | map(select(startswith("block:") | not))
    elif $s[0] == "fanout_sem" then $s | .[1] = "*" | .[2] = "*"
    elif ($s[0] | test("^(wake|sem|harness|forkjoin)_")) then $s | .[0] = ($s[0] | sub("_.*"; "_*"))
    else $s end
  | join("/");
# the strategy the name stands for
def strategy: split("/") as $s
  | if ($s[0] | test("^(lock|atomic|anti)_")) then $s[1]
    elif ($s[0] | test("^chan_(rtt|select|growth)$")) then $s[1]
    elif ($s[0] | startswith("chan_")) then
      ($s[0] | ltrimstr("chan_")) + ([$s[] | select(startswith("block:")) | "/" + ltrimstr("block:")] | join(""))
    elif $s[0] == "fanout_sem" then $s[1] + "/" + $s[2]
    else $s[0] | sub("^[a-z]+?_"; "") end;
def known: test("^(lock_|atomic_|chan_|fanout_sem/|wake_|sem_|harness_|forkjoin_|anti_)")
  and (startswith("atomic_litmus") | not);
# what a workload is compared by (the family header comments), where the results have it
def rules: [["fanout_sem/", "makespan_us"], ["anti_blocking_in_loop/", "event_latency_us"],
  ["atomic_mp/", "rtt_ns"], ["atomic_", "real_time"], ["sem_", "real_time"],
  ["wake_", "real_time"], ["forkjoin", "real_time"], ["chan_rtt/", "real_time"]];

. as $md
| $res[0].benchmarks as $all
| ([$all[] | rn | select(known)] | unique) as $names
| [$names[] | {name: ., key: key}] | group_by(.key)
| map({key: .[0].key, names: map(.name)}) as $groups0
# the metric: makespan for fan-out, time for atomics, else items/s if reported, else time
| [$groups0[] | . as $g
   | ([$all[] | select(rn as $n | $g.names | index($n))]) as $ents
   | ([rules[] | . as $r | select(($g.names[0] | startswith($r[0]))
        and ([$ents[] | .[$r[1]] | numbers] | length > 0)) | .[1]] | first) as $rule
   | (if $rule != null then $rule
      elif ([$ents[] | .items_per_second | numbers] | length > 0) then "items_per_second"
      else "real_time" end) as $m
   | $g + {metric: $m, figs: [$g.names[] | . as $n
       | [$ents[] | select(rn == $n)] as $e
       | (([$e[] | select(.run_type == "aggregate" and .aggregate_name == "median") | val($m) | numbers] | first)
          // ([$e[] | select(.run_type != "aggregate" and (.error_occurred | not)) | val($m) | numbers] | median)) as $f
       | select($f != null) | {name: $n, fig: $f}]}
   | . + {best: (if .metric == "items_per_second" then (.figs | max_by(.fig) | .fig) else (.figs | min_by(.fig) | .fig) end)}
  ] as $groups
# the claims
| [$md | split("\n")[] | select(startswith("winner: "))
   | capture("^winner: \\*\\*(?<who>.*)\\*\\* — .*<!-- best=(?<best>[^;]*); by=(?<by>[^ ]*) -->$")] as $claims
| ([$claims[] | . as $c
    | ($groups | map(select(.names | index($c.best))) | first) as $g
    | if $g == null then "claim \($c.best): not a benchmark of a known family in the results"
      elif $c.by != $g.metric then "claim \($c.best): compared by \($c.by), expected \($g.metric)"
      elif ($c.best | strategy) != $c.who then "claim \($c.best): names \($c.who), the benchmark is \($c.best | strategy)"
      else ($g.figs | map(select(.name == $c.best)) | first) as $f
        | if $f == null then "claim \($c.best): it has no figure"
          elif ((($f.fig - $g.best) | fabs) > 1e-9 * ($g.best | fabs)) then
            "claim \($c.best) (\($f.fig)): \($g.key) has a better figure, \($g.best), by \($g.metric)"
          else empty end
      end]
   + [$groups[] | select(.figs | length > 0) | . as $g
      | ([$claims[] | select(.best as $b | $g.names | index($b))] | length) as $n
      | if $n == 0 then "workload \($g.key): no winner line"
        elif $n > 1 then "workload \($g.key): \($n) winner lines"
        else empty end]
   + (if ($claims | length) == 0 then ["no winner lines at all"] else [] end))
| .[]
