#!/bin/sh
# ab_cli.sh CONTEND_BIN SRC_DIR - `contend ab` against two stand-in programs
# (fake_contend.sh) whose figures are made up and deterministic, so the orchestration
# (order, arguments, files, failures, signals) and the paired verdict are tested without
# measuring anything: the "machine" is 3x slower in every other round, as vCPU drift moves
# results here, and the pairs must see through it.
. "$(dirname "$0")/../lib/lib.sh"
FAKE=$SRC/tests/compare/fake_contend.sh


# prog NAME VAR=VALUE...: a program that runs the fake with that environment
prog() {
	f=$T/$1
	shift
	{
		echo '#!/bin/sh'
		for kv in "$@"; do
			echo "export $kv"
		done
		echo "exec sh '$FAKE' \"\$@\""
	} >"$f"
	chmod +x "$f"
}

# ab STATUS DESCRIPTION -- ARGS...: run contend ab with a fresh log and state
ab() {
	want=$1
	what=$2
	shift 3
	rm -f "$T/log" "$T/state"
	FAKE_LOG=$T/log FAKE_STATE=$T/state "$BIN" ab "$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" != "$want" ]; then
		fail "$what: exit $got, want $want"
		sed 's/^/  out: /' "$T/out" | head -30
		sed 's/^/  err: /' "$T/err"
		return 1
	fi
	if [ "$want" = 2 ] && { [ "$(wc -l <"$T/err")" != 1 ] || [ -s "$T/out" ]; }; then
		fail "$what: bad input must give one line on stderr and no output"
		sed 's/^/  err: /' "$T/err"
		return 1
	fi
	echo "ok: $what (exit $got)"
}

has() {
	f=$T/out
	if [ "$1" = -e ]; then
		f=$T/err
		shift
	fi
	grep -Eq -- "$1" "$f" || {
		fail "$2: no /$1/ in:"
		sed 's/^/  /' "$f"
	}
}

MUTEX=lock_counter/mutex/threads:1
prog old FAKE_ROLE=old
prog same FAKE_ROLE=new
prog slow FAKE_ROLE=new FAKE_SLOW_NAME=$MUTEX FAKE_SLOW=1.3
prog slow_drift FAKE_ROLE=new FAKE_SLOW_NAME=$MUTEX FAKE_SLOW=1.3 FAKE_DRIFT=1
prog slow_halfdrift FAKE_ROLE=new FAKE_SLOW_NAME=$MUTEX FAKE_SLOW=1.3 FAKE_DRIFT=half
prog badargs FAKE_ROLE=new FAKE_MODE=badargs
prog nofile FAKE_ROLE=new FAKE_MODE=nofile
prog truncated FAKE_ROLE=new FAKE_MODE=truncated
prog crash FAKE_ROLE=new FAKE_MODE=crash
prog scatter FAKE_ROLE=new FAKE_MODE=scatter
prog farther FAKE_ROLE=new FAKE_RTT=330
prog sleepy FAKE_ROLE=new FAKE_MODE=sleep FAKE_PIDFILE=$T/child.pid

ab 0 "help" -- --help
has "usage: contend ab OLD NEW" "help text"

ab 0 "a build against itself" -- "$T/old" "$T/same" --out "$T/r1" --placement cores \
	--benchmark_min_time=0.01
has "verdict: no regression \(3 unchanged\)" "all unchanged"
has "Wilcoxon signed-rank" "names the test"
has "a regression is a median more than 5% worse" "states the threshold it decided with (5 %, not compare's)"
has "Benjamini-Hochberg" "names the correction"
# the order: benchmark by benchmark, old and new of one back to back, alternating which
# runs first from one pair to the next; 8 pairs each (the fewest with 2^-8 <= 0.05 / (4 x 3));
# the options passed through
if [ "$(cut -d' ' -f1 "$T/log" | head -8 | tr '\n' ' ')" != "old new new old old new new old " ]; then
	fail "interleaving order:"
	head -8 "$T/log"
