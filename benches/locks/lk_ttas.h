/*
 * lk_ttas.h - test-and-test-and-set: waiters read the line (shared, no traffic while it is
 * held) and try the exchange only when it looks free. Three forms:
 *   ttas     pauses 1, 2, 4 ... up to LK_TTAS_MAX_BACKOFF cpu-relax steps, starting again at
 *            1 on every acquisition: a waiter that just lost keeps its appetite, so the two
 *            threads of a 2-thread run fight over the line at every release.
 *   ttas_eb  the published form (SSYNC's libslock): the backoff limit is per thread and kept
 *            across acquisitions; it doubles on every lost race (from LK_TTAS_EB_MIN up to
 *            LK_TTAS_EB_MAX pauses) and the pause is random below it. A loser therefore
 *            stays away long enough for the holder to re-acquire from its own cache many
 *            times: throughput near the uncontended lock, fairness from the random turns
 *            (read fair_maxmin beside it).
 *   ttas_park  ttas_eb's waiting for at most spin_ns (lk_park.h), then it parks: the word
 *            becomes 2 ("held, a thread may sleep"), the waiter sleeps on it, and a release
 *            that finds 2 wakes one sleeper (Drepper's "Futexes are tricky" mutex). The
 *            spinning phase takes the lock with compare-and-swap 0 -> 1 so that it never
 *            hides a 2; the release is an exchange, to see the 2.
 *
 * Stressed: the lock line under a holder that re-acquires; left out: more than one lock.
 * Reached here (lock_counter, 2 threads, round trip ~70 ns, AMD EPYC KVM): ttas_eb 116 M/s
 * (0.12 round trips per operation, fair_maxmin 1.1, 73 % of its 1-thread 160 M/s, 5.4x the
 * mutex of the same run), ttas 26 M/s; ttas_park 68 M/s (its release is an exchange).
 * On an Intel Xeon (family 6 model 207, 2 vCPUs, KVM, 2026-12-02, medians of 14 runs at a
 * round trip of ~175 ns): ttas_eb 106 M/s, fair_maxmin 1.05, 7.0x the mutex's 15.2.
 * On an AMD EPYC family 25 model 1 (2026-12-03, round trip ~110 ns, two runs of 7):
 * ttas_eb 266-281 M/s, fair_maxmin 1.17-1.38, 13.9-14.6x the mutex (ck_fas_eb 242-249 at
 * 1.20-1.39, ck_cas_eb 234-238 at 1.18-1.20).
 * On an AMD EPYC family 25 model 17 (2026-12-04 evening, 3 runs of 21, round trip ~53 ns):
 * ttas_eb 451 M/s, fair_maxmin 1.03, 12.4x the mutex's 36.5 (ck_cas_eb 315, ck_fas_eb 312).
 */
#ifndef CONTEND_LK_TTAS_H
#define CONTEND_LK_TTAS_H

#include "lk_mutex.h"
#include "lk_park.h"

#define LK_TTAS_MAX_BACKOFF 1024

typedef struct {
	CT_ALIGNED atomic_int held;
} lk_ttas_t;
typedef lk_nonode_t lk_ttas_node_t;

static inline void lk_ttas_init(lk_ttas_t *l)
{
	atomic_init(&l->held, 0);
}
static inline void lk_ttas_destroy(lk_ttas_t *l)
{
	(void)l;
}
static inline void lk_ttas_lock(lk_ttas_t *l, lk_ttas_node_t *n)
{
	(void)n;
	unsigned backoff = 1;
	for (;;) {
		while (atomic_load_explicit(&l->held, memory_order_relaxed))
			ct_cpu_relax();
		if (!atomic_exchange_explicit(&l->held, 1, memory_order_acquire))
			return;
		for (unsigned i = 0; i < backoff; i++)
			ct_cpu_relax();
		if (backoff < LK_TTAS_MAX_BACKOFF)
			backoff *= 2;
	}
}
static inline void lk_ttas_unlock(lk_ttas_t *l, lk_ttas_node_t *n)
{
	(void)n;
	atomic_store_explicit(&l->held, 0, memory_order_release);
}

