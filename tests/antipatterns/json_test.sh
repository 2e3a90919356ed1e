#!/bin/sh
# json_test.sh CONTEND_BIN SRC_DIR - a short run of the anti_ benchmarks writes each
# anti-pattern beside its fix with the counters the family promises: items_per_second for
# lock_across_wait (held, copyout) and spin_oversub (spin, park; with cpu_ns_per_op and
# lock_threads = 2 x PUs), the event latencies for blocking_in_loop (inline, worker); no errors.
. "$(dirname "$0")/../lib/lib.sh"
set -e
bin=$CONTEND
tmp=$T
out=$tmp/r.json
"$bin" run --filter '^anti_(lock_across_wait/.*/threads:2$|blocking_in_loop/|spin_oversub/)' \
	--min-time 0.01 --repetitions 1 --out "$out" 2>"$tmp/err" || die "the run failed: $(cat "$tmp/err")"
check() { check_jq "$1" "$out" "$2"; }
it='[.benchmarks[] | select(.run_type == "iteration")]'
pus=$(jq -r '.context.topology.pus' "$out")
check "no benchmark failed" "$it | all(.error_occurred != true)"
for v in held copyout; do
	check "anti_lock_across_wait/$v" \
		"$it | map(select(.name | startswith(\"anti_lock_across_wait/$v/wait_us:100/\"))) | length == 1 and all(.items_per_second > 0)"
done
for v in inline worker; do
	check "anti_blocking_in_loop/$v event latencies" \
		"$it | map(select(.name | startswith(\"anti_blocking_in_loop/$v/\"))) | length == 1 and all(.event_latency_us > 0 and .event_latency_p99_us > 0 and .event_latency_max_us >= .event_latency_us)"
done
for v in spin park; do
	check "anti_spin_oversub/$v: cpu_ns_per_op, 2 threads per PU" \
		"$it | map(select(.name | startswith(\"anti_spin_oversub/$v/\"))) | length == 1 and all(.cpu_ns_per_op > 0 and .items_per_second > 0 and .lock_threads == 2 * $pus and .oversubscribed == 1)"
done
if [ "$fails" -ne 0 ]; then
	jq -c "$it | .[] | {name, error_message}" "$out" >&2
	exit 1
fi
echo "anti_json_test: ok"
