/*
 * chan_rings.h - the bounded kinds: a ring under a mutex with two condition variables, the
 * lock-free MPMC ring with a sequence number per cell, and the SPSC ring with cached
 * indices. Inline operations taking a deadline (CH_NOWAIT, CH_FOREVER or absolute ns).
 */
#ifndef CONTEND_CHAN_RINGS_H
#define CONTEND_CHAN_RINGS_H

#include <errno.h>
#include <pthread.h>

#include "chan_wait.h"

/* Set in the tail index of the lock-free rings by close: a send's CAS then fails, so a
 * send either lands before the close (and is drained) or returns CH_CLOSED. */
#define CH_MARK (UINT64_C(1) << 63)

/* ---- mutex + two condition variables ------------------------------------------------ */

struct ch_mutex_ring {
	struct chan b;
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	size_t head, tail, count;
	int closed;
	unsigned char *buf;
};

/* Wait on cv until woken or the deadline; 0 when the deadline passed. */
static inline int ch_cond_wait(pthread_cond_t *cv, pthread_mutex_t *mu, uint64_t deadline)
{
	if (deadline == CH_FOREVER) {
		pthread_cond_wait(cv, mu);
		return 1;
	}
	struct timespec ts;
	ch_abs_timespec(deadline, &ts);
	return pthread_cond_timedwait(cv, mu, &ts) != ETIMEDOUT;
}

static inline int ch_mutex_ring_send(struct ch_mutex_ring *c, const void *msg, size_t msz,
				     uint64_t deadline)
{
	int r = CH_OK, sel = 0;
	pthread_mutex_lock(&c->mu);
	while (!c->closed && c->count == c->b.cap) {
		if (deadline == CH_NOWAIT) {
			r = CH_FULL;
			goto out;
		}
		if (!ch_cond_wait(&c->not_full, &c->mu, deadline) && !c->closed &&
		    c->count == c->b.cap) {
			r = CH_TIMEOUT;
			goto out;
		}
	}
	if (c->closed) {
		r = CH_CLOSED;
		goto out;
	}
	memcpy(c->buf + c->tail * msz, msg, msz);
	if (++c->tail == c->b.cap)
		c->tail = 0;
	c->count++;
	pthread_cond_signal(&c->not_empty);
	sel = atomic_load_explicit(&c->b.rx.waiters, memory_order_relaxed);
out:
	pthread_mutex_unlock(&c->mu);
	if (sel)
		ch_evt_bump(&c->b.rx, 1); /* a select waits on it (chan.c) */
	return r;
}

static inline int ch_mutex_ring_recv(struct ch_mutex_ring *c, void *msg, size_t msz,
				     uint64_t deadline)
{
	int r = CH_OK;
	pthread_mutex_lock(&c->mu);
	while (!c->closed && c->count == 0) {
		if (deadline == CH_NOWAIT) {
			r = CH_EMPTY;
			goto out;
		}
		if (!ch_cond_wait(&c->not_empty, &c->mu, deadline) && !c->closed && c->count == 0) {
			r = CH_TIMEOUT;
			goto out;
		}
	}
	if (c->count == 0) {
		r = CH_CLOSED;
		goto out;
	}
	memcpy(msg, c->buf + c->head * msz, msz);
	if (++c->head == c->b.cap)
		c->head = 0;
	c->count--;
	pthread_cond_signal(&c->not_full);
out:
	pthread_mutex_unlock(&c->mu);
	return r;
}

/* ---- lock-free MPMC ring (Vyukov), a sequence number per cell --------------------------
 * Position p of the ring uses cell p & mask. A cell's seq is 2p when free for the send at
 * position p, 2p+1 once that message is in it, 2(p+cap) when received (free for the next
 * lap). The factor 2 keeps "full" and "free" apart even at capacity 1. */

struct ch_mpmc_cell {
	atomic_uint_fast64_t seq;
	unsigned char data[];
};

