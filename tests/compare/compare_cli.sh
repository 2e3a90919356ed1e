#!/bin/sh
# compare_cli.sh CONTEND_BIN SRC_DIR - `contend compare` and `contend baseline` end to end.
#
# base.json and same.json are two runs of one build (9 repetitions, ~2 % noise with
# outliers); every other case is derived from them with jq here, so each is one visible
# change: a 30 % slower mutex, a 2 % slower everything, drift marks, a failure, another
# profile/placement/machine, microseconds instead of nanoseconds, aggregates only, three
# repetitions, malformed and truncated files.
. "$(dirname "$0")/../lib/lib.sh"
D=$SRC/tests/data/compare

# expect STATUS DESCRIPTION -- ARGS...: run contend ARGS, check the exit status; for 2, one
# line on stderr and nothing on stdout.
# The decisions are checked at a 5 % threshold (--threshold 5 is added to a compare that
# gives none): the defaults, sized to the shift between separate runs, are checked apart.
expect() {
	want=$1
	what=$2
	shift 3
	if [ "${1-}" = compare ] && ! printf '%s\n' "$@" | grep -q -- '^--threshold'; then
		set -- "$@" --threshold 5
	fi
	"$BIN" "$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL: $what: exit $got, want $want"
		sed 's/^/  out: /' "$T/out" | head -20
		sed 's/^/  err: /' "$T/err"
		fails=$((fails + 1))
		return 1
	fi
	if [ "$want" = 2 ]; then
		if [ "$(wc -l <"$T/err")" != 1 ] || [ -s "$T/out" ]; then
			echo "FAIL: $what: bad input must give one line on stderr and no output"
			sed 's/^/  err: /' "$T/err"
			fails=$((fails + 1))
			return 1
		fi
	fi
	echo "ok: $what (exit $got)"
}

# out_has REGEX DESCRIPTION: the last command's stdout (or stderr with -e) matches
has() {
	f=$T/out
	if [ "$1" = -e ]; then
		f=$T/err
		shift
	fi
	if ! grep -Eq -- "$1" "$f"; then
		echo "FAIL: $2: no /$1/ in:"
		sed 's/^/  /' "$f"
		fails=$((fails + 1))
	fi
}

# scale NAME FACTOR IN OUT: multiply NAME's times by FACTOR (and divide its rate)
scale() {
	jq --arg n "$1" --argjson f "$2" '.benchmarks |= map(
	    if (.run_name == $n or $n == "*") and .aggregate_name != "cv"
	    then .real_time *= $f | .cpu_time *= $f | .items_per_second /= $f else . end)' \
		"$3" >"$4"
}

MUTEX=lock_counter/mutex/threads:1
TICKET=lock_counter/ticket/real_time/threads:2

expect 0 "help" -- compare --help
has "usage: contend compare" "help text"

expect 0 "two runs of the same build" -- compare "$D/base.json" "$D/same.json"
has "verdict: no regression \(3 unchanged\)" "same build summary"
has "each row on its declared metric" "the metric rule stated"
has "Benjamini-Hochberg" "the correction named"
expect 0 "a run against itself" -- compare "$D/base.json" "$D/base.json"
"$BIN" compare "$D/base.json" "$D/same.json" --json "$T/dv.json" >/dev/null 2>&1
jq -e '.threshold_pct == 25 and .threshold_multi_pct == 55' "$T/dv.json" >/dev/null || {
	echo "FAIL: the default thresholds are not 25 % (one PU) and 55 % (across PUs)"
	fails=$((fails + 1))
}

scale $MUTEX 1.3 "$D/same.json" "$T/slow.json"
expect 1 "a 30 % slower mutex" -- compare "$D/base.json" "$T/slow.json"
has "^lock_counter/mutex/threads:1 .*\+30\.[0-9]%.*REGRESSION" "the mutex row flagged"
if grep -E "atomic_faa|ticket" "$T/out" | grep -q REGRESSION; then
	echo "FAIL: only the mutex may be flagged"
	fails=$((fails + 1))
