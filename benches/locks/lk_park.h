/*
 * lk_park.h - what the spin-then-park locks share (ttas_park, ticket_park, mcs_park,
 * clh_park): a spin bounded in time, then a futex to sleep on.
 *
 * A waiter spins (as its spinning form does) for at most the lock's spin_ns, then parks:
 * it marks the word it waits on as "a thread sleeps here" and sleeps in FUTEX_WAIT until
 * the releaser, seeing the mark, wakes it. Spinning costs nothing while the holder runs and
 * hands over within the budget; parking frees the CPU when it does not (the holder or an
 * earlier waiter preempted, as when threads outnumber PUs), at the price of a system call
 * on both sides and a wake-up latency (tens of microseconds across vCPUs here).
 *
 * spin_ns is LK_PARK_SPIN_NS after init; the benchmark templates replace it with the budget
 * the harness derives from the round trip it measured before the run (lk_park_budget_ns in
 * lk_window.h) and record it as the counter spin_budget_ns.
 *
 * Between the spin and the park, a waiter may yield: for yield_ns (0 after init) it calls
 * sched_yield while the word it would sleep on is unchanged, then sleeps (lk_park_wait;
 * the releaser already sees it as a sleeper). The templates set it where threads
 * outnumber PUs (lk_park_yield_ns, LK_PARK_YIELD_NS; counter yield_budget_ns).
 * There the thread the lock goes to next is often runnable but not running, queued behind
 * a waiter on its own PU: a yield hands that PU over in a switch (~1.5 us here), where a
 * parked waiter leaves it idle once all are parked, and each handoff then waits for a
 * halted vCPU to be woken (tens of us under KVM). lock_cs at 4 threads on 2 PUs, w:100
 * (AMD EPYC family 25 model 17, round trip ~53 ns, 2026-12-04; `contend ab` of the build
 * before against this one, 12 pairs a row, 49 rows: "no regression (8 improved, 39
 * unchanged, 2 not significant)"): ticket_park 0.21 -> 0.56 M acq/s at c:50 and 0.065 ->
 * 0.41 at c:500, mcs_park 0.10 -> 0.56 and 0.072 -> 0.44, clh_park 0.09 -> 0.45 and 0.069
 * -> 0.28 (the mutex ~5.9 and ~1.5); ttas_park, whose waiters seldom wait past the spin,
 * unchanged. A FIFO lock still hands off to a thread that must be switched in, about one
 * switch per acquisition: the mutex and ttas_park, which let a running thread barge, stay
 * 3-25x ahead there. The 2-thread park rows are sensitive to how GCC inlines around their
 * loops: a first form (the yield inside lk_spin_spent) had `ab` call 4-8 of them 5-13 %
 * slower with identical spin loops, even with the yield compiled out; this one, with the
 * yield only on the park path, gave 0 and 1 of 40 (ticket_park c:500/w:100, -6.2 %, q
 * 0.049) in two runs, and ticket_park waits in two loops (lk_ticket.h) after a 389-row ab
 * still called one of its rows 6 % slower. Linux futexes only.
 */
#ifndef CONTEND_LK_PARK_H
#define CONTEND_LK_PARK_H

#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "arch.h"

/* The budget where no round trip was measured (the tests): about one futex wake-up here. */
#define LK_PARK_SPIN_NS 20000u

/* Sleep while *w == val (or until a spurious wake: callers re-check). */
static inline void lk_futex_wait(atomic_uint *w, unsigned val)
{
	syscall(SYS_futex, (unsigned *)w, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, val, NULL, NULL, 0);
}

static inline void lk_futex_wake(atomic_uint *w, int n)
{
	syscall(SYS_futex, (unsigned *)w, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, n, NULL, NULL, 0);
}

/* A spin bounded in time: zero it, then call lk_spin_spent for every pause. */
typedef struct {
	uint64_t deadline;
	unsigned n;
} lk_spinner;

/* One pause; 1 once budget_ns have passed since the first call (the clock is read at the
 * first call and then every 16th: a pause is 18-30 ns on the machines measured). */
static inline int lk_spin_spent(lk_spinner *s, uint64_t budget_ns)
{
	ct_cpu_relax();
	if (!s->deadline) {
		s->deadline = ct_now_ns() + budget_ns;
		return 0;
	}
	if (++s->n & 15)
		return 0;
	return ct_now_ns() >= s->deadline;
}

/* Park: sleep while *w == val, as lk_futex_wait (callers re-check). Where yield_ns is not
 * 0, first sched_yield while *w == val, for up to yield_ns. Out of line: only the park
 * path calls it, and the spin before it compiles as without it. */
__attribute__((noinline, unused)) static void lk_park_wait(atomic_uint *w, unsigned val,
							   uint64_t yield_ns)
{
	if (yield_ns) {
		uint64_t end = ct_now_ns() + yield_ns;
		do {
			sched_yield();
			if (atomic_load_explicit(w, memory_order_relaxed) != val)
				return;
		} while (ct_now_ns() < end);
	}
	lk_futex_wait(w, val);
}

#endif