struct ch_mpmc_ring {
	struct chan b;
	CT_ALIGNED atomic_uint_fast64_t tail; /* next send position; CH_MARK once closed */
	CT_ALIGNED atomic_uint_fast64_t head; /* next receive position */
	CT_ALIGNED size_t mask, stride;
	unsigned char *cells;
	atomic_int closed; /* set after CH_MARK: an empty receive looks at tail only then */
};

static inline struct ch_mpmc_cell *ch_mpmc_cell(struct ch_mpmc_ring *c, uint64_t pos)
{
	return (struct ch_mpmc_cell *)(c->cells + (pos & c->mask) * c->stride);
}

static inline int ch_mpmc_try_send(struct ch_mpmc_ring *c, const void *msg, size_t msz)
{
	uint64_t t = atomic_load_explicit(&c->tail, memory_order_relaxed);
	for (;;) {
		if (t & CH_MARK)
			return CH_CLOSED;
		struct ch_mpmc_cell *cell = ch_mpmc_cell(c, t);
		uint64_t s = atomic_load_explicit(&cell->seq, memory_order_acquire);
		int64_t d = (int64_t)(s - 2 * t);
		if (d == 0) {
			if (atomic_compare_exchange_weak_explicit(
				&c->tail, &t, t + 1, memory_order_relaxed, memory_order_relaxed)) {
				memcpy(cell->data, msg, msz);
				atomic_store_explicit(&cell->seq, 2 * t + 1, memory_order_release);
				return CH_OK;
			}
		} else if (d < 0) {
			uint64_t t2 = atomic_load_explicit(&c->tail, memory_order_relaxed);
			if (t2 == t)
				return CH_NOTREADY; /* full: the cell still holds the last lap's */
			t = t2;
		} else {
			t = atomic_load_explicit(&c->tail, memory_order_relaxed);
		}
	}
}

static inline int ch_mpmc_try_recv(struct ch_mpmc_ring *c, void *msg, size_t msz)
{
	uint64_t h = atomic_load_explicit(&c->head, memory_order_relaxed);
	for (;;) {
		struct ch_mpmc_cell *cell = ch_mpmc_cell(c, h);
		uint64_t s = atomic_load_explicit(&cell->seq, memory_order_acquire);
		int64_t d = (int64_t)(s - (2 * h + 1));
		if (d == 0) {
			if (atomic_compare_exchange_weak_explicit(
				&c->head, &h, h + 1, memory_order_relaxed, memory_order_relaxed)) {
				memcpy(msg, cell->data, msz);
				atomic_store_explicit(&cell->seq, 2 * (h + c->b.cap),
						      memory_order_release);
				return CH_OK;
			}
		} else if (d < 0) {
			/* Empty, or a send holds position h and is still copying. Reading tail
			 * here would pull the producers' line into every empty poll. */
			if (!atomic_load_explicit(&c->closed, memory_order_acquire))
				return CH_NOTREADY;
			uint64_t t = atomic_load_explicit(&c->tail, memory_order_acquire);
			uint64_t h2 = atomic_load_explicit(&c->head, memory_order_relaxed);
			if (h2 != h) {
				h = h2;
				continue;
			}
			if ((t & ~CH_MARK) == h && (t & CH_MARK))
				return CH_CLOSED;
			return CH_NOTREADY;
		} else {
			h = atomic_load_explicit(&c->head, memory_order_relaxed);
		}
	}
}

static inline int ch_mpmc_send(struct ch_mpmc_ring *c, const void *msg, size_t msz,
			       uint64_t deadline)
{
	int r;
	CH_WAIT(r, ch_mpmc_try_send(c, msg, msz), &c->b.tx, c->b.block, deadline, CH_FULL);
	if (r == CH_OK && c->b.block != CH_SPIN)
		ch_evt_notify(&c->b.rx);
	return r;
}

static inline int ch_mpmc_recv(struct ch_mpmc_ring *c, void *msg, size_t msz, uint64_t deadline)
{
	int r;
	CH_WAIT(r, ch_mpmc_try_recv(c, msg, msz), &c->b.rx, c->b.block, deadline, CH_EMPTY);
	if (r == CH_OK && c->b.block != CH_SPIN)
		ch_evt_notify(&c->b.tx);
	return r;
}