fi
expect 0 "the same, the other way round, is an improvement" -- compare "$T/slow.json" "$D/same.json"
has "mutex.*improved" "improvement shown"
expect 1 "items_per_second: higher is better" -- compare "$D/base.json" "$T/slow.json" --metric items_per_second
has "higher is better" "direction stated for a rate"
has "mutex.* M/s .*REGRESSION" "rate regression"
expect 0 "a 30 % slowdown under --threshold 40" -- compare "$D/base.json" "$T/slow.json" --threshold 40

scale '*' 1.02 "$D/same.json" "$T/noise.json"
expect 0 "2 % slower everywhere: below the threshold" -- compare "$D/base.json" "$T/noise.json"

# drift and disturbed: marked repetitions never decide. The harness marks every
# repetition of an instance at once (it runs them in one child), which makes the row
# unreliable; a single marked repetition is set aside and the other 8 decide. Drift (a
# ping-pong between two PUs) does not concern a result that ran on one PU (pus:0).
jq --arg n $MUTEX '.benchmarks |= map(if .run_name == $n then .disturbed = 1 else . end)' \
	"$T/slow.json" >"$T/dist_new.json"
expect 0 "a slower mutex marked disturbed" -- compare "$D/base.json" "$T/dist_new.json"
has "mutex.*unreliable: disturbed 9/9 new repetitions" "unreliable row"
has "verdict: no regression \(2 unchanged, 1 unreliable\)" "summary counts it"
jq --arg n $MUTEX '.benchmarks |= map(if .run_name == $n and .repetition_index == 3
    then .disturbed = 1 else . end)' "$T/slow.json" >"$T/dist1.json"
expect 1 "one marked repetition is set aside, the rest decide" -- compare "$D/base.json" "$T/dist1.json"
has "mutex.*REGRESSION: marked set aside: disturbed 1/9 new repetitions" "set aside"
jq --arg n $MUTEX '.benchmarks |= map(if .run_name == $n then .drift = 1 else . end)' \
	"$T/slow.json" >"$T/drift1pu.json"
expect 1 "drift on a result that ran on one PU does not count" -- compare "$D/base.json" "$T/drift1pu.json"
has "^lock_counter/mutex/threads:1 .*REGRESSION$" "decided, no note"
jq --arg n $MUTEX '.benchmarks |= map(if .run_name == $n
    then .disturbed = 1 | .disturbed_pct = 35 else . end)' "$D/base.json" >"$T/disturbed.json"
expect 0 "a disturbed base" -- compare "$T/disturbed.json" "$T/slow.json"
has "mutex.*unreliable: disturbed 9/9 base" "disturbed base"
scale $TICKET 1.3 "$T/slow.json" "$T/both.json"
jq --arg n $TICKET '.benchmarks |= map(if .run_name == $n then .drift = 1 else . end)' \
	"$T/both.json" >"$T/both2.json"
expect 1 "a reliable regressed row beside an unreliable one" -- compare "$D/base.json" "$T/both2.json"
has "ticket.*unreliable" "ticket unreliable"
has "mutex.*REGRESSION" "mutex decided"

# another vCPU placement between the runs: the two-thread ticket lock's round trip 5x
jq --arg n $TICKET '.benchmarks |= map(if .run_name == $n and .rtt_before_ns
    then .rtt_before_ns *= 5 | .rtt_after_ns *= 5 else . end)' "$T/both.json" >"$T/farther.json"
expect 1 "the ticket lock measured in another vCPU placement" -- compare "$D/base.json" "$T/farther.json"
has "ticket.*unreliable: round trip 60 ns in base, 29[0-9] ns in new" "placement differs"
has "mutex.*REGRESSION" "the mutex still decides"

# a benchmark failing only in NEW
jq --arg n $MUTEX '.benchmarks |= map(if .run_name == $n and .repetition_index == 2
    then {name, run_name, run_type, repetitions, repetition_index, threads,
          error_occurred: true, error_message: "timed out after 60 s"} else . end)' \
	"$D/same.json" >"$T/failed.json"
