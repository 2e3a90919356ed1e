# The runner: benchmarks that hang, crash, deadlock or answer wrong are cut off at their
# deadline (or fail) and listed as failed next to the ones that finished; SIGINT mid-run
# leaves valid JSON with "interrupted": true.
. "$(dirname "$0")/../lib/lib.sh"
export CONTEND_TEST_BENCHES=1

J=$T/f.json
"$CONTEND" run --filter '^overhead_(null/(c|cpp)|fault/(hang|crash|deadlock|wrong))/' \
	--timeout 2 --min-time 0.005 --repetitions 1 --out "$J" >/dev/null 2>"$T/err"
rc=$?
[ "$rc" -eq 1 ] || fail "exit status $rc with failed benchmarks, want 1"
jq -e . "$J" >/dev/null || fail "results not valid JSON"
for b in hang deadlock; do
	jq -e --arg b "overhead_fault/$b" 'any(.benchmarks[]; (.name | startswith($b)) and .error_occurred == true
		and (.error_message | test("deadline")))' "$J" >/dev/null || fail "$b not cut off at its deadline"
done
# (sanitizers turn a crash into an exit status)
jq -e 'any(.benchmarks[]; (.name | startswith("overhead_fault/crash")) and .error_occurred == true
	and (.error_message | test("crashed: signal|exited with status")))' "$J" >/dev/null || fail "crash not recorded"
jq -e 'any(.benchmarks[]; (.name | startswith("overhead_fault/wrong")) and .error_occurred == true
	and (.error_message | test("wrong answer")))' "$J" >/dev/null || fail "wrong answer not recorded"
for b in overhead_null/c/threads:1 overhead_null/cpp/threads:1; do
	jq -e --arg b "$b" 'any(.benchmarks[]; .name == $b and (.error_occurred | not) and .real_time > 0)' "$J" >/dev/null ||
		fail "$b lost next to the faulty ones"
done
[ "$(jq '[.benchmarks[] | select(.error_occurred == true)] | length' "$J")" -eq 4 ] || fail "exactly 4 failed"
# the "N runs failed:" section (not the progress lines, which name every benchmark)
failed_section "$T/err" >"$T/listed"
[ "$(head -n 1 "$T/listed")" = 4 ] || fail "stderr has no \"4 runs failed:\" heading: $(cat "$T/err")"
tail -n +2 "$T/listed" | sort >"$T/listed.names"
"$CONTEND" list --filter '^overhead_fault/(hang|crash|deadlock|wrong)/' | cut -f1 | sort >"$T/want.names"
cmp -s "$T/listed.names" "$T/want.names" ||
	fail "the failed section lists $(tr '\n' ' ' <"$T/listed.names"), want the four faults"
ok "faulty benchmarks cut off and listed; the others kept"

# An explicit skip ("skipped: ...") is listed, not counted as a failure.
"$CONTEND" run --filter '^overhead_(null/c|fault/skip)/' --min-time 0.005 --repetitions 1 \
	--out "$T/s.json" >/dev/null 2>"$T/errs"
rc=$?
[ "$rc" -eq 0 ] || fail "a run with only an explicit skip exited $rc, want 0"
jq -e 'any(.benchmarks[]; (.name | startswith("overhead_fault/skip")) and .error_occurred == true
	and (.error_message | startswith("skipped: ")))' "$T/s.json" >/dev/null || fail "the skip is not recorded"
grep -q 'SKIPPED' "$T/errs" || fail "the progress line does not say SKIPPED"
ok "explicit skip recorded and shown, exit 0"

# SIGINT mid-run: the hang is running when the signal comes
J2=$T/i.json
"$CONTEND" run --filter '^overhead_(null/c|fault/hang)/' --timeout 60 --min-time 0.005 \
	--repetitions 1 --out "$J2" >/dev/null 2>"$T/err2" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q 'null_c' "$T/err2" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
sleep 0.5
t0=$(date +%s)
kill -INT $pid
wait $pid
rc=$?
t1=$(date +%s)
[ "$rc" -eq 130 ] || fail "interrupted run exit status $rc, want 130"
[ $((t1 - t0)) -le 3 ] || fail "took $((t1 - t0)) s to stop after SIGINT"
jq -e '.context.interrupted == true' "$J2" >/dev/null || fail "no \"interrupted\": true"
jq -e 'any(.benchmarks[]; .name == "overhead_null/c/threads:1" and (.error_occurred | not))' "$J2" >/dev/null ||
	fail "the finished result was not kept"
