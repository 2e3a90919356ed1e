/*
 * lk_limit.h - lock_counter/limit_handoff: the limit probe of a lock that hands off on every
 * acquisition (ticket, MCS, CLH with every thread always waiting). NOT a lock: the threads
 * take turns in a fixed order, and the turn and the counter share one cache line, so each
 * increment moves exactly one line, from the thread before to the thread after. No lock
 * that hands off on every acquisition can move fewer lines: this is its ceiling on this
 * machine, the way limit_line_publish is the SPSC ring's. A FIFO lock moves at least the
 * lock's line and the counter's (lock_counter keeps them apart for every lock), so it stays
 * below the probe; a lock that re-acquires in streaks (the mutex, ttas_eb) is not bound by
 * it.
 *   limit_handoff        the turn and the counter in one line: one line per increment.
 *   limit_handoff_apart  the counter on a line of its own, as lock_counter keeps it for every
 *                        lock: the turn's line and then the counter's move per increment, the
 *                        least a FIFO lock can move in this workload (a perfect queue lock
 *                        that knows the order in advance and needs no atomic RMW).
 *
 * Stressed: one line passed round the threads, one hop per increment. Left out: any
 * waiting policy (a waiter spins reading the line); with more threads than PUs the turn
 * reaches a descheduled thread at every hop and the window's cap ends the run.
 * Checked after the clock stops: the counter equals the increments counted, and the
 * per-thread counts differ by at most one (the turn went round in order).
 * Reached here (AMD EPYC family 25 model 1, 2 vCPUs, KVM, 2026-12-03; 84 runs of each at 2
 * threads, binned by the round trip measured around each run; handoff_rtt is one hop in
 * round trips): below 76 ns limit_handoff 63.9 M/s (0.23 round trips per hop) and
 * limit_handoff_apart 42.6 (0.35), against the mutex's 20.3; at 76-160 ns 27.0 (0.37) and
 * 12.8 (0.77) against 20.9; past 300 ns 4.5 (0.49) and 3.9 (0.59) against 19.4. So a lock
 * that hands off on every acquisition can pass this mutex only where the round trip is
 * short; in lock_counter's layout (apart) ticket 14.1, clh 15.3 and ck_ticket 15.5 M/s at
 * 76-160 ns are at or above limit_handoff_apart. Moving the counter into the lock's own line
 * does not lift them towards limit_handoff: a trial build that kept it in the padding of
 * the lock's line (2 x 7 runs a layout, 76-160 ns, 2026-12-03, not kept) gave ticket 13.7
 * against 13.3 M/s apart, ck_ticket 15.0 against 14.2, clh 15.1 against 14.5, the mutex
 * 25.1 in both. A ticket handoff moves the lock's line more than once (the waiter's
 * fetch_add takes it, the holder's release takes it back, the waiter's read fetches it
 * again); the counter rides along in one of those moves, apart or not. Under host steal
 * (10-17 % of the ticks, 2026-12-03) limit_handoff_apart sometimes fell to ~1 ms a hop
 * (0.0 M/s, 50-70 % of the CPU time elsewhere) where the locks in the same run only halved;
 * the report takes a probe's ceiling from its undisturbed repetitions only.
 * On an AMD EPYC family 25 model 17 (2026-12-04 evening, 3 runs of 21, round trip ~53 ns in
 * ~50 undisturbed runs of each): limit_handoff 31.1 M/s (0.61 round trips per hop) and
 * limit_handoff_apart 18.4 (1.00), against the mutex's 36.5: there even the one-line
 * probe is below the mutex (0.85x); ticket 24.1, clh 16.7, mcs 16.5.
 */
#ifndef CONTEND_LK_LIMIT_H
#define CONTEND_LK_LIMIT_H

#include "lk_window.h"

static struct {
	struct {
		CT_ALIGNED atomic_int turn; /* the thread whose increment is next */
		uint64_t value;		    /* written only by the thread whose turn it is */
	} line;
	CT_ALIGNED uint64_t apart; /* limit_handoff_apart's counter, on a line of its own */
	lk_window w;
} lk_limit_s;

/* apart: the counter on its own line, as lock_counter keeps it for every lock. */
static inline void lk_limit_run(ct_state *st, int apart)
{
	uint64_t *value = apart ? &lk_limit_s.apart : &lk_limit_s.line.value;
	int me = ct_thread_index(st), t = ct_threads(st);
	int next = (me + 1) % t;
	if (me == 0) {
		lk_window_setup(&lk_limit_s.w, st);
		atomic_init(&lk_limit_s.line.turn, 0);
		*value = 0;
	}
	uint64_t ops = 0;
	int64_t n = ct_begin(st);
	lk_window_start(&lk_limit_s.w, me);
	for (int done = 0; !done;) {
		for (int j = 0; j < LK_CHUNK; j++) {
			/* a waiter also watches the stop flag: the thread before it may have
			 * closed its window and will pass the turn no more */
			while (atomic_load_explicit(&lk_limit_s.line.turn, memory_order_acquire) !=
			       me) {
				if (ct_stop_seen(&lk_limit_s.w.stop)) {
					done = 1;
					break;
				}
				ct_cpu_relax();
			}
			if (done)
				break;
			(*value)++;
			ops++;
			atomic_store_explicit(&lk_limit_s.line.turn, next, memory_order_release);
		}
		if (!done)
			done = lk_window_tick(&lk_limit_s.w, me, ops, n);
	}
	/* at one thread there is no hop: nothing to count as one */
	lk_window_finish(&lk_limit_s.w, me, ops, t > 1 ? ops : 0, 0, 0);
	ct_end(st);
	ct_items_processed(st, (int64_t)ops);
	ct_sync(st);
	if (me != 0)
		return;
	ct_label(st, "limit probe: a ceiling, not a lock");
	lk_totals tot = lk_window_totals(&lk_limit_s.w, t);
	uint64_t lo = UINT64_MAX, hi = 0;
	for (int i = 0; i < t; i++) {
		uint64_t k = lk_limit_s.w.res[i].ops;
		lo = k < lo ? k : lo;
		hi = k > hi ? k : hi;
	}
	if (*value != tot.ops)
		ct_skip_error(st,
			      "limit_handoff: the counter does not match the increments counted");
	else if (hi - lo > 1)
		ct_skip_error(st, "limit_handoff: the turn went out of order (per-thread counts "
				  "differ by more than one)");
	else
		lk_window_report(&lk_limit_s.w, st, LK_REPORT_HANDOFFS);
}

static void lock_counter_limit_handoff(ct_state *st, void *ctx)
{
	(void)ctx;
	lk_limit_run(st, 0);
}

static void lock_counter_limit_handoff_apart(ct_state *st, void *ctx)
{
	(void)ctx;
	lk_limit_run(st, 1);
}

#endif
