#!/bin/sh
# A short run of a few channel benchmarks: the names and counters the family documents are
# in the JSON, every message was checked (no error), and `list` shows the sweep and profiles.
. "$(dirname "$0")/../lib/lib.sh"
set -e
BIN=$CONTEND
tmp=$T

"$BIN" list --filter '^chan_' >"$tmp/list"
for impl in mutex_ring mpmc_ring spsc_ring mpsc_list mutex_list rendezvous; do
	grep -q "^chan_throughput/$impl/" "$tmp/list" || die "no chan_throughput/$impl in list"
	grep "^chan_throughput/$impl/" "$tmp/list" | grep -q '\[q\]' || die "quick profile lacks chan_$impl"
	grep -q "^chan_rtt/$impl/" "$tmp/list" || die "no chan_rtt/$impl"
	grep -q "^chan_select/$impl/" "$tmp/list" || die "no chan_select/$impl"
done
for cap in 1 16 64 256 1024; do
	for impl in mutex_ring mpmc_ring spsc_ring; do
		grep -q "^chan_throughput/$impl/cap:$cap/p:1/c:1/msg:8/" "$tmp/list" || die "no $impl cap $cap"
	done
done
grep -q '^chan_throughput/mpmc_ring/cap:64/p:2/c:2/msg:64/block:park/' "$tmp/list" || die "no MPMC 2:2 park"
grep -q '^chan_throughput/mpsc_list/cap:unbounded/p:2/c:1/msg:8/block:spinpark/' "$tmp/list" || die "no MPSC list"
grep -q '^chan_throughput/rendezvous/cap:0/p:1/c:1/msg:8/block:spin/' "$tmp/list" || die "no rendezvous"
grep -q '^chan_growth/mpsc_list/cap:unbounded/msg:8/block:spinpark/' "$tmp/list" || die "no growth"
# the references and the limit probe in the same workload as the SPSC ring
for row in 'chan_throughput/ck_ring_spsc/cap:1024/p:1/c:1/msg:8/block:spin/' 'chan_throughput/ck_ring_mpmc/cap:1024/p:1/c:1/msg:8/block:spin/' \
	'chan_throughput/limit_line_publish/cap:1024/p:1/c:1/msg:8/block:spin/'; do
	grep "^$row" "$tmp/list" | grep -q '\[d\]' || die "no $row in the default profile"
done
q=$(grep -c '\[q\]' "$tmp/list")
[ "$q" -le 15 ] || die "$q quick instances (at most 15)"

f='^chan_throughput/(mpmc_ring/cap:64/p:1/c:1/msg:(8|64)/block:spin|mutex_ring/cap:16/p:2/c:1/msg:8|mpsc_list/cap:unbounded/p:2/c:1/msg:8/block:spinpark|rendezvous/cap:0/p:1/c:1/msg:8/block:spinpark)/|^chan_(rtt/mpmc_ring/cap:1/msg:8/block:spin|select/mutex_ring/cap:64/p:2/c:1/msg:8|growth/mpsc_list/cap:unbounded/msg:8/block:spinpark|growth/mutex_ring/cap:1024/msg:8)/|^chan_throughput/(limit_line_publish|ck_ring_spsc)/cap:1024/p:1/c:1/msg:8/block:spin/'
"$BIN" run --filter "$f" --min-time 0.01 --repetitions 1 --out "$tmp/r.json" 2>"$tmp/err" ||
	{ cat "$tmp/err" >&2; die "run failed"; }
