# report_test_family.sh - a family the report has never heard of: this test writes a results
# file of a test-only workload, zz_testfam, with its view (distinctive section, title,
# question, axis labels, metric and baseline), and checks that the report gives it its own
# section, a chart with those labels, winner lines and an answers row: everything from the
# results, nothing edited outside tests/.
. "$(dirname "$0")/../lib/lib.sh"

# zz_testfam/<strategy>/lanes:<n>/threads:1: three repetitions each; stripes is best at one
# lane, dots from two lanes on; zebras_per_hour (higher is better) decides.
jq -n '
  def rep($s; $lanes; $i; $v): {name: "zz_testfam/\($s)/lanes:\($lanes)/threads:1",
    run_name: "zz_testfam/\($s)/lanes:\($lanes)/threads:1", run_type: "iteration",
    repetitions: 3, repetition_index: $i, threads: 1, iterations: 1000,
    real_time: (1e9 / $v), cpu_time: (1e9 / $v), time_unit: "ns",
    zebras_per_hour: ($v * (1 + 0.001 * $i)), rtt_before_ns: 60, rtt_after_ns: 61,
    drift: 0, disturbed_pct: 0, disturbed: 0, oversubscribed: 0,
    workload: "zz_testfam", strategy: $s, params: {lanes: "\($lanes)"}};
  {context: {contend_schema: 2, host_name: "testhost", placement: "cores",
     cpu_model: "Test CPU 9000", arch: "x86_64", date: "2026-12-01T00:00:00+00:00",
     contend_views: {zz_testfam: {section: "Zebra crossings", title: "zebra crossing",
       question: "Which crossing moves the most zebras per hour?", x: "lanes",
       x_label: "lanes of traffic (zebra test)", series: [],
       metric: "zebras_per_hour", metric_label: "zebras crossed per hour (test)",
       direction: "higher_is_better", baseline: "plain", same_instruction: [],
       notes: "A family that lives only in this test.", table: false,
       own_threads: true}}},
   benchmarks: [
     (["stripes", 1, 900], ["dots", 1, 300], ["plain", 1, 100],
      ["stripes", 2, 200], ["dots", 2, 800], ["plain", 2, 100],
      ["stripes", 4, 200], ["dots", 4, 700], ["plain", 4, 100])
     as [$s, $l, $v] | range(3) as $i | rep($s; $l; $i; $v)]}' >"$T/results.json"
"$BIN" report "$T/results.json" --out "$T/rep" >/dev/null 2>"$T/err"
check "report of the test family: $(cat "$T/err")" [ -s "$T/rep/report.md" ]
M=$T/rep/report.md
check "its own section" grep -q '^## Zebra crossings$' "$M"
check "its question" grep -q '^Question: Which crossing moves the most zebras per hour?' "$M"
check "its notes" grep -q '^_A family that lives only in this test._' "$M"
check "a chart" [ -s "$T/rep/zz_testfam-threads-1.gp" ]
check "the chart's x label" grep -q 'set xlabel "lanes of traffic (zebra test)"' "$T/rep/zz_testfam-threads-1.gp"
check "the chart's y label" grep -q 'set ylabel "zebras crossed per hour (test)' "$T/rep/zz_testfam-threads-1.gp"
check "the chart's title" grep -q 'set title "zebra crossing (zz_testfam)' "$T/rep/zz_testfam-threads-1.gp"
check "three winner lines" [ "$(grep -c '^winner: ' "$M")" -eq 3 ]
check "stripes wins one lane" grep -q '^winner: \*\*stripes\*\* — zebra crossing, lanes:1: 3.00× better than dots (runner-up), 9.00× better than plain' "$M"
check "dots wins four lanes" grep -q '^winner: \*\*dots\*\* — zebra crossing, lanes:4: 3.50× better than stripes (runner-up), 7.00× better than plain' "$M"
check "compared by its metric" grep -q 'by=zebras_per_hour -->' "$M"
p=$(jq -r -R -s --slurpfile res "$T/results.json" -f "$SRC/tests/report/winners.jq" "$M" 2>&1)
check "winners hold: $p" [ -z "$p" ]
A=$T/rep/answers.json
check "answers: its question" jq -e >/dev/null '.answers[0].question == "Which crossing moves the most zebras per hour?"' "$A"
check "answers: dots, over most of the sweep" jq -e >/dev/null '.answers[0].answer == ["dots"] and .answers[0].sure == "clear" and .answers[0].depends_on == null' "$A"
check "answers: where it changes" jq -e >/dev/null '[.answers[0].sweep[] | [.from, .to, .answer[0]]] == [["1", "1", "stripes"], ["2", "4", "dots"]]' "$A"
check "answers: vs the baseline, the least over the segment (8x at 2 lanes, 7x at 4)" jq -e >/dev/null '.answers[0].vs_baseline.strategy == "plain" and .answers[0].vs_baseline.ratio == 7' "$A"
check "answers: vs the runner-up, the least over the segment (4x at 2 lanes, 3.5x at 4)" jq -e >/dev/null '.answers[0].vs_runner_up == {strategy: "stripes", ratio: 3.5}' "$A"
check "answers table on top" sh -c "grep '^#' '$M' | sed -n 2p | grep -q '^## Answers for Test CPU 9000, cores placement'"
check "no other results" sh -c "! grep -q '^## Other results' '$M'"
finish
