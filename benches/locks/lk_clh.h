/*
 * lk_clh.h - CLH queue lock (`clh`, Craig 1993; Magnusson, Landin and Hagersten 1994): a
 * waiter swaps its node into the tail and spins on its predecessor's node, so, as in MCS,
 * each waiter reads its own line and one line moves per handoff; unlike MCS the releaser
 * needs no successor pointer (one store, no compare-and-swap) and the waiter spins on a node
 * it did not write. The price: nodes migrate. On release a thread gives its node to its
 * successor and keeps its predecessor's, so every thread's node must stay valid until all
 * threads are done with the lock, not only until its own thread is (the templates keep it in
 * a frame that returns only after ct_sync; the tests in a static array: a node on the stack
 * of a thread that has exited is overwritten, seen under TSan as a hang). The lock holds the
 * initial released node. FIFO.
 *
 * Per-thread state (lk_clh_node_t) must start zeroed: its first node is its own.
 *
 * clh_park: the same queue; a waiter spins on its predecessor's node for at most spin_ns
 * (lk_park.h), then turns it from 1 to 2 ("my successor sleeps here") and sleeps on it; a
 * release that exchanges 2 for 0 wakes it. One wake-up per handoff, to the next thread.
 *
 * Stressed: a handoff per acquisition through the predecessor's node; left out: NUMA
 * (a node travels with the lock, so a waiter may spin on a remote node).
 * Reached here (lock_counter, 2 threads): 15 M/s, ~0.9 round trips per operation at ~70 ns
 * (ck_clh 12), 5.5 M/s, 0.43 round trips at ~420 ns; clh_park 7.8 M/s. On an Intel
 * Xeon (family 6 model 207, 2 vCPUs, KVM, 2026-12-02, medians of 14 runs): 4.9 M/s at
 * fair_maxmin 1.02, 1.23 round trips per handoff at ~190 ns (ck_clh 3.9, 1.02). On an AMD
 * EPYC family 25 model 1 (2026-12-03, round trip ~110 ns, medians of 7-15 runs):
 * 13.6-14.7 M/s, fair_maxmin 1.01-1.03, 0.62-0.66 round trips per handoff (ck_clh
 * 10.8-12.0), 0.64-0.76x the mutex (18.2-21.3, which re-acquires in streaks). On a quiet
 * host (2026-12-04; 4 runs of 21 at 76-160 ns): 15.4 M/s, fair_maxmin 1.01, 0.64 round
 * trips per handoff (ck_clh 11.9, 0.80), 0.56x the mutex's 27.3. On an AMD EPYC family 25 model 17
 * (2026-12-04 evening; 3 runs of 21, round trip ~53 ns in 48-55 undisturbed runs a row, ~320 ns in
 * 5-9): at ~53 ns 16.7 M/s, 1.14 round trips per handoff, fair_maxmin 1.01 (ck_clh 12.8, 1.49),
 * 0.46x the mutex's 36.5 and below limit_handoff_apart's 18.4; at ~320 ns 4.5 against 33.0. Tried
 * there and not kept (2 runs of 21 each, ~53 ns): one node per thread that never migrates, its
 * release bumping a generation whose low bit the tail carries (no re-arming store): 13.9
 * against 16.6; no pause in the spin: 16.3; a prefetch for write of the predecessor's node
 * once acquired (so the re-arm at the next acquisition finds it owned): 16.7.
 */
#ifndef CONTEND_LK_CLH_H
#define CONTEND_LK_CLH_H

#include <stddef.h>

#include "arch.h"
#include "lk_park.h"

typedef struct {
	CT_ALIGNED atomic_uint wait; /* 1: its thread holds or waits for the lock (clh_park:
				      2, and the successor sleeps on it) */
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

typedef struct {
	lk_clh_t q;
	uint64_t spin_ns, yield_ns;
} lk_clh_park_t;
typedef lk_clh_node_t lk_clh_park_node_t;

static inline void lk_clh_park_init(lk_clh_park_t *l)
{
	lk_clh_init(&l->q);
	l->spin_ns = LK_PARK_SPIN_NS;
	l->yield_ns = 0;
}
static inline void lk_clh_park_destroy(lk_clh_park_t *l)
{
	(void)l;
}
static inline void lk_clh_park_lock(lk_clh_park_t *l, lk_clh_node_t *n)
{
	lk_clh_qnode *pred = lk_clh_enqueue(&l->q, n);
	lk_spinner sp = {0};
	uint64_t budget = l->spin_ns;
	while (atomic_load_explicit(&pred->wait, memory_order_acquire)) {
		if (!lk_spin_spent(&sp, budget))
			continue;
		unsigned one = 1;
		if (atomic_compare_exchange_strong_explicit(
			&pred->wait, &one, 2, memory_order_relaxed, memory_order_relaxed))
			while (atomic_load_explicit(&pred->wait, memory_order_acquire) == 2)
				lk_park_wait(&pred->wait, 2, l->yield_ns);
	}
}
static inline void lk_clh_park_unlock(lk_clh_park_t *l, lk_clh_node_t *n)
{
	(void)l;
	lk_clh_qnode *mine = n->mine;
	n->mine = n->pred;
	if (atomic_exchange_explicit(&mine->wait, 0, memory_order_release) == 2)
		lk_futex_wake(&mine->wait, 1);
}

#endif
