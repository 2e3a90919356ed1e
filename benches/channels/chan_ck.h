/*
 * chan_ck.h - Concurrency Kit's ck_ring as a comparison row of the channel throughput
 * workload: the same messages, checks and counters as the family's own rings, so the rows
 * compare. Only when the build found libck (CONTEND_HAVE_CK); bench_peers.c makes the rows
 * a visible skip otherwise.
 *
 * ck_ring stores pointer-sized values: an 8-byte message is the value itself. A ck_ring of
 * size N holds N-1 values; the row named cap:N uses a ck_ring of size N (what a user of
 * ck_ring with that size gets). ck_ring has no close, no blocking and no timeout: the
 * template spins (ct_spinwait) on full and empty and ends on a flag the last producer sets.
 * SPSC: ck_ring_enqueue_spsc / ck_ring_dequeue_spsc (each side loads the other's index on
 * every operation). MPMC: ck_ring_enqueue_mpmc / ck_ring_dequeue_mpmc (a CAS on a shared
 * index per operation, the consumer reads the producers' index every time).
 */
#ifndef CONTEND_CHAN_CK_H
#define CONTEND_CHAN_CK_H

#ifdef CONTEND_HAVE_CK
#include <ck_ring.h>
#include <stdlib.h>
#include <string.h>

#include "chan_wait.h" /* CH_PAIR_ALIGNED */

struct chan_ck {
	CH_PAIR_ALIGNED struct ck_ring ring;
	CH_PAIR_ALIGNED struct ck_ring_buffer *buf;
};

static inline struct chan_ck *chan_ck_create(size_t cap)
{
	if (cap < 2 || (cap & (cap - 1)) || cap > (1u << 30))
		return NULL;
	struct chan_ck *q = aligned_alloc(CH_PAIR, sizeof(*q));
	if (!q)
		return NULL;
	memset(q, 0, sizeof(*q));
	size_t bytes = (cap * sizeof(*q->buf) + CH_PAIR - 1) / CH_PAIR * CH_PAIR;
	if (!(q->buf = aligned_alloc(CH_PAIR, bytes))) {
		free(q);
		return NULL;
	}
	memset(q->buf, 0, bytes);
	ck_ring_init(&q->ring, (unsigned)cap);
	return q;
}

static inline void chan_ck_destroy(struct chan_ck *q)
{
	if (q) {
		free(q->buf);
		free(q);
	}
}

static inline int chan_ck_spsc_try_send(struct chan_ck *q, uint64_t v)
{
	return ck_ring_enqueue_spsc(&q->ring, q->buf, (void *)(uintptr_t)v);
}

static inline int chan_ck_spsc_try_recv(struct chan_ck *q, uint64_t *v)
{
	void *p;
	if (!ck_ring_dequeue_spsc(&q->ring, q->buf, &p))
		return 0;
	*v = (uint64_t)(uintptr_t)p;
	return 1;
}

static inline int chan_ck_mpmc_try_send(struct chan_ck *q, uint64_t v)
{
	return ck_ring_enqueue_mpmc(&q->ring, q->buf, (void *)(uintptr_t)v);
}

static inline int chan_ck_mpmc_try_recv(struct chan_ck *q, uint64_t *v)
{
	void *p;
	if (!ck_ring_dequeue_mpmc(&q->ring, q->buf, &p))
		return 0;
	*v = (uint64_t)(uintptr_t)p;
	return 1;
}
#endif

#endif
