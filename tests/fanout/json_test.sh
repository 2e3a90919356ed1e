#!/bin/sh
# json_test.sh CONTEND_BIN SRC_DIR - a short run of the fanout family's benchmarks writes the
# the names and counters of the fanout family: sem_acq_rel/<impl>/... with cpu_ns_per_op,
# fanout_sem/... with makespan_us and max_concurrency (never above the permits), forkjoin/...
# with scope_us, and wake/<mechanism> for all five (latency_rtt where the round trip was measured); no errors.
set -eu
bin=$1
command -v jq >/dev/null || { echo "jq is required" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/r.json
# Under ThreadSanitizer (5-15x slower) the fan-out part runs at K = 1 only.
ks='1|8' nk=2
if grep -aq __tsan_init "$bin"; then ks=1 nk=1; fi
"$bin" run --filter "^(sem_acq_rel/(posix|futex|condvar)/permits:1/real_time/threads:[12]\$|fanout_sem/(posix|futex|condvar)/exec:(pool|thread)/job:sleep/jobs:64/permits:($ks)/work_us:10/|forkjoin/(spawn|pool)/workers:2/elems:1024/|wake/)" \
	--min-time 0.01 --repetitions 1 --out "$out" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
fail=0
check() { # check DESCRIPTION JQ-EXPR (must print true)
	if [ "$(jq -r "$2" "$out")" != true ]; then
		echo "FAIL: $1" >&2
		fail=1
	fi
}
it='[.benchmarks[] | select(.run_type == "iteration")]'
check "no benchmark failed" "$it | all(.error_occurred != true)"
for s in posix futex condvar; do
	check "sem_$s with cpu_ns_per_op" \
		"$it | map(select(.name | startswith(\"sem_acq_rel/$s/permits:1/\"))) | length == 2 and all(.cpu_ns_per_op > 0)"
	for e in pool thread; do
		check "fanout_sem/$s/$e makespan_us and max_concurrency <= K" \
			"$it | map(select(.name | startswith(\"fanout_sem/$s/exec:$e/job:sleep/jobs:64/\"))) | length == $nk and all(.makespan_us > 0 and .max_concurrency >= 1 and .max_concurrency <= (.name | capture(\"permits:(?<k>[0-9]+)\").k | tonumber)) and all(.items_per_second > 0)"
	done
done
check "K = 1 admits exactly one job at a time" \
	"$it | map(select(.name | test(\"^fanout_sem/.*/permits:1/\"))) | length == 6 and all(.max_concurrency == 1)"
for m in futex condvar sem eventfd_epoll pipe; do
	check "wake_$m present, latency_rtt where rtt was measured" \
		"$it | map(select(.name | startswith(\"wake/$m/\"))) | length == 1 and all(.rtt_before_ns <= 0 or .latency_rtt > 0)"
done
for v in spawn pool; do
	check "forkjoin_$v with scope_us" \
		"$it | map(select(.name | startswith(\"forkjoin/$v/workers:2/elems:1024/\"))) | length == 1 and all(.scope_us > 0)"
done
if [ $fail -ne 0 ]; then
	jq -c "$it | .[] | {name, error_message}" "$out" >&2
	exit 1
fi
echo "fanout_json_test: ok"
