/*
 * window.h - the measurement model of every benchmark whose threads contend on shared
 * state: all threads work over one shared wall-clock window.
 *
 * Google Benchmark hands every thread the same iteration count n and divides all items by
 * the mean of the per-thread times: when threads finish one after another (a lock taken
 * in turns, a contended line) that overstates throughput, up to 2T/(T+1), and hides
 * unfairness. In a window instead every thread repeats its operation in chunks until a
 * shared stop flag is set, counting its own operations; the first thread to complete n
 * sets the flag, so all threads work over the same span and a starved thread cannot
 * stretch it. Then (ct_window_report, thread 0, after ct_sync):
 *   ops_per_sec    all threads' operations / (last thread's end - first thread's start)
 *   ns_per_op      the inverse: wall ns per operation of the whole machine
 *   cpu_ns_per_op  CPU time of all threads / operations (spinning shows here)
 *   fair_maxmin    largest / smallest per-thread count (a thread with 0 counts as 1)
 *   fair_cv        coefficient of variation (population stddev / mean) of the counts
 *   window_capped  1 if the cap on the window's length closed it, not n operations
 * and each thread's start, end and count go into the result (its "window" object), so
 * the figure can be recomputed. Register such a benchmark with CT_WINDOWED: its declared
 * metric is ops_per_sec; Google Benchmark's time per iteration is window / (n x threads)
 * and means nothing across thread counts.
 *
 *	if (ct_thread_index(st) == 0) ct_window_setup(&w, st);
 *	int64_t n = ct_begin(st);           // its barrier publishes the setup
 *	int me = ct_thread_index(st);
 *	uint64_t ops = 0;
 *	ct_window_start(&w, me);
 *	do { ... CHUNK operations ...; ops += CHUNK; } while (!ct_window_tick(&w, me, ops, n));
 *	ct_window_finish(&w, me, ops);
 *	ct_end(st);
 *	ct_sync(st);                        // every thread's record is in
 *	if (me == 0) { ... check the answer ...; ct_window_report(&w, st); }
 */
#ifndef CONTEND_WINDOW_H
#define CONTEND_WINDOW_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "arch.h"
#include "bench.h"

typedef struct {
	CT_ALIGNED uint64_t ops;
	uint64_t t0, t1, cpu_ns, ticks;
} ct_window_thread;

/*
 * The cap on the window's length, checked on the clock every CT_WINDOW_CAP_EVERY+1 ticks
 * (every tick when threads outnumber PUs, where a FIFO handoff to a preempted thread can
 * cost a scheduler tick per operation): CT_WINDOW_CAP_OVERSUB_NS ends such a window,
 * otherwise CT_WINDOW_CAP_NS only guards against a host that stops the run.
 */
#define CT_WINDOW_CAP_EVERY	 255
#define CT_WINDOW_CAP_NS	 5000000000u
#define CT_WINDOW_CAP_OVERSUB_NS 200000000u

typedef struct {
	ct_stop stop;
	ct_window_thread *th;
	int nth;
	uint64_t ticks_mask, cap_ns;
	atomic_int capped;
} ct_window;

static inline uint64_t ct_thread_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Thread 0, before ct_begin (whose barrier publishes it to the other threads). */
static inline void ct_window_setup(ct_window *w, ct_state *st)
{
	int t = ct_threads(st);
	if (w->nth < t) {
		free(w->th);
		w->th = aligned_alloc(CT_PAD, sizeof(ct_window_thread) * (size_t)t);
		if (!w->th)
			abort(); /* the other threads wait in ct_begin: no clean way out */
		w->nth = t;
	}
	ct_stop_init(&w->stop);
	int oversub = t > ct_placement_pus();
	w->ticks_mask = oversub ? 0 : CT_WINDOW_CAP_EVERY;
	w->cap_ns = oversub ? CT_WINDOW_CAP_OVERSUB_NS : CT_WINDOW_CAP_NS;
	atomic_store(&w->capped, 0);
	for (int i = 0; i < t; i++)
		w->th[i] = (ct_window_thread){0};
}

/* After ct_begin: this thread's window opens. */
static inline void ct_window_start(ct_window *w, int me)
{
	w->th[me].cpu_ns = ct_thread_cpu_ns();
	w->th[me].t0 = ct_now_ns();
}

