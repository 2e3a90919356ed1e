/*
 * mp_bench.c - atomic_mp/<ordering>: message passing (mp.h) between two pinned benchmark
 * threads, one round trip per iteration.
 *
 * Stresses the handoff of a payload through a flag, two cache lines each way. Left out:
 * payloads longer than a word, and waiting by anything but spinning. Metric: `rtt_ns`, the
 * round trip in ns (Google Benchmark's own time per iteration counts both threads'
 * iterations, so it is half of it), and `latency_rtt`, rtt_ns in units of the cache-line
 * round trip measured just before (rtt_before_ns; >= 1 since two lines move, not one).
 * `stale_payloads` counts reads that saw the flag but an older payload: allowed (and
 * reported) for relaxed_unsafe, a failed run for release_acquire and seq_cst. On x86-64
 * relaxed and release/acquire compile to the same plain movs (TSO never shows a stale
 * payload there); seq_cst makes each flag and payload store an xchg.
 */
#include <stdio.h>

#include "atomics/mp.h"
#include "bench.h"

static at_mp mp;
static CT_ALIGNED _Atomic int64_t mp_stale, mp_failed;

static void mp_bench(ct_state *st, void *ctx)
{
	const enum at_mp_order o = (enum at_mp_order)(intptr_t)ctx;
	const int t = ct_thread_index(st);

	if (t == 0) { /* the start barrier in ct_begin orders this before thread 1 */
		at_mp_init(&mp);
		atomic_store(&mp_stale, 0);
		atomic_store(&mp_failed, 0);
	}
	int64_t n = ct_begin(st);
	uint64_t t0 = ct_now_ns();
	int64_t stale = at_mp_run(&mp, t, n, o);
	uint64_t t1 = ct_now_ns();
	ct_end(st);
	if (stale < 0)
		atomic_store(&mp_failed, 1);
	else
		atomic_fetch_add(&mp_stale, stale);
	if (n > 0)
		ct_counter(st, "rtt_ns", (double)(t1 - t0) / (double)n, CT_COUNTER_AVG_THREADS);
	ct_items_processed(st, n);
	ct_sync(st);
	if (t != 0)
		return;
	double rtt = ct_rtt_before_ns();
	if (rtt > 0 && n > 0)
		ct_counter(st, "latency_rtt", (double)(t1 - t0) / (double)n / rtt,
			   CT_COUNTER_PLAIN);
	int64_t s = atomic_load(&mp_stale);
	ct_counter(st, "stale_payloads", (double)s, CT_COUNTER_PLAIN);
	if (atomic_load(&mp_failed))
		ct_skip_error(st, "message passing: the partner stopped answering (10 s stall)");
	else if (s > 0 && o != AT_MP_RELAXED_UNSAFE) {
		char msg[128];
		snprintf(msg, sizeof(msg), "message passing %s: %lld stale payloads after the flag",
			 at_mp_order_name(o), (long long)s);
		ct_skip_error(st, msg);
	}
}

void at_register_mp(void)
{
	static char summaries[AT_MP_NORDERS][128];

	for (int o = 0; o < AT_MP_NORDERS; o++) {
		snprintf(summaries[o], sizeof(summaries[o]),
			 "message passing ping-pong, payload then flag, %s (round trip)",
			 at_mp_order_name(o));
		ct_register(&(ct_def){
		    .workload = "atomic_mp",
		    .strategy = at_mp_order_name(o),
		    .summary = summaries[o],
		    .fn = mp_bench,
		    .ctx = (void *)(intptr_t)o,
		    .threads = {2},
		    .flags = CT_REAL_TIME | CT_LOCKSTEP | CT_DEFAULT |
			     (o == AT_MP_RELEASE_ACQUIRE ? CT_QUICK : 0),
		});
	}
}