/* ---- SPSC ring with cached indices ---------------------------------------------------
 * The producer owns tail and keeps a private copy of head (refreshed only when the ring
 * looks full); the consumer owns head and keeps a copy of tail. A send publishes with a
 * plain release store. So that a close (from any thread) and a send cannot cross without a
 * fence on the hot path, the cost is moved to close: the producer marks itself busy around
 * a send (a store to its own line), close sets `closing`, runs membarrier() (every thread
 * of the process passes a full barrier, so a send that missed `closing` is seen busy), waits
 * until the producer is not busy, then sets `closed`, which is what receivers look at.
 * Without membarrier (old kernels, seccomp) the producer fences after marking itself busy. */

struct ch_spsc_ring {
	struct chan b;
	CT_ALIGNED atomic_uint_fast64_t tail;
	CT_ALIGNED atomic_uint_fast64_t head;
	CT_ALIGNED uint64_t ptail, phead_cache; /* the producer's */
	atomic_int busy;
	int fence;
	CT_ALIGNED uint64_t chead, ctail_cache; /* the consumer's */
	CT_ALIGNED atomic_int closing;
	atomic_int closed;
	size_t mask;
	unsigned char *buf;
};

static inline int ch_spsc_try_send(struct ch_spsc_ring *c, const void *msg, size_t msz)
{
	int r = CH_OK;
	atomic_store_explicit(&c->busy, 1, memory_order_relaxed);
	if (c->fence)
		ch_full_fence(&c->busy);
	else
		atomic_signal_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&c->closing, memory_order_relaxed)) {
		r = CH_CLOSED;
		goto out;
	}
	uint64_t t = c->ptail;
	if (t - c->phead_cache == c->b.cap) {
		c->phead_cache = atomic_load_explicit(&c->head, memory_order_acquire);
		if (t - c->phead_cache == c->b.cap) {
			r = CH_NOTREADY;
			goto out;
		}
	}
	memcpy(c->buf + (t & c->mask) * msz, msg, msz);
	atomic_store_explicit(&c->tail, t + 1, memory_order_release);
	c->ptail = t + 1;
out:
	atomic_store_explicit(&c->busy, 0, memory_order_release);
	return r;
}

static inline int ch_spsc_try_recv(struct ch_spsc_ring *c, void *msg, size_t msz)
{
	uint64_t h = c->chead;
	if (h == c->ctail_cache) {
		c->ctail_cache = atomic_load_explicit(&c->tail, memory_order_acquire);
		if (h == c->ctail_cache) {
			if (!atomic_load_explicit(&c->closed, memory_order_acquire))
				return CH_NOTREADY;
			c->ctail_cache = atomic_load_explicit(&c->tail, memory_order_acquire);
			if (h == c->ctail_cache)
				return CH_CLOSED;
		}
	}
	memcpy(msg, c->buf + (h & c->mask) * msz, msz);
	c->chead = h + 1;
	atomic_store_explicit(&c->head, h + 1, memory_order_release);
	return CH_OK;
}

static inline int ch_spsc_send(struct ch_spsc_ring *c, const void *msg, size_t msz,
			       uint64_t deadline)
{
	int r;
	CH_WAIT(r, ch_spsc_try_send(c, msg, msz), &c->b.tx, c->b.block, deadline, CH_FULL);
	if (r == CH_OK && c->b.block != CH_SPIN)
		ch_evt_notify(&c->b.rx);
	return r;
}

static inline int ch_spsc_recv(struct ch_spsc_ring *c, void *msg, size_t msz, uint64_t deadline)
{
	int r;
	CH_WAIT(r, ch_spsc_try_recv(c, msg, msz), &c->b.rx, c->b.block, deadline, CH_EMPTY);
	if (r == CH_OK && c->b.block != CH_SPIN)
		ch_evt_notify(&c->b.tx);
	return r;
}

#endif
