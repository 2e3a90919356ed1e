#!/bin/sh
# run.sh CONTEND SRC - a short run of a few atomics: no errors, and the names and counters
# README promises are in the JSON (ns_per_op, cas_fail_ratio, rtt_ns/latency_rtt,
# outcome_<r1><r2>/forbidden_seen), with outcomes adding up to the trials.
. "$(dirname "$0")/../lib/lib.sh"
set -e
bin=$CONTEND
tmp=$T
out=$tmp/r.json

"$bin" run --filter '^atomic_(faa/relaxed/sharing:(shared|false_sharing)|load/acquire/sharing:private|cas_weak/seq_cst/sharing:shared|mp/release_acquire|litmus_(sb/seq_cst|mp/release_acquire))/' \
	--min-time 0.01 --repetitions 1 --threads 1,2 --out "$out" 2>"$tmp/err" ||
	{ cat "$tmp/err" >&2; die "contend run failed"; }

q() { jq -r "$1" "$out"; }
[ "$(q '[.benchmarks[] | select(.error_occurred == true)] | length')" = 0 ] ||
	die "errors: $(q '[.benchmarks[] | select(.error_occurred == true) | .name + ": " + .error_message] | join("; ")')"
for n in atomic_faa/relaxed/sharing:shared/real_time/threads:2 atomic_faa/relaxed/sharing:false_sharing/real_time/threads:2 \
	atomic_load/acquire/sharing:private/real_time/threads:1 atomic_cas_weak/seq_cst/sharing:shared/real_time/threads:2 \
	atomic_mp/release_acquire/real_time/threads:2 atomic_litmus_sb/seq_cst/real_time/threads:2 \
	atomic_litmus_mp/release_acquire/real_time/threads:2; do
	[ "$(q "[.benchmarks[] | select(.name == \"$n\")] | length")" = 1 ] || die "missing $n"
done
[ "$(q '[.benchmarks[] | select(.name | test("^atomic_(faa|load|cas)")) | select((.ns_per_op // 0) <= 0)] | length')" = 0 ] ||
	die "a matrix result without a positive ns_per_op"
# failed attempts per attempt: a number in [0, 1]; alone on its line (threads:1) nothing
# interferes, so (but for a rare spurious failure of a weak CAS on LL/SC) none fails
cas='.benchmarks[] | select(.name | startswith("atomic_cas_weak/seq_cst/sharing:shared/real_time/threads:"))'
[ "$(q "[$cas] | length")" = 2 ] || die "cas_weak: not the 1- and 2-thread results"
[ "$(q "[$cas | select((.cas_fail_ratio | type) != \"number\" or .cas_fail_ratio < 0 or .cas_fail_ratio > 1)] | length")" = 0 ] ||
	die "cas_fail_ratio missing or outside [0, 1]: $(q "[$cas | .cas_fail_ratio] | tostring")"
[ "$(q "$cas | select(.threads == 1) | .cas_fail_ratio < 0.01")" = true ] ||
	die "cas_fail_ratio $(q "$cas | select(.threads == 1) | .cas_fail_ratio") with one thread, want ~0"
mp='.benchmarks[] | select(.name == "atomic_mp/release_acquire/real_time/threads:2")'
[ "$(q "$mp | (.rtt_ns > 0 and .stale_payloads == 0)")" = true ] || die "mp: rtt_ns/stale_payloads"
[ "$(q "$mp | (.rtt_before_ns <= 0 or .latency_rtt > 0)")" = true ] || die "mp: latency_rtt missing"
for t in sb/seq_cst mp/release_acquire; do
	l=".benchmarks[] | select(.name == \"atomic_litmus_$t/real_time/threads:2\")"
	[ "$(q "$l | (.outcome_00 + .outcome_01 + .outcome_10 + .outcome_11) * 2 == .iterations")" = true ] ||
		die "litmus $t: outcomes do not add up to the trials"
	[ "$(q "$l | .forbidden_seen")" = 0 ] || die "litmus $t: forbidden outcome seen"
done
finish
