/*
 * litmus_bench.c - atomic_litmus_<test>/<ordering>: the litmus tests of litmus.h as
 * benchmarks, one trial per iteration on two pinned benchmark threads.
 *
 * Stresses what an ordering lets the hardware show. Left out: tests beyond SB and MP (load
 * buffering, IRIW, 2+2W). Metric: the outcome counts `outcome_00` .. `outcome_11` (r1 r2)
 * and `forbidden_seen` (trials with the outcome sequential consistency forbids), set by
 * thread 0; the time per iteration is the cost of a trial with its barrier (half of it, as
 * Google Benchmark counts both threads' iterations). A forbidden outcome under an ordering
 * where C11 forbids it too fails the run; under one where C11 allows it, it is the result.
 */
#include <stdio.h>

#include "atomics/litmus.h"
#include "bench.h"

static at_litmus lit;
static CT_ALIGNED _Atomic int lit_failed;

static void litmus_bench(ct_state *st, void *ctx)
{
	const int id = (int)(intptr_t)ctx;
	const enum at_litmus_test test = (enum at_litmus_test)(id / AT_LO_NORDERS);
	const enum at_litmus_order order = (enum at_litmus_order)(id % AT_LO_NORDERS);
	const int t = ct_thread_index(st);

	if (t == 0) { /* ordered before thread 1 by the start barrier in ct_begin */
		at_litmus_init(&lit, test, order);
		atomic_store(&lit_failed, 0);
	}
	int64_t n = ct_begin(st);
	int r = at_litmus_run(&lit, t, n);
	ct_end(st);
	if (r)
		atomic_store(&lit_failed, 1);
	ct_items_processed(st, n);
	ct_sync(st);
	if (t != 0)
		return;
	static const char *const names[4] = {"outcome_00", "outcome_01", "outcome_10",
					     "outcome_11"};
	uint64_t total = 0;
	for (int i = 0; i < 4; i++) {
		ct_counter(st, names[i], (double)lit.counts[i], CT_COUNTER_PLAIN);
		total += lit.counts[i];
	}
	uint64_t forbidden = lit.counts[at_litmus_forbidden(test)];
	ct_counter(st, "forbidden_seen", (double)forbidden, CT_COUNTER_PLAIN);
	char msg[160];
	if (atomic_load(&lit_failed)) {
		ct_skip_error(st, "litmus: the partner stopped answering (10 s stall)");
	} else if (total != (uint64_t)n) {
		snprintf(msg, sizeof(msg), "litmus: %llu outcomes counted for %lld trials",
			 (unsigned long long)total, (long long)n);
		ct_skip_error(st, msg);
	} else if (forbidden && !at_litmus_c11_allows(test, order)) {
		snprintf(msg, sizeof(msg), "litmus %s/%s: %llu outcomes that C11 forbids",
			 at_litmus_test_name(test), at_litmus_order_name(order),
			 (unsigned long long)forbidden);
		ct_skip_error(st, msg);
	}
}

void at_register_litmus(void)
{
	static char workloads[AT_LT_NTESTS][32], sums[AT_LT_NTESTS * AT_LO_NORDERS][128];

	for (int id = 0; id < AT_LT_NTESTS * AT_LO_NORDERS; id++) {
		enum at_litmus_test test = (enum at_litmus_test)(id / AT_LO_NORDERS);
		enum at_litmus_order o = (enum at_litmus_order)(id % AT_LO_NORDERS);
		snprintf(workloads[test], sizeof(workloads[test]), "atomic_litmus_%s",
			 at_litmus_test_name(test));
		snprintf(sums[id], sizeof(sums[id]), "litmus %s (%s) under %s: outcome counts",
			 test == AT_LT_SB ? "SB" : "MP",
			 test == AT_LT_SB ? "store buffering" : "message passing",
			 at_litmus_order_name(o));
		unsigned flags = CT_REAL_TIME | CT_LOCKSTEP;
		if (o != AT_LO_FENCE)
			flags |= CT_DEFAULT;
		if (test == AT_LT_SB && o == AT_LO_RELAXED)
			flags |= CT_QUICK;
		ct_register(&(ct_def){
		    .workload = workloads[test],
		    .strategy = at_litmus_order_name(o),
		    .summary = sums[id],
		    .fn = litmus_bench,
		    .ctx = (void *)(intptr_t)id,
		    .threads = {2},
		    .flags = flags,
		});
	}
}
