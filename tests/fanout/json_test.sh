#!/bin/sh
# json_test.sh CONTEND_BIN SRC_DIR - a short run of the fanout family's benchmarks writes the
# names and counters issue 6 promises: sem_<impl>/... with cpu_ns_per_op, fanout_sem/... with
# makespan_us and max_concurrency (never above the permits), forkjoin_ with scope_us, and
# wake_<mechanism> for all five (latency_rtt where the round trip was measured); no errors.
. "$(dirname "$0")/../lib/lib.sh"
set -e
bin=$CONTEND
tmp=$T
out=$tmp/r.json
# Under ThreadSanitizer (5-15x slower) the fan-out part runs at K = 1 only.
ks='1|8' nk=2
if grep -aq __tsan_init "$bin"; then ks=1 nk=1; fi
"$bin" run --filter "^(sem_(posix|futex|condvar)/acq_rel/permits:1/real_time/threads:[12]\$|fanout_sem/(posix|futex|condvar)/(pool|thread)/sleep/jobs:64/permits:($ks)/work_us:10/|forkjoin_(spawn|pool)/workers:2/elems:1024/|wake_)" \
	--min-time 0.01 --repetitions 1 --out "$out" 2>"$tmp/err" || die "the run failed: $(cat "$tmp/err")"
check() { check_jq "$1" "$out" "$2"; }
it='[.benchmarks[] | select(.run_type == "iteration")]'
check "no benchmark failed" "$it | all(.error_occurred != true)"
for s in posix futex condvar; do
	check "sem_$s with cpu_ns_per_op" \
		"$it | map(select(.name | startswith(\"sem_$s/acq_rel/permits:1/\"))) | length == 2 and all(.cpu_ns_per_op > 0)"
	for e in pool thread; do
		check "fanout_sem/$s/$e makespan_us and max_concurrency <= K" \
			"$it | map(select(.name | startswith(\"fanout_sem/$s/$e/sleep/jobs:64/\"))) | length == $nk and all(.makespan_us > 0 and .max_concurrency >= 1 and .max_concurrency <= (.name | capture(\"permits:(?<k>[0-9]+)\").k | tonumber)) and all(.items_per_second > 0)"
	done
done
check "K = 1 admits exactly one job at a time" \
	"$it | map(select(.name | test(\"^fanout_sem/.*/permits:1/\"))) | length == 6 and all(.max_concurrency == 1)"
for m in futex condvar sem eventfd_epoll pipe; do
	check "wake_$m present, latency_rtt where rtt was measured" \
		"$it | map(select(.name | startswith(\"wake_$m/\"))) | length == 1 and all(.rtt_before_ns <= 0 or .latency_rtt > 0)"
done
for v in spawn pool; do
	check "forkjoin_$v with scope_us" \
		"$it | map(select(.name | startswith(\"forkjoin_$v/workers:2/elems:1024/\"))) | length == 1 and all(.scope_us > 0)"
done
if [ "$fails" -ne 0 ]; then
	jq -c "$it | .[] | {name, error_message}" "$out" >&2
	exit 1
fi
echo "fanout_json_test: ok"