/* After each chunk (ops: this thread's operations so far): 1 when its window has closed. */
static inline int ct_window_tick(ct_window *w, int me, uint64_t ops, int64_t n)
{
	if (ops >= (uint64_t)n) {
		ct_stop_set(&w->stop);
		return 1;
	}
	if ((++w->th[me].ticks & w->ticks_mask) == 0 && ct_now_ns() - w->th[me].t0 > w->cap_ns) {
		atomic_store_explicit(&w->capped, 1, memory_order_relaxed);
		ct_stop_set(&w->stop);
		return 1;
	}
	return ct_stop_seen(&w->stop);
}

/* The window closed for this thread: its end, CPU time and count. */
static inline void ct_window_finish(ct_window *w, int me, uint64_t ops)
{
	ct_window_thread *r = &w->th[me];
	r->t1 = ct_now_ns();
	r->cpu_ns = ct_thread_cpu_ns() - r->cpu_ns;
	r->ops = ops;
}

/* Record each thread's start, end and count in the result (thread 0 only). */
void ct_window_record(ct_state *st, int threads, const uint64_t *t0, const uint64_t *t1,
		      const uint64_t *ops);

/*
 * The metrics above from each thread's start, end, count and CPU time (thread 0, after
 * ct_sync), and the per-thread record; returns the window's span in ns. ct_window_report
 * uses it, and so does a window that keeps more per thread (the locks' handoffs).
 */
static inline double ct_window_publish(ct_state *st, int t, const uint64_t *t0, const uint64_t *t1,
				       const uint64_t *ops, const uint64_t *cpu_ns, int capped)
{
	uint64_t first = UINT64_MAX, last = 0, cpu = 0, mx = 0, mn = UINT64_MAX, tot = 0;
	double sum = 0, sq = 0;

	for (int i = 0; i < t; i++) {
		first = t0[i] < first ? t0[i] : first;
		last = t1[i] > last ? t1[i] : last;
		cpu += cpu_ns[i];
		mx = ops[i] > mx ? ops[i] : mx;
		mn = ops[i] < mn ? ops[i] : mn;
		tot += ops[i];
		sum += (double)ops[i];
		sq += (double)ops[i] * (double)ops[i];
	}
	double span = last > first ? (double)(last - first) : 1;
	double n = tot ? (double)tot : 1;
	double mean = sum / t, var = sq / t - mean * mean;
	ct_counter(st, "ops_per_sec", n / span * 1e9, CT_COUNTER_PLAIN);
	ct_counter(st, "ns_per_op", span / n, CT_COUNTER_PLAIN);
	ct_counter(st, "cpu_ns_per_op", (double)cpu / n, CT_COUNTER_PLAIN);
	ct_counter(st, "fair_maxmin", (double)mx / (double)(mn ? mn : 1), CT_COUNTER_PLAIN);
	ct_counter(st, "fair_cv", mean > 0 && var > 0 ? sqrt(var) / mean : 0, CT_COUNTER_PLAIN);
	ct_counter(st, "window_capped", capped, CT_COUNTER_PLAIN);
	ct_window_record(st, t < CT_WINDOW_MAX_RECORD ? t : CT_WINDOW_MAX_RECORD, t0, t1, ops);
	return span;
}

/* Thread 0, after ct_sync: the metrics above, and the per-thread record. Returns the
 * operations of all threads. */
static inline uint64_t ct_window_report(const ct_window *w, ct_state *st)
{
	int t = ct_threads(st);
	uint64_t *a = malloc(sizeof(uint64_t) * 4 * (size_t)t), tot = 0;

	if (!a)
		abort();
	for (int i = 0; i < t; i++) {
		a[i] = w->th[i].t0;
		a[t + i] = w->th[i].t1;
		a[2 * t + i] = w->th[i].ops;
		a[3 * t + i] = w->th[i].cpu_ns;
		tot += w->th[i].ops;
	}
	ct_window_publish(st, t, a, a + t, a + 2 * t, a + 3 * t, atomic_load(&w->capped));
	free(a);
	return tot;
}

#endif