expect 1 "a benchmark that now fails" -- compare "$D/base.json" "$T/failed.json"
has "mutex.*FAILED in new: 1/9 failed: timed out" "failure shown"
expect 0 "a benchmark that failed in base only" -- compare "$T/failed.json" "$D/same.json"
has "mutex.*failed in base" "fixed failure shown"

# benchmarks on one side only
jq --arg n $TICKET '.benchmarks |= map(select(.run_name != $n))' "$D/same.json" >"$T/fewer.json"
jq '.benchmarks += [.benchmarks[0] | .name = "chan_spsc/cap:64" | .run_name = .name]' \
	"$T/fewer.json" >"$T/other.json"
expect 0 "benchmarks on one side only" -- compare "$D/base.json" "$T/other.json"
has "^only in base: lock_counter/ticket/real_time/threads:2$" "only in base listed"
has "^only in new: chan_spsc/cap:64$" "only in new listed"

# units are normalised
jq '.benchmarks |= map(if .aggregate_name != "cv" then .real_time /= 1000 | .cpu_time /= 1000
    | .time_unit = "us" else . end)' "$D/same.json" >"$T/us.json"
expect 0 "the same run in microseconds" -- compare "$D/base.json" "$T/us.json"
has "mutex.* 6\.9[0-9]* ns .*unchanged" "shown in ns"
scale $MUTEX 1.3 "$T/us.json" "$T/us_slow.json"
expect 1 "slower, in microseconds" -- compare "$D/base.json" "$T/us_slow.json"

# too few repetitions: inconclusive, never a regression on the threshold alone; aggregates
# only likewise; --fail-on-inconclusive makes them fail
jq '.benchmarks |= map(select(.run_type == "iteration" and .repetition_index < 3))' \
	"$D/base.json" >"$T/few_base.json"
jq '.benchmarks |= map(select(.run_type == "iteration" and .repetition_index < 3))' \
	"$T/slow.json" >"$T/few_slow.json"
expect 0 "3 against 3 repetitions" -- compare "$T/few_base.json" "$T/few_slow.json"
has "mutex.*inconclusive: 3 and 3 samples: the smallest p they can give is 0.05" "inconclusive, with why"
has "inconclusive: beyond the threshold, but too few repetitions" "inconclusive in the legend"
expect 1 "3 against 3, --fail-on-inconclusive" -- compare "$T/few_base.json" "$T/few_slow.json" --fail-on-inconclusive
jq '.benchmarks |= map(select(.run_type == "aggregate"))' "$T/slow.json" >"$T/agg.json"
expect 0 "aggregates only" -- compare "$D/base.json" "$T/agg.json"
has "mutex.*inconclusive: aggregates only" "aggregates label"

# a verdict path that cannot be written: one line naming the option, nothing run
expect 2 "--json under a file" -- compare "$D/base.json" "$D/same.json" --json "$D/base.json/v.json"
grep -q -- '^contend: --json ' "$T/err" && [ "$(wc -l <"$T/err")" = 1 ] && [ ! -s "$T/out" ] ||
	fail "--json under a file: one line naming --json on stderr, nothing on stdout: $(cat "$T/err")"
expect 2 "--markdown a directory" -- compare "$D/base.json" "$D/same.json" --markdown "$T"
grep -q -- '^contend: --markdown ' "$T/err" || fail "--markdown a directory: the message names --markdown"

# metrics
expect 0 "a counter: rtt_before_ns" -- compare "$D/base.json" "$D/same.json" --metric rtt_before_ns
has "atomic_faa.*no metric" "a row without the counter"
expect 2 "a counter nobody has" -- compare "$D/base.json" "$D/same.json" --metric bogus_ns
has -e "no benchmark has the metric 'bogus_ns'" "names the metric"
expect 2 "a counter whose direction is unknown" -- compare "$D/base.json" "$D/same.json" --metric frobs
expect 0 "the same with --direction" -- compare "$D/base.json" "$D/same.json" --metric disturbed_pct --direction lower
jq 'del(.benchmarks[].items_per_second)' "$D/same.json" >"$T/norate.json"
expect 2 "NEW without the chosen metric" -- compare "$D/base.json" "$T/norate.json" --metric items_per_second

