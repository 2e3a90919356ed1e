/*
 * lk_window.h - the fixed-duration window every lock workload runs in, and its metrics.
 *
 * Google Benchmark hands every thread the same iteration count n, which hides unfairness.
 * So a locks benchmark runs a window instead: every thread repeats the operation (in
 * chunks of LK_CHUNK) until a shared stop flag is set, counting its own operations; the
 * first thread to complete n operations sets the flag. All threads therefore work over the
 * same span, and a starved thread cannot stretch it (someone always completes n). Each
 * thread publishes its count, handoffs, torn reads and CPU time once, after the window;
 * thread 0 checks the answer and sets the counters (set from thread 0 only, since Google
 * Benchmark sums counters over threads):
 *   ops_per_sec     all threads' operations / window (first start to last stop)
 *   ns_per_op       the inverse: wall ns per operation of the whole machine
 *   cpu_ns_per_op   CPU time of all threads / operations (spinning shows here)
 *   fair_maxmin     largest / smallest per-thread count (a thread with 0 counts as 1)
 *   fair_cv         coefficient of variation (population stddev / mean) of the counts
 *   handoff_pct     share of acquisitions that found another thread the last holder
 *   handoff_rtt     window / handoffs, in units of the round trip measured before the
 *                   benchmark: the mean time between changes of owner. For FIFO locks
 *                   (ticket, mcs) under saturation every acquisition is a handoff and
 *                   this is the cost of passing the lock; where a holder can re-acquire
 *                   (tas, spin, mutex) it includes its streaks - read it with
 *                   handoff_pct. Locks only, 2+ threads, and only when the rtt is known.
 *   window_capped   1 if the cap below closed the window, not n operations
 *   spin_budget_ns  spin-then-park locks (*_park): how long a waiter spun before it parked
 *                   (lk_park_budget_ns below)
 * Google Benchmark's own time per iteration is window / (n x threads): at one thread the
 * time of one operation; with more threads (or a capped window) trust ops_per_sec and
 * ns_per_op instead.
 */
#ifndef CONTEND_LK_WINDOW_H
#define CONTEND_LK_WINDOW_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"
#include "window.h"

#define LK_CHUNK 16 /* operations between two looks at the stop flag */

#define LK_CAT3_(a, b, c) a##b##c
#define LK_CAT3(a, b, c)  LK_CAT3_(a, b, c)
/* LK_FN(_lock) -> lk_<LK_TOK>_lock, for the strategy a template is instantiated for. */
#define LK_FN(suffix) LK_CAT3(lk_, LK_TOK, suffix)

typedef struct {
	CT_ALIGNED uint64_t ops;
	uint64_t handoffs, torn, writes;
	uint64_t t0, t1, cpu_ns;
} lk_res;

/* lock_counter's and lock_cs's protected data: plain fields, touched only under the lock. */
typedef struct {
	CT_ALIGNED uint64_t value;
	int owner; /* the last holder: a change is a handoff */
} lk_counted;

/*
 * The window also has a cap on its length, checked on the clock every LK_CAP_EVERY+1
 * chunks (every chunk when threads outnumber PUs). A FIFO spinlock with more threads than
 * PUs hands the lock to a preempted waiter at every turn and can need a scheduler tick
 * per operation: the cap (LK_CAP_OVERSUB_NS) ends such a window, and counter
 * window_capped says so. Otherwise the cap (LK_CAP_NS) only guards against a host that
 * stops the run.
 */
#define LK_CAP_EVERY	  255
#define LK_CAP_NS	  5000000000u
#define LK_CAP_OVERSUB_NS 200000000u

typedef struct {
	ct_stop stop;
	lk_res *res;
	int nres;
	uint64_t cap_mask, cap_ns;
	atomic_int capped;
} lk_window;

static inline uint64_t lk_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Thread 0, before ct_begin (whose barrier publishes it to the other threads). */
static inline void lk_window_setup(lk_window *w, ct_state *st)
{
	int t = ct_threads(st);
	if (w->nres < t) {
		free(w->res);
		w->res = aligned_alloc(CT_PAD, sizeof(lk_res) * (size_t)t);
		if (!w->res)
			abort(); /* the other threads wait in ct_begin: no clean way out */
		w->nres = t;
	}
	ct_stop_init(&w->stop);
	int oversub = t > ct_placement_pus();
	w->cap_mask = oversub ? 0 : LK_CAP_EVERY;
	w->cap_ns = oversub ? LK_CAP_OVERSUB_NS : LK_CAP_NS;
	atomic_store(&w->capped, 0);
	for (int i = 0; i < t; i++)
		w->res[i] = (lk_res){0};
}

/* After ct_begin: the thread's window opens. */
static inline void lk_window_start(lk_window *w, int me)
{
	w->res[me].cpu_ns = lk_cpu_ns();
	w->res[me].t0 = ct_now_ns();
}

