/*
 * lk_clh.h - CLH queue lock (`clh`, Craig 1993; Magnusson, Landin and Hagersten 1994): a
 * waiter swaps its node into the tail and spins on its predecessor's node, so, as in MCS,
 * each waiter reads its own line and one line moves per handoff; unlike MCS the releaser
 * needs no successor pointer (one store, no compare-and-swap) and the waiter spins on a node
 * it did not write. The price: nodes migrate. On release a thread gives its node to its
 * successor and keeps its predecessor's, so a node is valid only while every thread that
 * may use the lock lives (the templates and tests stop all threads before a node goes out
 * of scope). The lock holds the initial released node. FIFO.
 *
 * Per-thread state (lk_clh_node_t) must start zeroed: its first node is its own.
 */
#ifndef CONTEND_LK_CLH_H
#define CONTEND_LK_CLH_H

#include <stddef.h>

#include "arch.h"

typedef struct {
	CT_ALIGNED atomic_uint wait; /* 1 while its thread holds or waits for the lock */
} lk_clh_qnode;

typedef struct {
	CT_ALIGNED _Atomic(lk_clh_qnode *) tail;
	lk_clh_qnode first; /* released: the first thread's predecessor */
} lk_clh_t;

typedef struct {
	lk_clh_qnode *mine, *pred; /* mine NULL: not used yet, take own */
	lk_clh_qnode own;
} lk_clh_node_t;

static inline void lk_clh_init(lk_clh_t *l)
{
	atomic_init(&l->first.wait, 0);
	atomic_init(&l->tail, &l->first);
}
static inline void lk_clh_destroy(lk_clh_t *l)
{
	(void)l;
}

/* Swap my node in (wait = 1 published by the exchange's release); returns my predecessor. */
static inline lk_clh_qnode *lk_clh_enqueue(lk_clh_t *l, lk_clh_node_t *n)
{
	if (!n->mine)
		n->mine = &n->own;
	atomic_store_explicit(&n->mine->wait, 1, memory_order_relaxed);
	/* acq_rel: release publishes wait = 1 to the successor; acquire orders my reads of
	 * the predecessor's node after its (re)initialisation. */
	lk_clh_qnode *pred = atomic_exchange_explicit(&l->tail, n->mine, memory_order_acq_rel);
	n->pred = pred;
	return pred;
}

static inline void lk_clh_lock(lk_clh_t *l, lk_clh_node_t *n)
{
	lk_clh_qnode *pred = lk_clh_enqueue(l, n);
	while (atomic_load_explicit(&pred->wait, memory_order_acquire))
		ct_cpu_relax();
}
static inline void lk_clh_unlock(lk_clh_t *l, lk_clh_node_t *n)
{
	(void)l;
	lk_clh_qnode *mine = n->mine;
	n->mine = n->pred; /* the predecessor's node is free: nobody waits on it any more */
	atomic_store_explicit(&mine->wait, 0, memory_order_release);
}

#endif
