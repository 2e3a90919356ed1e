/*
 * spsc_limit.h - the limit probe of the SPSC shape: a CEILING, NOT A CHANNEL.
 *
 * One producer, one consumer, 8-byte messages, a power-of-two ring of at least 16 slots.
 * Each side publishes its index once per 64-byte cache line of slots (every 8 messages),
 * never per message, and keeps a private copy of the other side's index. So per line of
 * 8 messages at most one index line and one slot line move between the cores, which is
 * the least any ring of this shape can move: what the probe reaches (benchmark
 * chan_limit_line_publish) is the ceiling an SPSC ring is held against.
 *
 * What makes it not a channel: a message is invisible to the consumer until 8 have been
 * sent after the last publication or spsc_limit_flush() is called, so a lone send is
 * never received; there is no close, no blocking policy, no timeout. Use it only to
 * measure.
 */
#ifndef CONTEND_SPSC_LIMIT_H
#define CONTEND_SPSC_LIMIT_H

#include <stdlib.h>
#include <string.h>

#include "chan_wait.h" /* CH_PAIR_ALIGNED */

#define SPSC_LIMIT_LINE 8 /* 8-byte slots per 64-byte line: the publication step */

struct spsc_limit {
	CH_PAIR_ALIGNED atomic_uint_fast64_t tail; /* published by the producer */
	CH_PAIR_ALIGNED atomic_uint_fast64_t head; /* published by the consumer */
	CH_PAIR_ALIGNED uint64_t ptail, phead;	   /* the producer's own and its copy */
	CH_PAIR_ALIGNED uint64_t chead, ctail;	   /* the consumer's own and its copy */
	CH_PAIR_ALIGNED uint64_t mask;
	uint64_t *buf;
};

/* NULL unless cap is a power of two, at least 2 lines (a smaller ring could wait forever
 * for a publication). The slots are touched here, outside any clock. */
static inline struct spsc_limit *spsc_limit_create(size_t cap)
{
	if (cap < 2 * SPSC_LIMIT_LINE || (cap & (cap - 1)) || cap > (1u << 30))
		return NULL;
	struct spsc_limit *q = aligned_alloc(CH_PAIR, sizeof(*q));
	if (!q)
		return NULL;
	memset(q, 0, sizeof(*q));
	/* a pair of lines on either side of the slots, so nothing else shares their pairs */
	q->buf = aligned_alloc(CH_PAIR, cap * 8 + 2 * CH_PAIR);
	if (!q->buf) {
		free(q);
		return NULL;
	}
	memset(q->buf, 0, cap * 8 + 2 * CH_PAIR);
	q->buf += CH_PAIR / 8;
	q->mask = cap - 1;
	atomic_init(&q->tail, 0);
	atomic_init(&q->head, 0);
	return q;
}

static inline void spsc_limit_destroy(struct spsc_limit *q)
{
	if (q) {
		free(q->buf - CH_PAIR / 8);
		free(q);
	}
}

static inline int spsc_limit_try_send(struct spsc_limit *q, uint64_t v)
{
	uint64_t t = q->ptail;
	if (t - q->phead > q->mask) {
		q->phead = atomic_load_explicit(&q->head, memory_order_acquire);
		if (t - q->phead > q->mask)
			return 0;
	}
	q->buf[t & q->mask] = v;
	q->ptail = ++t;
	if ((t & (SPSC_LIMIT_LINE - 1)) == 0)
		atomic_store_explicit(&q->tail, t, memory_order_release);
	return 1;
}

/* Publish what was sent since the last full line (the producer, once at the end). */
static inline void spsc_limit_flush(struct spsc_limit *q)
{
	atomic_store_explicit(&q->tail, q->ptail, memory_order_release);
}

static inline int spsc_limit_try_recv(struct spsc_limit *q, uint64_t *v)
{
	uint64_t h = q->chead;
	if (h == q->ctail) {
		q->ctail = atomic_load_explicit(&q->tail, memory_order_acquire);
		if (h == q->ctail)
			return 0;
	}
	*v = q->buf[h & q->mask];
	q->chead = ++h;
	if ((h & (SPSC_LIMIT_LINE - 1)) == 0)
		atomic_store_explicit(&q->head, h, memory_order_release);
	return 1;
}

#endif
