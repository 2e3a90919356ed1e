/*
 * lk_mcs.h - MCS queue lock (`mcs`, Mellor-Crummey and Scott 1991): each waiter spins on
 * a flag in its own node (its own line), and the holder hands the lock to its successor by
 * clearing that flag: one line moves per handoff however many wait. FIFO. The node is
 * per thread (lk_mcs_node_t) and must stay valid from lock to unlock.
 */
#ifndef CONTEND_LK_MCS_H
#define CONTEND_LK_MCS_H

#include <stddef.h>

#include "arch.h"

typedef struct lk_mcs_node {
	CT_ALIGNED _Atomic(struct lk_mcs_node *) next;
	atomic_int waiting;
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
		lk_mcs_node_t *expect = me;
		if (atomic_compare_exchange_strong_explicit(
			&l->tail, &expect, NULL, memory_order_release, memory_order_relaxed))
			return;
		/* A successor swapped itself in but has not linked yet. */
		while (!(succ = atomic_load_explicit(&me->next, memory_order_acquire)))
			ct_cpu_relax();
	}
	atomic_store_explicit(&succ->waiting, 0, memory_order_release);
}

#endif
