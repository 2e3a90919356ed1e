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
	CH_WAIT(r, ch_mpmc_try_send(c, msg, msz), &c->b.tx, &c->b, CH_TX, deadline, CH_FULL);
	if (r == CH_OK && c->b.block != CH_SPIN)
		ch_evt_notify(&c->b.rx);
	return r;
}

static inline int ch_mpmc_recv(struct ch_mpmc_ring *c, void *msg, size_t msz, uint64_t deadline)
{
	int r;
	CH_WAIT(r, ch_mpmc_try_recv(c, msg, msz), &c->b.rx, &c->b, CH_RX, deadline, CH_EMPTY);
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
 * Without membarrier (old kernels, seccomp) the producer fences after marking itself busy.
 *
 * Which lines move. tail, head, the producer's lines and the consumer's lines are each
 * alone on a 128-byte pair (CH_PAIR), so neither side's writes pull the other's lines with
 * them. Per message the slot's line is written by the producer and read by the consumer,
 * so what one message costs depends on how far apart the two sides run:
 *  - more than a line apart, a slot line moves once per 8 messages (and once back when the
 *    producer laps), tail once per refresh of the consumer's copy: the fast regime;
 *  - on the same line (the consumer right behind the producer, ring nearly empty), the
 *    consumer's reads pull the line the producer is filling, and its polls of tail pull
 *    tail, on every message: a line moves per message and the producer, slowed by it,
 *    stays just ahead. This is the regime most runs settled in (chan_spsc_ring at 1024
 *    sat at a quarter of its best).
 * So a side that finds the ring empty (the consumer) or full (the producer) backs off:
 * it pauses `slip` times without touching the other side's lines, then looks again, and
 * lets the other side run ahead meanwhile. The slip adapts to what the wait ended with:
 * at least a line's worth of messages (or of free slots) and less than half the ring, the
 * other side is streaming and the slip doubles (plus one), up to slip_max, 8 round trips
 * (chan_set_costs: 8 rtt_ns in pauses, the pause measured once); fewer, and it halves, to
 * 0. It starts at slip_max, so a stream never passes through the slow regime, and a
 * ping-pong (one message per wait) is back to pure polling after a few messages: a lone
 * message is seen as soon as with no slip (chan_rtt). A message is visible to the
 * consumer the moment its send returns (one release store per message); only when the
 * consumer looks is governed by the slip. The producer also asks for ownership of the
 * line it will fill 8 lines ahead (prefetch for write) when that line is known free, so
 * its stores do not wait for it to come back.
 *
 * Figure here (AMD EPYC Zen 5, 2 vCPUs under KVM, a machine shared with other builds,
 * 2026-12; medians of 7-9 interleaved runs of chan_spsc_ring/cap:1024/p:1/c:1/msg:8/
 * block:spin): 0.06-0.09 round trips per message; 36-107 M msgs/s against the limit
 * probe's 48-76 and ck_ring SPSC's 29-67 in the same runs (at least 0.75 of the probe,
 * above ck_ring). On an AMD EPYC family 25 model 1 (2026-12-03, round trip ~100-115 ns,
 * two runs of 7): 157-160 M/s, 0.05 round trips per message, against the probe's 167-209
 * (0.77-0.94 of it) and ck_ring SPSC's 34-43. On an AMD EPYC family 25 model 17
 * (2026-12-04 evening, 3 runs of 7, round trip ~53 ns in 14-17 undisturbed runs a row):
 * 160.8 M/s, 0.12 round trips per message, against the probe's 192.6 (0.83 of it) and
 * ck_ring SPSC's 95.9; block:spinpark 101.7. */

#define CH_SPSC_AHEAD 8 /* lines: how far ahead the producer takes ownership */

struct ch_spsc_ring {
	struct chan b;
	CH_PAIR_ALIGNED atomic_uint_fast64_t tail;
	CH_PAIR_ALIGNED atomic_uint_fast64_t head;
	CH_PAIR_ALIGNED uint64_t ptail, phead_cache; /* the producer's */
	atomic_int busy;
	int fence;
	unsigned pslip;
	CH_PAIR_ALIGNED uint64_t chead, ctail_cache; /* the consumer's */
	unsigned cslip;
	CH_PAIR_ALIGNED atomic_int closing;
	atomic_int closed;
	unsigned slip_max; /* pauses; read-only once in use */
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
	unsigned char *slot = c->buf + (t & c->mask) * msz;
	memcpy(slot, msg, msz);
	atomic_store_explicit(&c->tail, t + 1, memory_order_release);
	c->ptail = t + 1;
#if !defined(__SANITIZE_THREAD__)
	{
		uint64_t ahead = CH_SPSC_AHEAD * CT_CACHELINE / msz;
		if (((uintptr_t)slot & (CT_CACHELINE - 1)) == 0 &&
		    t + ahead - c->phead_cache < c->b.cap)
			__builtin_prefetch(c->buf + ((t + ahead) & c->mask) * msz, 1, 3);
	}
#endif
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

/* Back off `slip` pauses; then adapt the slip to what the next look found: `got` messages
 * (or free slots), 0 when it found none. */
static inline void ch_spsc_slip(unsigned slip)
{
	for (unsigned i = slip; i; i--)
		ct_cpu_relax();
}

static inline void ch_spsc_adapt(const struct ch_spsc_ring *c, unsigned *slip, uint64_t got,
				 size_t msz)
{
	if (got >= CT_CACHELINE / msz && got < c->b.cap / 2) {
		unsigned s = 2 * *slip + 1;
		*slip = s < c->slip_max ? s : c->slip_max;
	} else {
		*slip /= 2;
	}
}

static inline int ch_spsc_send(struct ch_spsc_ring *c, const void *msg, size_t msz,
			       uint64_t deadline)
{
	int r = ch_spsc_try_send(c, msg, msz);
	if (r == CH_NOTREADY) {
		if (deadline == CH_NOWAIT)
			return CH_FULL;
		if (c->b.block != CH_PARK && c->pslip) {
			ch_spsc_slip(c->pslip);
			r = ch_spsc_try_send(c, msg, msz);
		}
		if (r == CH_NOTREADY)
			CH_WAIT(r, ch_spsc_try_send(c, msg, msz), &c->b.tx, &c->b, CH_TX, deadline,
				CH_FULL);
		if (r == CH_OK && c->b.block != CH_PARK)
			ch_spsc_adapt(c, &c->pslip, c->b.cap - (c->ptail - c->phead_cache) + 1,
				      msz);
	}
	if (r == CH_OK && c->b.block != CH_SPIN)
		ch_evt_notify(&c->b.rx);
	return r;
}

static inline int ch_spsc_recv(struct ch_spsc_ring *c, void *msg, size_t msz, uint64_t deadline)
{
	int r = ch_spsc_try_recv(c, msg, msz);
	if (r == CH_NOTREADY) {
		if (deadline == CH_NOWAIT)
			return CH_EMPTY;
		if (c->b.block != CH_PARK && c->cslip) {
			ch_spsc_slip(c->cslip);
			r = ch_spsc_try_recv(c, msg, msz);
		}
		if (r == CH_NOTREADY)
			CH_WAIT(r, ch_spsc_try_recv(c, msg, msz), &c->b.rx, &c->b, CH_RX, deadline,
				CH_EMPTY);
		if (r == CH_OK && c->b.block != CH_PARK)
			ch_spsc_adapt(c, &c->cslip, c->ctail_cache - c->chead + 1, msz);
	}
	if (r == CH_OK && c->b.block != CH_SPIN)
		ch_evt_notify(&c->b.tx);
	return r;
}

#endif
