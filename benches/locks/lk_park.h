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
 * lk_window.h) and record it as the counter spin_budget_ns. Linux futexes only.
 */
#ifndef CONTEND_LK_PARK_H
#define CONTEND_LK_PARK_H

#include <limits.h>
#include <linux/futex.h>
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

#endif