# not comparable
jq '.context.profile = "quick"' "$D/same.json" >"$T/quick.json"
expect 2 "a different profile" -- compare "$D/base.json" "$T/quick.json"
has -e "profile 'default', NEW 'quick'" "profile named"
jq '.context.placement = "scatter"' "$D/same.json" >"$T/scatter.json"
expect 2 "a different placement" -- compare "$D/base.json" "$T/scatter.json"
jq '.context.cpu_model = "Ampere Altra"' "$D/same.json" >"$T/arm.json"
expect 2 "another machine" -- compare "$D/base.json" "$T/arm.json"
jq '.context.topology.pus = 4' "$D/same.json" >"$T/topo.json"
expect 2 "another topology" -- compare "$D/base.json" "$T/topo.json"
jq '.context.compiler = "Clang 14.0.6"' "$D/same.json" >"$T/clang.json"
expect 0 "another compiler: compared, with a note" -- compare "$D/base.json" "$T/clang.json"
has "^note: compiler differs" "compiler note"

# bad input: one line, exit 2, nothing written
head -c 5000 "$D/base.json" >"$T/truncated.json"
printf '{"context": {}, "benchmarks": [1, 2,' >"$T/malformed.json"
echo '[1, 2, 3]' >"$T/array.json"
echo '{"context": {}, "benchmarks": [{"real_time": 3}]}' >"$T/noname.json"
: >"$T/empty.json"
jq '.benchmarks[0].time_unit = "fortnights"' "$D/same.json" >"$T/unit.json"
expect 2 "a truncated file" -- compare "$D/base.json" "$T/truncated.json"
expect 2 "malformed JSON" -- compare "$T/malformed.json" "$D/base.json"
expect 2 "not a results file" -- compare "$D/base.json" "$T/array.json"
expect 2 "a benchmark without a name" -- compare "$D/base.json" "$T/noname.json"
expect 2 "an empty file" -- compare "$D/base.json" "$T/empty.json"
expect 2 "a missing file" -- compare "$D/base.json" "$T/nonexistent.json"
expect 2 "a directory without results.json" -- compare "$D/base.json" "$T"
expect 2 "an unknown time unit" -- compare "$D/base.json" "$T/unit.json"
expect 2 "one argument" -- compare "$D/base.json"
expect 2 "three arguments" -- compare "$D/base.json" "$D/base.json" "$D/base.json"
expect 2 "an unknown option" -- compare --frobnicate "$D/base.json" "$D/same.json"
expect 2 "a bad threshold" -- compare --threshold -3 "$D/base.json" "$D/same.json"
expect 2 "a bad alpha" -- compare --alpha 1.5 "$D/base.json" "$D/same.json"
jq '.benchmarks = []' "$D/same.json" >"$T/nobench.json"
expect 2 "no benchmark in common" -- compare "$D/base.json" "$T/nobench.json"

# a run directory works like its results.json
mkdir -p "$T/run1"
cp "$T/slow.json" "$T/run1/results.json"
expect 1 "a run directory" -- compare "$D/base.json" "$T/run1"

# Markdown
expect 1 "--markdown" -- compare "$D/base.json" "$T/slow.json" --markdown "$T/md/pr.md"
if ! grep -q '^| `lock_counter/mutex/threads:1` | .* | \*\*REGRESSION\*\* |$' "$T/md/pr.md"; then
	echo "FAIL: markdown table row"
	cat "$T/md/pr.md"
	fails=$((fails + 1))
fi
grep -q '^### contend: regression' "$T/md/pr.md" || {
	echo "FAIL: markdown title"
	fails=$((fails + 1))
}
touch "$T/plainfile"
expect 2 "--markdown under a regular file" -- compare "$D/base.json" "$T/slow.json" --markdown "$T/plainfile/pr.md"
expect 2 "--markdown to a device" -- compare "$D/base.json" "$T/slow.json" --markdown /dev/full
expect 2 "--markdown to a directory" -- compare "$D/base.json" "$T/slow.json" --markdown "$T/md"
expect 2 "--markdown and a bad input: nothing written" -- compare "$D/base.json" "$T/truncated.json" --markdown "$T/never.md"
if [ -e "$T/never.md" ]; then
	echo "FAIL: markdown written on bad input"
	fails=$((fails + 1))