fi
[ "$(wc -l <"$T/log")" = 48 ] || fail "3 benchmarks x 8 pairs x 2 runs: $(wc -l <"$T/log") runs"
has "8 pairs per benchmark" "the pairs chosen are said"
grep -q "^old --placement cores --benchmark_min_time=0.01 --filter \^fake_a/x\$ --repetitions 1 --out $T/r1/old-1-1.json$" \
	"$T/log" || {
	fail "arguments of the first run:"
	head -1 "$T/log"
}
for j in 1 2 3; do
	for k in 1 5 8; do
		for s in old new; do
			[ -s "$T/r1/$s-$j-$k.json" ] && [ -s "$T/r1/$s-$j-$k.log" ] || fail "missing $T/r1/$s-$j-$k.json or .log"
		done
	done
done
[ "$(grep -c '^ab: \[[0-9]*/24\] round' "$T/err")" = 24 ] || fail "one progress line per pair"

ab 1 "a 30 % slower mutex, while the machine moves 3x between pairs" -- "$T/old" "$T/slow" \
	--out "$T/r2" --markdown "$T/r2/pr.md" --json "$T/r2/v.json"
has "^lock_counter/mutex/threads:1 .*\+30\.[0-9]%.*0\.012 +REGRESSION" "mutex flagged, q = 3 x 2^-8 = 0.0117"
grep -E "fake_a|fake_b" "$T/out" | grep -q REGRESSION && fail "only the mutex may be flagged"
grep -q '^| `lock_counter/mutex/threads:1` .*\*\*REGRESSION\*\*' "$T/r2/pr.md" || fail "markdown"
jq -e '.regression and .correction == "Benjamini-Hochberg" and ([.rows[] | select(.decision == "REGRESSION") | .name] == ["lock_counter/mutex/threads:1"]) and (.rows[] | select(.name == "lock_counter/mutex/threads:1") | .interval_pct[0] > 20 and .interval_pct[1] < 40 and .p_adjusted < 0.05)' "$T/r2/v.json" >/dev/null ||
	fail "the JSON verdict: $(cat "$T/r2/v.json")"
# what a stored baseline would have said: old measured in a slow state, new in a fast one
# (other pairs): the 30 % slowdown is hidden by the machine's 3x
"$BIN" compare "$T/r2/old-2-1.json" "$T/r2/new-2-2.json" >"$T/out" 2>&1
[ $? = 0 ] || fail "old pair 1 against new pair 2 should hide the slowdown"
has "mutex.* -[0-9]+\.[0-9]%.*inconclusive" "the machine state swamps the change between pairs"

ab 0 "the other way round: an improvement" -- "$T/slow" "$T/old" --out "$T/r3"
has "mutex.*improved" "improvement"

ab 1 "--metric cpu_time" -- "$T/old" "$T/slow" --out "$T/r4" --metric cpu_time
ab 1 "a slower mutex with one drifted pair: set aside, the rest decide" -- "$T/old" "$T/slow_drift" --out "$T/r5"
has "mutex.*REGRESSION: marked set aside: drift in 1/8 new rounds" "set aside"
# Every other pair of the mutex drifted (the fake's rounds count pairs of all benchmarks): 4
# clean of the 8 chosen, fewer than the 8 - 2 the choice counts on, so the mutex alone gets
# more pairs until 6 are clean (11 in all, 5 drifted); the others keep 8.
ab 1 "half the pairs drifted: more pairs until enough are clean" -- "$T/old" "$T/slow_halfdrift" \
	--out "$T/r5c"
has "mutex.*REGRESSION: marked set aside: drift in 5/11 new rounds" "11 pairs, 5 set aside"
has "up to 24 for the 1 with fewer than 6 clean pairs" "the extension is said"
[ "$(grep -cF -- '--filter ^lock_counter/mutex/threads:1$ ' "$T/log")" = 22 ] ||
	fail "the mutex: 11 pairs, 22 runs: $(grep -cF mutex "$T/log")"
[ "$(grep -cF -- '--filter ^fake_a/x$ ' "$T/log")" = 16 ] || fail "fake_a: 8 pairs"
ab 0 "with --rounds, exactly that many" -- "$T/old" "$T/slow_halfdrift" --rounds 8 --out "$T/r5d"
has "mutex.*unreliable: drift in 4/8 new rounds" "8 pairs, 4 set aside: unreliable"
ab 0 "NEW's two threads saw another vCPU placement in every pair" -- "$T/old" "$T/farther" \
	--rounds 5 --out "$T/r5b"
