#!/bin/sh
# fake_contend.sh - stands in for a contend program under `contend ab` tests:
#   fake_contend.sh list        its three benchmarks, as `contend list` prints them
#   fake_contend.sh run [options] --repetitions N --out FILE
# writes a results file whose figures it makes up, deterministically:
#   three benchmarks (fake_a/x 2 ns, fake_b/y 7 ns on 2 threads with rtt_before_ns FAKE_RTT
#   (60), lock_counter/mutex/threads:1 7 ns), each
#   times a "machine state" that is 3x slower in every other round (as the vCPU drift here
#   moves results), times FAKE_SLOW for FAKE_SLOW_NAME, times 1 +- 1 % noise.
# Environment: FAKE_ROLE (old|new), FAKE_LOG (each call is appended), FAKE_STATE (a counter
# file shared by OLD and NEW: the round (a pair of runs) is count / 2), FAKE_SLOW_NAME, FAKE_SLOW,
# FAKE_DRIFT (mark FAKE_SLOW_NAME drift in round 2; half: in every even round), FAKE_MODE (badargs | nofile |
# truncated | crash | sleep | scatter), FAKE_PIDFILE.
set -u
if [ "${1-}" = list ]; then
	printf 'fake_a/x\t[q][d]\tfake_a\tx\t-\tfake\n'
	printf 'lock_counter/mutex/threads:1\t[q][d]\tlock_counter\tmutex\t-\tfake\n'
	printf 'fake_b/y\t[q][d]\tfake_b\ty\t-\tfake\n'
	exit 0
fi
[ "${1-}" = run ] || {
	echo "fake: first argument must be run" >&2
	exit 2
}
shift
out= reps=1 filter= placement=cores
echo "${FAKE_ROLE:-?} $*" >>"${FAKE_LOG:-/dev/null}"
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift ;;
	--repetitions) reps=$2; shift ;;
	--filter) filter=$2; shift ;;
	--placement) placement=$2; shift ;;
	--cpus | --threads | --timeout) shift ;;
	--quick | --full | --benchmark_*) ;;
	*) echo "fake: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
[ -n "$out" ] || { echo "fake: no --out" >&2; exit 2; }
[ -n "${FAKE_PIDFILE-}" ] && echo $$ >"$FAKE_PIDFILE"
count=0
[ -f "${FAKE_STATE-}" ] && count=$(cat "$FAKE_STATE")
[ -n "${FAKE_STATE-}" ] && echo $((count + 1)) >"$FAKE_STATE"
round=$((count / 2 + 1))
case ${FAKE_MODE-} in
badargs) echo "fake: unknown option --frob" >&2; exit 2 ;;
nofile) echo "fake: wrote nothing" >&2; exit 0 ;;
crash) echo "fake: about to crash" >&2; kill -SEGV $$ ;;
sleep) sleep 30; exit 0 ;;
scatter) placement=scatter ;;
esac
echo "fake ${FAKE_ROLE:-?}: round $round" >&2
awk -v reps="$reps" -v round="$round" -v role="${FAKE_ROLE:-?}" -v filter="$filter" \
	-v placement="$placement" -v slowname="${FAKE_SLOW_NAME-}" -v slow="${FAKE_SLOW:-1}" \
	-v drift="${FAKE_DRIFT:-0}" -v rtt="${FAKE_RTT:-60}" -v seed="$count" -v mode="${FAKE_MODE-}" 'BEGIN {
	srand(seed * 7919 + 17)
	n = split("fake_a/x lock_counter/mutex/threads:1 fake_b/y", names, " ")
	center["fake_a/x"] = 2; center["fake_b/y"] = 7; center["lock_counter/mutex/threads:1"] = 7
	state = round % 2 ? 1 : 3
	printf "{\"context\": {\"contend_schema\": 2, \"profile\": \"default\", \"placement\": \"%s\", \"cpu_model\": \"fake\", ", placement
	printf "\"topology\": {\"cores\": 2, \"pus\": 2}, \"compiler\": \"fake %s\"},\n \"benchmarks\": [", role
	sep = ""
	for (i = 1; i <= n; i++) {
		name = names[i]
		if (filter != "" && name !~ filter)
			continue
		for (r = 0; r < reps; r++) {
			v = center[name] * state * (1 + 0.02 * (rand() - 0.5))
			if (name == slowname)
				v *= slow
			d = (drift == "half" ? round % 2 == 0 : drift && round == 2) && name == slowname ? 1 : 0
			printf "%s\n  {\"name\": \"%s\", \"run_name\": \"%s\", \"run_type\": \"iteration\", ", sep, name, name
			printf "\"repetitions\": %d, \"repetition_index\": %d, \"threads\": %d, \"iterations\": 1000, ", reps, r, name == "fake_b/y" ? 2 : 1
			if (name == "fake_b/y")
				printf "\"rtt_before_ns\": %d, \"rtt_after_ns\": %d, ", rtt, rtt
			printf "\"real_time\": %.6f, \"cpu_time\": %.6f, \"time_unit\": \"ns\", \"drift\": %d, \"disturbed\": 0}", v, v, d
			sep = ","
		}
	}
	if (mode == "truncated")
		exit
	printf "\n]}\n"
}' >"$out"
