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
 * sched_yield at every check instead of pausing, then parks. The templates set it where
 * threads outnumber PUs (lk_park_yield_ns, LK_PARK_YIELD_NS; counter yield_budget_ns).
 * There the thread the lock goes to next is often runnable but not running, queued behind
 * a waiter on its own PU: a yield hands that PU over in a switch (~1.5 us here), where a
 * parked waiter leaves it idle once all are parked, and each handoff then waits for a
 * halted vCPU to be woken (tens of us under KVM). lock_cs at 4 threads on 2 PUs, w:100
 * (AMD EPYC family 25 model 17, round trip ~53 ns, 2026-12-04; `contend ab` of the build
 * before against this one, 12 pairs a row: "no regression (7 improved, 25 unchanged, 2 not
 * significant)" over 34 park and mutex rows): at c:50 ticket_park 0.27 -> 0.64 M acq/s,
 * mcs_park 0.13 -> 0.63, clh_park 0.10 -> 0.75 (the mutex 5.9); at c:500 all three
 * 0.07-0.08 -> 0.46-0.48 (the mutex 1.5); ttas_park, whose waiters seldom wait past the
 * spin, and every 2-thread row unchanged. A FIFO lock still hands off to a thread that
 * must be switched in, about one switch per acquisition: the mutex and ttas_park, which
 * let a running thread barge, stay 3-25x ahead there. Linux futexes only.
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

/* A wait bounded in time: zero it, then call lk_spin_spent at every check. */
typedef struct {
	uint64_t deadline;  /* the end of the spin */
	uint64_t ydeadline; /* the end of the yielding, once it has begun (0 before) */
	unsigned n;
} lk_spinner;

/* One pause (one sched_yield once the spin is spent and yield_ns is not 0); 1 once
 * budget_ns and then yield_ns have passed since the first call: park. The clock is read at
 * the first call and then every 16th while spinning (a pause is 18-30 ns on the machines
 * measured), at every call while yielding. */
static inline int lk_spin_spent(lk_spinner *s, uint64_t budget_ns, uint64_t yield_ns)
{
	if (s->ydeadline) {
		sched_yield();
		return ct_now_ns() >= s->ydeadline;
	}
	ct_cpu_relax();
	if (!s->deadline) {
		s->deadline = ct_now_ns() + budget_ns;
		return 0;
	}
	if (++s->n & 15)
		return 0;
	uint64_t now = ct_now_ns();
	if (now < s->deadline)
		return 0;
	if (!yield_ns)
		return 1;
	s->ydeadline = now + yield_ns;
	return 0;
}

/* Yielding: a waiter that pauses between reads (ticket_park's proportional backoff) reads
 * after every yield instead. */
static inline int lk_spin_yielding(const lk_spinner *s)
{
	return s->ydeadline != 0;
}

#endif
