/*
 * lk_mcs.h - MCS queue lock (`mcs`, Mellor-Crummey and Scott 1991): each waiter spins on
 * a flag in its own node (its own line), and the holder hands the lock to its successor by
 * clearing that flag: one line moves per handoff however many wait. FIFO. The node is
 * per thread (lk_mcs_node_t) and must stay valid from lock to unlock.
 *
 * mcs_park: the same queue; a waiter spins on its flag for at most spin_ns (lk_park.h),
 * then turns it from 1 (waiting) to 2 (asleep) and sleeps on it; the predecessor's release
 * exchanges the flag to 0 and wakes the sleeper when it found 2. One wake-up per handoff,
 * to exactly the next thread.
 *
 * Reached here (lock_counter, 2 threads, round trip ~70 ns): 9.4 M/s, 1.4 round trips per
 * operation (ck_mcs 12.7, 1.05); mcs_park 7.9 M/s. On an AMD EPYC family 25 model 1
 * (2026-12-03, round trip ~105-110 ns, medians of 7-15 runs): 11.7-12.9 M/s, 0.7-0.8
 * round trips per operation, fair_maxmin 1.01-1.03 (ck_mcs 11.9-12.2). On an AMD EPYC
 * family 25 model 17 (2026-12-04 evening, 3 runs of 21, round trip ~53 ns): 16.5 M/s, 1.17
 * round trips per handoff, fair_maxmin 1.01 (ck_mcs 16.5, 1.15).
 */
#ifndef CONTEND_LK_MCS_H
#define CONTEND_LK_MCS_H

#include <stddef.h>

#include "arch.h"
#include "lk_park.h"

typedef struct lk_mcs_node {
	CT_ALIGNED _Atomic(struct lk_mcs_node *) next;
	atomic_uint waiting; /* 1 waiting, 0 the lock is mine; mcs_park: 2 asleep */
} lk_mcs_node_t;

typedef struct {
	CT_ALIGNED _Atomic(lk_mcs_node_t *) tail;
} lk_mcs_t;

static inline void lk_mcs_init(lk_mcs_t *l)
{
	atomic_init(&l->tail, NULL);
}
static inline void lk_mcs_destroy(lk_mcs_t *l)
{
	(void)l;
}
static inline void lk_mcs_lock(lk_mcs_t *l, lk_mcs_node_t *me)
{
	atomic_store_explicit(&me->next, NULL, memory_order_relaxed);
	atomic_store_explicit(&me->waiting, 1, memory_order_relaxed);
	/* acq_rel: release publishes the node's fields to the predecessor, acquire takes
	 * the previous holder's critical section when the queue was empty. */
	lk_mcs_node_t *pred = atomic_exchange_explicit(&l->tail, me, memory_order_acq_rel);
	if (!pred)
		return;
	atomic_store_explicit(&pred->next, me, memory_order_release);
	while (atomic_load_explicit(&me->waiting, memory_order_acquire))
		ct_cpu_relax();
}
static inline void lk_mcs_unlock(lk_mcs_t *l, lk_mcs_node_t *me)
{
	lk_mcs_node_t *succ = atomic_load_explicit(&me->next, memory_order_acquire);
	if (!succ) {
		/* Read the tail first: a compare-and-swap bound to fail (a successor has swapped
		 * itself in) would still take the tail's line exclusive (as CK does). */
		lk_mcs_node_t *expect = me;
		if (atomic_load_explicit(&l->tail, memory_order_relaxed) == me &&
		    atomic_compare_exchange_strong_explicit(
			&l->tail, &expect, NULL, memory_order_release, memory_order_relaxed))
			return;
		/* A successor swapped itself in but has not linked yet. */
		while (!(succ = atomic_load_explicit(&me->next, memory_order_acquire)))
			ct_cpu_relax();
	}
	atomic_store_explicit(&succ->waiting, 0, memory_order_release);
}

typedef struct {
	lk_mcs_t q;
	uint64_t spin_ns, yield_ns;
} lk_mcs_park_t;
typedef lk_mcs_node_t lk_mcs_park_node_t;

static inline void lk_mcs_park_init(lk_mcs_park_t *l)
{
	lk_mcs_init(&l->q);
	l->spin_ns = LK_PARK_SPIN_NS;
	l->yield_ns = 0;
}
static inline void lk_mcs_park_destroy(lk_mcs_park_t *l)
{
	(void)l;
}
static inline void lk_mcs_park_lock(lk_mcs_park_t *l, lk_mcs_node_t *me)
{
	atomic_store_explicit(&me->next, NULL, memory_order_relaxed);
	atomic_store_explicit(&me->waiting, 1, memory_order_relaxed);
	lk_mcs_node_t *pred = atomic_exchange_explicit(&l->q.tail, me, memory_order_acq_rel);
	if (!pred)
		return;
	atomic_store_explicit(&pred->next, me, memory_order_release);
	lk_spinner sp = {0};
	uint64_t budget = l->spin_ns;
	while (atomic_load_explicit(&me->waiting, memory_order_acquire)) {
		if (!lk_spin_spent(&sp, budget))
			continue;
		unsigned one = 1;
		if (atomic_compare_exchange_strong_explicit(
			&me->waiting, &one, 2, memory_order_relaxed, memory_order_relaxed))
			while (atomic_load_explicit(&me->waiting, memory_order_acquire) == 2)
				lk_park_wait(&me->waiting, 2, l->yield_ns);
	}
}
static inline void lk_mcs_park_unlock(lk_mcs_park_t *l, lk_mcs_node_t *me)
{
	lk_mcs_node_t *succ = atomic_load_explicit(&me->next, memory_order_acquire);
	if (!succ) {
		lk_mcs_node_t *expect = me;
		if (atomic_load_explicit(&l->q.tail, memory_order_relaxed) == me &&
		    atomic_compare_exchange_strong_explicit(
			&l->q.tail, &expect, NULL, memory_order_release, memory_order_relaxed))
			return;
		while (!(succ = atomic_load_explicit(&me->next, memory_order_acquire)))
			ct_cpu_relax();
	}
	/* The address stays a valid futex key even if the successor has moved on. */
	if (atomic_exchange_explicit(&succ->waiting, 0, memory_order_release) == 2)
		lk_futex_wake(&succ->waiting, 1);
}

#endif