/* After each chunk: 1 when the window has closed for this thread. */
static inline int lk_window_tick(lk_window *w, int me, uint64_t ops, int64_t n)
{
	if (ops >= (uint64_t)n) {
		ct_stop_set(&w->stop);
		return 1;
	}
	if (((ops / LK_CHUNK) & w->cap_mask) == 0 && ct_now_ns() - w->res[me].t0 > w->cap_ns) {
		atomic_store_explicit(&w->capped, 1, memory_order_relaxed);
		ct_stop_set(&w->stop);
		return 1;
	}
	return ct_stop_seen(&w->stop);
}

static inline void lk_window_finish(lk_window *w, int me, uint64_t ops, uint64_t handoffs,
				    uint64_t torn, uint64_t writes)
{
	lk_res *r = &w->res[me];
	r->t1 = ct_now_ns();
	r->cpu_ns = lk_cpu_ns() - r->cpu_ns;
	r->ops = ops;
	r->handoffs = handoffs;
	r->torn = torn;
	r->writes = writes;
}

typedef struct {
	uint64_t ops, handoffs, torn, writes;
} lk_totals;

/* Thread 0, after ct_sync. */
static inline lk_totals lk_window_totals(const lk_window *w, int threads)
{
	lk_totals t = {0};
	for (int i = 0; i < threads; i++) {
		t.ops += w->res[i].ops;
		t.handoffs += w->res[i].handoffs;
		t.torn += w->res[i].torn;
		t.writes += w->res[i].writes;
	}
	return t;
}

enum { LK_REPORT_HANDOFFS = 1 };

/* Thread 0, after ct_sync and the answer check: the metrics above. */
static inline void lk_window_report(const lk_window *w, ct_state *st, unsigned flags)
{
	int t = ct_threads(st);
	lk_totals tot = lk_window_totals(w, t);
	uint64_t *a = malloc(sizeof(uint64_t) * 4 * (size_t)t);
	if (!a)
		abort();
	for (int i = 0; i < t; i++) {
		a[i] = w->res[i].t0;
		a[t + i] = w->res[i].t1;
		a[2 * t + i] = w->res[i].ops;
		a[3 * t + i] = w->res[i].cpu_ns;
	}
	/* the window's metrics and per-thread record, as every windowed family's (window.h) */
	double span =
	    ct_window_publish(st, t, a, a + t, a + 2 * t, a + 3 * t, atomic_load(&w->capped));
	double ops = tot.ops ? (double)tot.ops : 1;
	free(a);
	if ((flags & LK_REPORT_HANDOFFS) && t > 1) {
		ct_counter(st, "handoff_pct", 100.0 * (double)tot.handoffs / ops, CT_COUNTER_PLAIN);
		double rtt = ct_rtt_before_ns();
		if (rtt > 0 && tot.handoffs > 0)
			ct_counter(st, "handoff_rtt", span / (double)tot.handoffs / rtt,
				   CT_COUNTER_PLAIN);
	}
}

/*
 * The spin budget of the spin-then-park locks: LK_PARK_RTTS cache-line round trips as
 * measured just before the benchmark (LK_PARK_RTT_UNKNOWN_NS each when unmeasured). A
 * handoff between running threads costs about one round trip, so a waiter that has spun
 * through LK_PARK_RTTS of them is almost surely behind a holder (or an earlier waiter)
 * that is not running; and 100 round trips (6-45 us here) is the order of what parking
 * and being woken costs on these VMs (tens of us), so a waiter never spins much longer
 * than parking would have cost it. With more threads than PUs some thread in the queue is
 * descheduled most of the time: LK_PARK_RTTS_OVERSUB round trips, then park.
 */
#define LK_PARK_RTTS	       100
#define LK_PARK_RTTS_OVERSUB   10
#define LK_PARK_RTT_UNKNOWN_NS 200

static inline uint64_t lk_park_budget_ns(ct_state *st)
{
	double rtt = ct_rtt_before_ns();
	if (rtt <= 0)
		rtt = LK_PARK_RTT_UNKNOWN_NS;
	int rtts = ct_threads(st) > ct_placement_pus() ? LK_PARK_RTTS_OVERSUB : LK_PARK_RTTS;
	return (uint64_t)(rtt * rtts);
}

/*
 * The yielding between spin and park (lk_park.h): where threads outnumber the PUs of the
 * placement, up to LK_PARK_YIELD_NS of sched_yield before the futex sleep (lk_park_wait,
 * while the word it would sleep on is unchanged), so the PU goes to a runnable
 * thread (the one the lock goes to next, or its holder) instead of idling once all wait
 * parked. 50 us is the order of a park and wake-up on these VMs (a halted vCPU woken: tens
 * of us), so a waiter behind a holder that blocks, which no yield helps, wastes no more
 * than parking at once would have cost it. Not oversubscribed: none (a yield finds no
 * other thread to run).
 */
#define LK_PARK_YIELD_NS 50000u

static inline uint64_t lk_park_yield_ns(ct_state *st)
{
	return ct_threads(st) > ct_placement_pus() ? LK_PARK_YIELD_NS : 0;
}

/* xorshift64: the read-or-write choice of lock_readmostly, the same cost everywhere. */
static inline uint64_t lk_rng(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

#endif
