#!/bin/sh
# test_json.sh CONTEND_BIN SRC_DIR - the locks family as README promises it:
# `contend list` has every strategy on every workload it runs (lock_counter, the five read
# ratios of lock_readmostly, the nine lock_cs points) and the optional ck_/urcu_ rows; and a
# short run's JSON has, per result, ops_per_sec, ns_per_op, cpu_ns_per_op, fair_maxmin,
# fair_cv and window_capped, plus handoff_pct / handoff_rtt on 2-thread lock rows,
# writes on lock_readmostly rows and spin_budget_ns and yield_budget_ns on spin-then-park
# rows (the yielding only where threads outnumber PUs), with no error.
. "$(dirname "$0")/../lib/lib.sh"
set -e
bin=$CONTEND
tmp=$T
no() { fail "$@"; }

"$bin" list --filter '^lock_' | cut -f1 >"$tmp/list"
has() { grep -q "^$1/" "$tmp/list" || no "contend list lacks $1"; }
locks="mutex mutex_adaptive spin tas ttas ttas_eb ticket ticket_pb mcs clh rwlock_rd rwlock_wr seqlock"
locks="$locks ttas_park ticket_park mcs_park clh_park"
atomics=""
for o in relaxed acquire release acq_rel seq_cst; do atomics="$atomics faa_$o cas_$o"; done
for s in $locks $atomics; do has "lock_counter/$s/real_time"; done
for s in $locks rcu; do
	for r in 50 90 99 99.9 100; do has "lock_readmostly/$s/read:$r/real_time"; done
done
for s in $locks; do
	for c in 0 50 500; do
		for w in 0 100 1000; do has "lock_cs/$s/c:$c/w:$w/real_time"; done
	done
done
for s in ck_fas ck_fas_eb ck_cas_eb ck_ticket ck_ticket_pb ck_mcs ck_clh ck_rwlock; do has "lock_counter/$s/real_time"; done
for s in ck_rwlock ck_sequence urcu_memb; do has "lock_readmostly/$s/read:99/real_time"; done
# lock_cs reaches twice the PU count (spinning against parking when threads outnumber PUs).
pus=$(getconf _NPROCESSORS_ONLN)
grep -q "^lock_cs/mutex/c:50/w:100/real_time/threads:$((2 * pus))\$" "$tmp/list" ||
	no "lock_cs does not reach 2 x $pus threads"
# --quick covers every strategy at least once.
"$bin" list | grep '\[q\]' | cut -f1 | grep '^lock_' >"$tmp/quick" || true
for s in $locks rcu $atomics; do
	grep -q "^lock_[a-z]*/$s/" "$tmp/quick" || no "--quick lacks strategy $s"
done

out=$tmp/r.json
"$bin" run --filter '^lock_(counter/(ticket|mutex|faa_relaxed|cas_seq_cst|limit_handoff|limit_handoff_apart)/real_time/threads:(1|2)|readmostly/(rcu|seqlock|rwlock_rd)/read:99/real_time/threads:2|cs/(mcs|mcs_park)/c:50/w:100/real_time/threads:2|cs/mcs_park/c:50/w:100/real_time/threads:'"$((2 * pus))"')$' \
	--min-time 0.01 --repetitions 1 --out "$out" 2>"$tmp/err" || die "the run failed: $(cat "$tmp/err")"
check() { check_jq "$1" "$out" "$2"; }
it='[.benchmarks[] | select(.run_type == "iteration")]'
check "18 results" "$it | length == 18"
check "no benchmark failed" "$it | all(.error_occurred != true)"
check "window counters on every result" \
	"$it | all(.ops_per_sec > 0 and .ns_per_op > 0 and .cpu_ns_per_op > 0 and .fair_maxmin >= 1 and .fair_cv >= 0 and (.window_capped == 0 or .window_capped == 1))"
check "handoff_pct and handoff_rtt on 2-thread lock rows" \
	"$it | map(select(.threads == 2 and (.name | test(\"^lock_(counter/(ticket|mutex)|cs/)\")))) | length == 4 and all(.handoff_pct > 0 and (.rtt_before_ns <= 0 or .handoff_rtt > 0))"
check "no handoff counters on atomics" \
	"$it | map(select(.name | test(\"faa_|cas_\"))) | all(has(\"handoff_rtt\") | not)"
check "writes counted on lock_readmostly" \
	"$it | map(select(.name | startswith(\"lock_readmostly/\"))) | length == 3 and all(.writes > 0)"
check "spin_budget_ns on the spin-then-park row only" \
	"($it | map(select(.name | test(\"_park/\"))) | length == 2 and all(.spin_budget_ns > 0)) and ($it | map(select(.name | test(\"_park/\") | not)) | all(has(\"spin_budget_ns\") | not))"
check "yield_budget_ns: 50 us where threads outnumber the PUs, none where they fit" \
	"$it | map(select(.name | test(\"_park/\"))) | (map(select(.threads == $((2 * pus)))) | length == 1) and all(.oversubscribed == 1 and .yield_budget_ns == 50000 or .oversubscribed == 0 and .yield_budget_ns == 0)"
# the limit probes: a turn passed round in order (checked by the row itself: a wrong order
# or a lost increment fails it), every 2-thread increment a handoff, labelled as a ceiling
check "the limit probes hand off on every increment at 2 threads" \
	"$it | map(select(.threads == 2 and (.name | test(\"/limit_handoff\")))) | length == 2 and all(.handoff_pct == 100 and (.label | test(\"limit probe\")))"
check "1-thread fairness is exact" "$it | map(select(.threads == 1)) | all(.fair_maxmin == 1)"
finish