jq -e 'all(.benchmarks[]; .name | startswith("overhead_fault/hang") | not)' "$J2" >/dev/null ||
	fail "the interrupted benchmark must not be recorded as a result"
ls -a "$(dirname "$J2")" | grep -q '\.tmp' && fail "a temporary file was left behind"
ok "SIGINT: valid JSON, interrupted, finished results kept"

# interrupt SIG WAIT_FOR OUT RUN_ARGS...: start a run, wait until stderr shows WAIT_FOR
# (empty: the heading), then SIG: exit 130 within 3 s, valid JSON with "interrupted": true
interrupt() {
	sig=$1 want=$2 out=$3
	shift 3
	"$CONTEND" run "$@" --out "$out" >/dev/null 2>"$out.err" &
	pid=$!
	i=0
	while [ $i -lt 100 ] && ! grep -q "${want:-^contend: }" "$out.err" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.5
	t0=$(date +%s)
	kill -"$sig" $pid
	wait $pid
	rc=$?
	t1=$(date +%s)
	[ "$rc" -eq 130 ] || fail "$sig: exit status $rc, want 130"
	[ $((t1 - t0)) -le 3 ] || fail "$sig: took $((t1 - t0)) s to stop"
	jq -e '.context.interrupted == true' "$out" >/dev/null || fail "$sig: no valid JSON with \"interrupted\": true"
	! ls -a "$(dirname "$out")" | grep -q '\.tmp' || fail "$sig: a temporary file was left behind"
}

# SIGTERM is the same as SIGINT
nullc=$("$CONTEND" list --filter '^overhead_null/c/' | cut -f1)
interrupt TERM null_c "$T/term.json" --filter '^overhead_(null/c|fault/hang)/' --timeout 60 \
	--min-time 0.005 --repetitions 1
jq -e --arg n "$nullc" '[.benchmarks[].name] == [$n]' "$T/term.json" >/dev/null ||
	fail "SIGTERM: the finished result not kept, or the interrupted one recorded"
ok "SIGTERM: as SIGINT"

# before the first result: an empty but valid list
interrupt INT '' "$T/first.json" --filter '^overhead_fault/hang/' --timeout 60 --min-time 0.005 \
	--repetitions 1
jq -e '.benchmarks == []' "$T/first.json" >/dev/null || fail "SIGINT before any result: benchmarks not []"
ok "SIGINT before the first result: empty, valid JSON"

# during --interleave (pass r runs repetition r of every chart, one chart after another:
# null/c's first repetition, then the hang's): the repetition that finished is kept, the
# run is marked
interrupt INT null_c "$T/il.json" --filter '^overhead_(null/c|fault/hang)/' --interleave --repetitions 3 \
	--timeout 60 --min-time 0.005
jq -e --arg n "$nullc" '.context.interleaved == true and ([.benchmarks[] | select(.run_type == "iteration")
	| [.name, .repetition_index]] == [[$n, 0]])' "$T/il.json" >/dev/null ||
	fail "SIGINT during --interleave: $(jq -c '[.benchmarks[] | [.name, .run_type, .repetition_index]]' "$T/il.json")"
ok "SIGINT during --interleave: the finished repetition kept"

# A second signal ends the run at once: no file written, the running benchmark killed. The
# run is stopped while both are sent (SIGINT, then SIGTERM: two SIGINTs would merge into
# one pending signal), so the second is handled right after the first, before the first's
# orderly stop could write anything.
J3=$T/two.json
"$CONTEND" run --filter '^overhead_(null/c|fault/hang)/' --timeout 60 --min-time 0.005 \
	--repetitions 1 --out "$J3" >/dev/null 2>"$T/err3" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q 'null_c' "$T/err3" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
sleep 0.5
kill -STOP $pid
kill -INT $pid
kill -TERM $pid
kill -CONT $pid
wait $pid
rc=$?
sleep 0.2
[ "$rc" -eq 130 ] || fail "two signals: exit status $rc, want 130"
[ ! -e "$J3" ] || fail "two signals: the run went on to write $J3, not ending at once"
! ls -a "$T" | grep -q 'two\.json\.' || fail "two signals: a temporary file was left behind"
left=$(ps -eo pid,args | grep -F "$J3" | grep -v grep | awk '{ print $1 }')
if [ -n "$left" ]; then
	fail "two signals: the benchmark process outlived the run"
	# shellcheck disable=SC2086
	kill -9 $left # this test's own orphan (its args hold this test's scratch path)
fi
ok "a second signal ends the run at once"
finish