has "fake_b/y .*unreliable: round trip differs in 5/5 paired rounds" "state differs"
ab 0 "3 pairs: inconclusive, never a verdict on the threshold alone" -- "$T/old" "$T/slow" --rounds 3 --out "$T/r6"
has "mutex.*inconclusive" "inconclusive"
has "too few pairs" "explained"
ab 1 "... unless --fail-on-inconclusive" -- "$T/old" "$T/slow" --rounds 3 --out "$T/r6" --fail-on-inconclusive
ab 1 "--filter" -- "$T/old" "$T/slow" --filter 'mutex|fake_a' --out "$T/r7"
grep -q -- "--filter \^fake_a/x\$ --repetitions 1 --out" "$T/log" || fail "the filter as exact names"
grep -q fake_b "$T/out" && fail "the filter should have left fake_b out"

ab 2 "NEW refuses its arguments" -- "$T/old" "$T/badargs" --out "$T/r8"
has -e "new run of .* ended with status 2 \(refused its arguments\): fake: unknown option --frob" "names it"
ab 2 "NEW writes no results (in a directory holding an earlier ab's files)" -- "$T/old" "$T/nofile" --out "$T/r1"
ab 2 "NEW writes a truncated file" -- "$T/old" "$T/truncated" --out "$T/r10"
ab 2 "NEW crashes" -- "$T/old" "$T/crash" --out "$T/r11"
has -e "killed by signal 11" "names the signal"
ab 2 "NEW runs with another placement" -- "$T/old" "$T/scatter" --out "$T/r12"
has -e "not comparable" "not comparable"
ab 2 "OLD missing" -- "$T/nonexistent" "$T/same" --out "$T/r13"
ab 2 "OLD not executable" -- "$FAKE" "$T/same" --out "$T/r14"
ab 2 "one program" -- "$T/old"
ab 2 "--rounds 0" -- "$T/old" "$T/same" --rounds 0
ab 2 "an unknown option" -- "$T/old" "$T/same" --frob
ab 2 "--out under a regular file" -- "$T/old" "$T/same" --out "$T/old/x"
ab 2 "--markdown to a device" -- "$T/old" "$T/same" --markdown /dev/full

# SIGINT: the running child is stopped, ab exits 2 at once
rm -f "$T/child.pid"
FAKE_LOG=$T/log FAKE_STATE=$T/state "$BIN" ab "$T/old" "$T/sleepy" --out "$T/r15" \
	>"$T/out" 2>"$T/err" &
abpid=$!
i=0
while [ ! -s "$T/child.pid" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
child=$(cat "$T/child.pid" 2>/dev/null)
kill -INT $abpid
wait $abpid
st=$?
if [ "$st" != 2 ]; then
	fail "SIGINT: exit $st, want 2"
	cat "$T/err"
elif ! grep -q "interrupted" "$T/err"; then
	fail "SIGINT: no 'interrupted' message"
else
	echo "ok: SIGINT stops ab and its child (exit 2)"
fi
sleep 0.2
if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
	fail "SIGINT: the child $child is still running"
	kill "$child"
fi

# The real program against itself, 2 short rounds: the runs are accepted and read (the
# verdict is the machine's business: 0 or 1, never 2)
"$BIN" ab "$BIN" "$BIN" --filter '^overhead_null/c/' --rounds 2 --min-time 0.01 \
	--out "$T/real" >"$T/out" 2>"$T/err"
st=$?
if [ "$st" = 2 ] || ! grep -q "^overhead_null/c/threads:1 " "$T/out" ||
	! jq -e '.context.placement' "$T/real/new-1-2.json" >/dev/null; then
	fail "real ab: exit $st"
	cat "$T/out" "$T/err"
else
	echo "ok: the real program against itself (exit $st)"
fi

if [ "$fails" != 0 ]; then
	echo "ab_cli: $fails failure(s)"
	exit 1
fi
echo "ab_cli: ok"