#define LK_TTAS_EB_MIN 8
#define LK_TTAS_EB_MAX 4096

/* The per-thread backoff state (zero: not used yet). */
typedef struct {
	unsigned limit;
	uint32_t seed;
} lk_ttas_eb_node_t;
typedef lk_ttas_t lk_ttas_eb_t;
#define lk_ttas_eb_init	   lk_ttas_init
#define lk_ttas_eb_destroy lk_ttas_destroy

/* xorshift32: the random pause below the limit. */
static inline uint32_t lk_rand32(uint32_t *s)
{
	uint32_t x = *s;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/* After a lost race: pause a random share of the limit, then double the limit. */
static inline void lk_ttas_eb_backoff(lk_ttas_eb_node_t *n)
{
	if (!n->limit) {
		n->limit = LK_TTAS_EB_MIN;
		n->seed = (uint32_t)(uintptr_t)n | 1u;
	}
	unsigned d = lk_rand32(&n->seed) % n->limit;
	for (unsigned i = 0; i < d; i++)
		ct_cpu_relax();
	if (n->limit < LK_TTAS_EB_MAX)
		n->limit *= 2;
}

static inline void lk_ttas_eb_lock(lk_ttas_eb_t *l, lk_ttas_eb_node_t *n)
{
	for (;;) {
		while (atomic_load_explicit(&l->held, memory_order_relaxed))
			ct_cpu_relax();
		if (!atomic_exchange_explicit(&l->held, 1, memory_order_acquire))
			return;
		lk_ttas_eb_backoff(n);
	}
}
static inline void lk_ttas_eb_unlock(lk_ttas_eb_t *l, lk_ttas_eb_node_t *n)
{
	(void)n;
	atomic_store_explicit(&l->held, 0, memory_order_release);
}

typedef struct {
	CT_ALIGNED atomic_uint held; /* 0 free, 1 held, 2 held and a thread may sleep on it */
	uint64_t spin_ns, yield_ns;
} lk_ttas_park_t;
typedef lk_ttas_eb_node_t lk_ttas_park_node_t;

static inline void lk_ttas_park_init(lk_ttas_park_t *l)
{
	atomic_init(&l->held, 0);
	l->spin_ns = LK_PARK_SPIN_NS;
	l->yield_ns = 0;
}
static inline void lk_ttas_park_destroy(lk_ttas_park_t *l)
{
	(void)l;
}
static inline int lk_ttas_park_try(lk_ttas_park_t *l)
{
	unsigned z = 0;
	return atomic_compare_exchange_strong_explicit(&l->held, &z, 1, memory_order_acquire,
						       memory_order_relaxed);
}
static inline void lk_ttas_park_lock(lk_ttas_park_t *l, lk_ttas_park_node_t *n)
{
	if (lk_ttas_park_try(l))
		return;
	lk_spinner sp = {0};
	uint64_t budget = l->spin_ns;
	for (;;) {
		while (atomic_load_explicit(&l->held, memory_order_relaxed))
			if (lk_spin_spent(&sp, budget))
				goto park;
		if (lk_ttas_park_try(l))
			return;
		/* ttas_eb's backoff, counted against the budget */
		if (!n->limit) {
			n->limit = LK_TTAS_EB_MIN;
			n->seed = (uint32_t)(uintptr_t)n | 1u;
		}
		for (unsigned d = lk_rand32(&n->seed) % n->limit; d; d--)
			if (lk_spin_spent(&sp, budget))
				goto park;
		if (n->limit < LK_TTAS_EB_MAX)
			n->limit *= 2;
	}
park:
	while (atomic_exchange_explicit(&l->held, 2, memory_order_acquire) != 0)
		lk_park_wait(&l->held, 2, l->yield_ns);
}
static inline void lk_ttas_park_unlock(lk_ttas_park_t *l, lk_ttas_park_node_t *n)
{
	(void)n;
	if (atomic_exchange_explicit(&l->held, 0, memory_order_release) == 2)
		lk_futex_wake(&l->held, 1);
}

#endif