j=$tmp/r.json
n=$(jq '[.benchmarks[] | select(.run_type == "iteration")] | length' "$j")
[ "$n" -eq 11 ] || die "expected 11 results, got $n"
jq -e '[.benchmarks[] | select(.error_occurred == true) |
	select((.error_message // "") | startswith("skipped:") | not)] | length == 0' "$j" >/dev/null ||
	die "a benchmark reported an error: $(jq -c '[.benchmarks[] | select(.error_occurred) | .error_message]' "$j")"
for name in 'chan_throughput/mpmc_ring/cap:64/p:1/c:1/msg:8/block:spin/real_time/threads:1' \
	'chan_throughput/mpmc_ring/cap:64/p:1/c:1/msg:64/block:spin/real_time/threads:1' \
	'chan_throughput/mutex_ring/cap:16/p:2/c:1/msg:8/real_time/threads:1' \
	'chan_throughput/mpsc_list/cap:unbounded/p:2/c:1/msg:8/block:spinpark/real_time/threads:1' \
	'chan_throughput/rendezvous/cap:0/p:1/c:1/msg:8/block:spinpark/real_time/threads:1' \
	'chan_select/mutex_ring/cap:64/p:2/c:1/msg:8/real_time/threads:1'; do
	jq -e --arg n "$name" '.benchmarks[] | select(.name == $n) |
		(.items_per_second > 0) and (.cpu_ns_per_op > 0) and (.label | startswith("pus:"))' \
		"$j" >/dev/null || die "$name: missing, or no items_per_second/cpu_ns_per_op/label"
done
# every throughput row: its time in round trips; every channel row: the spin budget it used
jq -e '[.benchmarks[] | select(.run_type == "iteration") | select(.error_occurred != true) |
	select(.name | test("^chan_(rtt|growth)/") | not) |
	select(.rtt_before_ns > 0) | select((.rtt_per_msg // 0) <= 0)] | length == 0' "$j" >/dev/null ||
	die "a throughput row without rtt_per_msg"
jq -e '[.benchmarks[] | select(.run_type == "iteration") |
	select(.strategy | test("^(ck_ring|limit)") | not) | select((.spin_budget_ns // 0) <= 0)] |
	length == 0' "$j" >/dev/null || die "a channel row without spin_budget_ns"
# an oversubscribed row also has the budget of a waiter whose partners run elsewhere
jq -e '[.benchmarks[] | select(.run_type == "iteration") | select(.oversubscribed == 1) |
	select(.strategy | test("^(ck_ring|limit)") | not) |
	select((.spin_away_ns // 0) < .spin_budget_ns)] | length == 0' "$j" >/dev/null ||
	die "an oversubscribed channel row without spin_away_ns >= spin_budget_ns"
jq -e '.benchmarks[] | select(.name | startswith("chan_select/")) |
	(.share_p0 >= 0) and (.share_p1 >= 0) and ((.share_p0 + .share_p1) > 0.99)' "$j" >/dev/null ||
	die "select: no per-sender shares"
jq -e '.benchmarks[] | select(.name | startswith("chan_throughput/limit_line_publish/")) |
	(.label | contains("not a channel"))' "$j" >/dev/null || die "the limit probe is not labelled"
# p:2/c:1 uses three threads: the label lists three PUs
jq -e '.benchmarks[] | select(.name | startswith("chan_throughput/mutex_ring/cap:16/p:2/c:1/")) |
	(.label | ltrimstr("pus:") | split(";")[0] | split(",") | length) == 3' "$j" >/dev/null ||
	die "p:2/c:1 label does not list three PUs"
r='chan_rtt/mpmc_ring/cap:1/msg:8/block:spin/real_time/threads:1'
jq -e --arg n "$r" '.benchmarks[] | select(.name == $n) |
	(.cpu_ns_per_op > 0) and (if .rtt_before_ns > 0 then .latency_rtt > 0 else true end)' \
	"$j" >/dev/null || die "$r: no latency_rtt/cpu_ns_per_op"
# (a backlog of 0 is possible: on a loaded machine the consumer can keep up with a producer
# that is descheduled at every sample; the counters and their relation are what is checked)
jq -e '.benchmarks[] | select(.name | startswith("chan_growth/mpsc_list/")) |
	(.peak_msgs >= 0) and (.peak_bytes >= .peak_msgs * 16)' "$j" >/dev/null ||
	die "growth: no peak_msgs/peak_bytes"
jq -e '.benchmarks[] | select(.name | startswith("chan_growth/mutex_ring/")) |
	(.peak_msgs <= 1024 + 130)' "$j" >/dev/null || die "growth: a bounded channel grew past its bound"
echo "ok: $n results"
