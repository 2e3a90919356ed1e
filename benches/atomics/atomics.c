/*
 * atomics.c - the atomics family (issue 4 extends it to the full ordering matrix).
 *
 * atomic_faa/relaxed/shared: every thread does a relaxed fetch_add on one shared 64-bit
 * counter, result unused. Stresses the cache line moving between cores; leaves out any
 * ordering cost (relaxed). Metric: ns per operation per thread; checked after the clock
 * stops: the counter equals the sum of every thread's operations.
 */
#include "bench.h"

static struct {
	CT_ALIGNED atomic_uint_fast64_t counter;
	CT_ALIGNED atomic_uint_fast64_t expected;
} faa_shared;

static void faa_relaxed_shared(ct_state *st, void *ctx)
{
	(void)ctx;
	if (ct_thread_index(st) == 0) {
		atomic_store(&faa_shared.counter, 0);
		atomic_store(&faa_shared.expected, 0);
	}
	int64_t n = ct_begin(st); /* Google Benchmark's start barrier orders the reset */
	for (int64_t i = 0; i < n; i++)
		atomic_fetch_add_explicit(&faa_shared.counter, 1, memory_order_relaxed);
	ct_end(st);
	atomic_fetch_add(&faa_shared.expected, (uint64_t)n);
	ct_items_processed(st, n);
	ct_sync(st);
	if (ct_thread_index(st) == 0 &&
	    atomic_load(&faa_shared.counter) != atomic_load(&faa_shared.expected))
		ct_skip_error(st, "the counter lost increments");
}

void ct_register_atomics(void)
{
	ct_register(&(ct_def){
	    .name = "atomic_faa/relaxed/shared",
	    .summary = "relaxed fetch_add on one shared counter, 1 to N threads",
	    .fn = faa_relaxed_shared,
	    .threads = {CT_THREADS_SWEEP},
	    .flags = CT_QUICK | CT_DEFAULT,
	});
}
