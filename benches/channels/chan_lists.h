/*
 * chan_lists.h - the unbounded kinds: Vyukov's intrusive linked MPSC queue (a producer
 * links its node with one exchange: wait-free) and a linked queue under a mutex with a
 * condition variable. A node is allocated per send and freed by the receiver; producers
 * never wait, so only receivers use the blocking policy.
 */
#ifndef CONTEND_CHAN_LISTS_H
#define CONTEND_CHAN_LISTS_H

#include <pthread.h>
#include <stdlib.h>

#include "chan_rings.h" /* ch_cond_wait */

struct ch_node {
	_Atomic(struct ch_node *) next;
	uint64_t data[]; /* msz bytes */
};

static inline struct ch_node *ch_node_new(const void *msg, size_t msz)
{
	struct ch_node *n = malloc(sizeof(*n) + msz);
	if (n) {
		atomic_init(&n->next, NULL);
		memcpy(n->data, msg, msz);
	}
	return n;
}

/* ---- Vyukov MPSC: tail is exchanged by producers; head (a consumed node, the "stub") is
 * the consumer's alone. A message is in head->next. `state` counts sends in progress (x2)
 * plus the closed bit, so that the receiver reports CH_CLOSED only once no send that
 * began before the close can still link a node. */

struct ch_mpsc_list {
	struct chan b;
	CT_ALIGNED _Atomic(struct ch_node *) tail;
	CT_ALIGNED atomic_uint_fast64_t state;
	CT_ALIGNED struct ch_node *head;
};

static inline int ch_mpsc_send(struct ch_mpsc_list *c, const void *msg, size_t msz)
{
	uint64_t s = atomic_fetch_add_explicit(&c->state, 2, memory_order_acquire);
	int r = CH_CLOSED;
	if (!(s & 1)) {
		struct ch_node *n = ch_node_new(msg, msz);
		if (!n)
			abort(); /* out of memory in an unbounded queue: nothing sane to return */
		struct ch_node *prev = atomic_exchange_explicit(&c->tail, n, memory_order_acq_rel);
		atomic_store_explicit(&prev->next, n, memory_order_release);
		r = CH_OK;
	}
	atomic_fetch_sub_explicit(&c->state, 2, memory_order_release);
	/* After a close too: a parked receiver may be waiting for this send to finish. */
	if (c->b.block != CH_SPIN)
		ch_evt_notify(&c->b.rx);
	return r;
}

static inline int ch_mpsc_try_recv(struct ch_mpsc_list *c, void *msg, size_t msz)
{
	struct ch_node *h = c->head;
	struct ch_node *next = atomic_load_explicit(&h->next, memory_order_acquire);
	if (!next) {
		/* Empty, or a producer has exchanged tail but not linked yet. */
		if (atomic_load_explicit(&c->state, memory_order_acquire) != 1)
			return CH_NOTREADY;
		next = atomic_load_explicit(&h->next, memory_order_acquire);
		if (!next)
			return CH_CLOSED;
	}
	memcpy(msg, next->data, msz);
	c->head = next;
	free(h);
	return CH_OK;
}

static inline int ch_mpsc_recv(struct ch_mpsc_list *c, void *msg, size_t msz, uint64_t deadline)
{
	int r;
	CH_WAIT(r, ch_mpsc_try_recv(c, msg, msz), &c->b.rx, &c->b, CH_RX, deadline, CH_EMPTY);
	return r;
}

/* ---- linked queue under a mutex ------------------------------------------------------ */

struct ch_mutex_list {
	struct chan b;
	pthread_mutex_t mu;
	pthread_cond_t not_empty;
	struct ch_node *first, *last;
	int closed;
};

static inline int ch_mutex_list_send(struct ch_mutex_list *c, const void *msg, size_t msz)
{
	struct ch_node *n = ch_node_new(msg, msz);
	if (!n)
		abort();
	int sel = 0, r = CH_OK;
	pthread_mutex_lock(&c->mu);
	if (c->closed) {
		r = CH_CLOSED;
	} else {
		if (c->last)
			atomic_store_explicit(&c->last->next, n, memory_order_relaxed);
		else
			c->first = n;
		c->last = n;
		pthread_cond_signal(&c->not_empty);
		sel = atomic_load_explicit(&c->b.rx.waiters, memory_order_relaxed);
	}
	pthread_mutex_unlock(&c->mu);
	if (r != CH_OK)
		free(n);
	if (sel)
		ch_evt_bump(&c->b.rx, 1);
	return r;
}

static inline int ch_mutex_list_recv(struct ch_mutex_list *c, void *msg, size_t msz,
				     uint64_t deadline)
{
	int r = CH_OK;
	struct ch_node *n = NULL;
	pthread_mutex_lock(&c->mu);
	while (!c->closed && !c->first) {
		if (deadline == CH_NOWAIT) {
			r = CH_EMPTY;
			goto out;
		}
		if (!ch_cond_wait(&c->not_empty, &c->mu, deadline) && !c->closed && !c->first) {
			r = CH_TIMEOUT;
			goto out;
		}
	}
	if (!c->first) {
		r = CH_CLOSED;
		goto out;
	}
	n = c->first;
	c->first = atomic_load_explicit(&n->next, memory_order_relaxed);
	if (!c->first)
		c->last = NULL;
out:
	pthread_mutex_unlock(&c->mu);
	if (n) {
		memcpy(msg, n->data, msz);
		free(n);
	}
	return r;
}

#endif
