#!/bin/sh
# window.sh CONTEND SRC - the window accounting is exact: every windowed result carries each
# thread's start, end and count, and its ops_per_sec is their sum over (last end - first
# start); a strictly serial workload (a lock held across a 100 us wait) cannot exceed one
# wait's rate however many threads share the window.
set -eu
BIN=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
q() { jq -r "$1" "$T/r.json" >"$T/q" || fail "jq failed: $1"; }

f='^(lock_counter/(mutex|ticket)/|atomic_faa/relaxed/sharing:(shared|private)/|sem_acq_rel/futex/|anti_lock_across_wait/held/.*threads:[12]$)'
"$BIN" run --filter "$f" --threads 1,2 --min-time 0.002 --repetitions 2 --out "$T/r.json" \
	>/dev/null 2>"$T/err" || { tail -5 "$T/err" >&2; fail "run"; }
q '[.benchmarks[] | select(.windowed and .run_type == "iteration")] | length'
n=$(cat "$T/q")
[ "$n" -ge 10 ] || fail "only $n windowed results"
# each thread's record, as many as threads, and the figure recomputed from it
q '.benchmarks[] | select(.windowed and .run_type == "iteration") |
   select((.window.ops | length) != .threads or (.window.start_ns | length) != .threads
          or (.window.end_ns | length) != .threads) | .name'
[ ! -s "$T/q" ] || fail "a window record without one entry per thread: $(head -1 "$T/q")"
q '.benchmarks[] | select(.windowed and .run_type == "iteration") |
   ((.window.ops | add) / ((.window.end_ns | max) - (.window.start_ns | min)) * 1e9) as $r |
   select((($r - .ops_per_sec) | fabs) > 1e-6 * .ops_per_sec) |
   "\(.name): recomputed \($r), reported \(.ops_per_sec)"'
[ ! -s "$T/q" ] || fail "ops_per_sec is not sum(ops)/(last end - first start): $(head -1 "$T/q")"
# aggregates keep no per-thread record (a mean of start times means nothing)
q '.benchmarks[] | select(.run_type == "aggregate" and has("window")) | .name'
[ ! -s "$T/q" ] || fail "an aggregate with a window record: $(head -1 "$T/q")"
echo "ok: $n windowed results: per-thread records, ops_per_sec recomputed exactly"
# held across the wait: one holder at a time, each for at least 100 us
q '.benchmarks[] | select(.run_type == "iteration" and (.name | startswith("anti_lock_across_wait/held/"))) |
   select(.ops_per_sec > 1e9 / 100000 * (1 + 1 / (.window.ops | add))) | .name'
[ ! -s "$T/q" ] || fail "a lock held across a 100 us wait ran faster than one wait at a time: $(head -1 "$T/q")"
echo "ok: the serial workload is not overstated at 2 threads"