fi

# baselines
B=$T/baselines
expect 2 "--baseline with none stored" -- compare --baseline "$D/same.json" --baselines "$B"
has -e "no baseline for this machine" "says there is none"
expect 0 "baseline show" -- baseline show "$D/base.json" --baselines "$B"
has "^fingerprint: amd-epyc-9r14-96-core-processor-cores-[0-9a-f]{12}$" "fingerprint shape"
has "none yet" "none yet"
expect 0 "baseline save" -- baseline save "$D/base.json" --baselines "$B"
has "^saved $B/amd-epyc-9r14-96-core-processor-cores-[0-9a-f]{12}\.json$" "saved where"
expect 0 "baseline save again replaces" -- baseline save "$D/base.json" --baselines "$B"
has "^replaced " "replaced"
expect 0 "compare --baseline, same build" -- compare --baseline "$D/same.json" --baselines "$B"
expect 1 "compare --baseline, slower mutex" -- compare --baseline "$T/slow.json" --baselines "$B"
has "^base: $B/amd-epyc" "names the baseline"
expect 2 "compare --baseline from another machine" -- compare --baseline "$T/arm.json" --baselines "$B"
has -e "no baseline for this machine" "another machine has none"
expect 2 "compare --baseline with another placement" -- compare --baseline "$T/scatter.json" --baselines "$B"
# a baseline file whose content is another machine's (copied by hand): mismatched
f=$(ls "$B"/*.json)
"$BIN" baseline save "$T/clang.json" --baselines "$T/b2" >/dev/null
cp "$T"/b2/*.json "$f"
expect 2 "a mismatched baseline file" -- compare --baseline "$D/same.json" --baselines "$B"
has -e "mismatched" "says mismatched"
jq '.context.interrupted = true' "$D/base.json" >"$T/interrupted.json"
expect 2 "baseline save of an interrupted run" -- baseline save "$T/interrupted.json" --baselines "$B"
expect 2 "baseline save of a truncated file" -- baseline save "$T/truncated.json" --baselines "$B"
expect 2 "baseline without an action" -- baseline "$D/base.json"
expect 2 "baseline save under a regular file" -- baseline save "$D/base.json" --baselines "$T/plainfile/b"

# without --baselines: ./results/baselines when it is a directory, else the source tree's
mkdir -p "$T/cwd/results/baselines" "$T/bare"
cd "$T/cwd"
expect 0 "baseline save, no --baselines" -- baseline save "$D/base.json"
has "^saved results/baselines/amd-epyc" "saved under ./results/baselines"
[ "$(ls results/baselines | grep -c '\.json$')" = 1 ] || {
	echo "FAIL: baseline save without --baselines did not write ./results/baselines/"
	fails=$((fails + 1))
}
expect 0 "compare --baseline, no --baselines, same build" -- compare --baseline "$D/same.json"
has "^base: results/baselines/amd-epyc" "found in ./results/baselines"
expect 1 "compare --baseline, no --baselines, slower mutex" -- compare --baseline "$T/slow.json"
cd "$T/bare"
expect 0 "baseline show, no ./results/baselines" -- baseline show "$D/base.json"
has "^baseline: $SRC/results/baselines/" "falls back to the source tree's results/baselines"
cd "$T"

# A label naming PUs up to LONG_MAX (found by the fuzzer: a signed overflow, which the asan
# preset's UBSan turns into a failure): read, counted as far as PUs go, no crash.
jq '.benchmarks |= map(.label = "pus:9223372036854775807-9223372036854775807,-5-3,7-99999999999")' \
	"$D/same.json" >"$T/hugepus.json"
expect 0 "labels with PU ranges up to LONG_MAX" -- compare "$D/base.json" "$T/hugepus.json"

if [ "$fails" != 0 ]; then
	echo "compare_cli: $fails failure(s)"
	exit 1
fi
echo "compare_cli: ok"
