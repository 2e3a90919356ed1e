/*
 * chan_rendezvous.h - capacity 0: a send returns once a receiver has taken its message.
 *
 * One slot with a state machine: a sender claims it (EMPTY -> WRITING), fills it and offers
 * it (FULL); a receiver takes it (FULL -> READING), copies, and says DONE; the sender sees
 * DONE, frees the slot (EMPTY) and returns. A sender whose deadline passes (or that sees a
 * close) withdraws its offer with a CAS FULL -> EMPTY; if a receiver won that race the
 * message is delivered and the send returns CH_OK. So a timed-out send never delivers and a
 * timed-out receive never takes anything: neither loses a message.
 */
#ifndef CONTEND_CHAN_RENDEZVOUS_H
#define CONTEND_CHAN_RENDEZVOUS_H

#include "chan_wait.h"

enum { CH_RV_EMPTY, CH_RV_WRITING, CH_RV_FULL, CH_RV_READING, CH_RV_DONE };

/* How long a try-send waits for a receiver that is waiting to take its offer. */
#define CH_RV_TRY_NS 50000

struct ch_rendezvous {
	struct chan b; /* b.tx: senders wait for the slot; b.rx: receivers for an offer */
	ch_evt done;   /* the sender that holds the slot waits for DONE */
	CT_ALIGNED atomic_int state;
	atomic_int closed;
	atomic_int rx_waiting; /* receivers waiting: a try-send only offers to one of them */
	CT_ALIGNED unsigned char data[CH_MSG_MAX];
};

static inline int ch_rv_try_claim(struct ch_rendezvous *c)
{
	if (atomic_load_explicit(&c->closed, memory_order_acquire))
		return CH_CLOSED;
	int e = CH_RV_EMPTY;
	return atomic_compare_exchange_strong_explicit(&c->state, &e, CH_RV_WRITING,
						       memory_order_acquire, memory_order_relaxed)
		   ? CH_OK
		   : CH_NOTREADY;
}

static inline int ch_rv_try_done(struct ch_rendezvous *c)
{
	int s = atomic_load_explicit(&c->state, memory_order_acquire);
	if (s == CH_RV_DONE)
		return CH_OK;
	if (s == CH_RV_FULL && atomic_load_explicit(&c->closed, memory_order_acquire))
		return CH_CLOSED;
	return CH_NOTREADY;
}

static inline int ch_rv_send(struct ch_rendezvous *c, const void *msg, size_t msz,
			     uint64_t deadline)
{
	int r, block = c->b.block;
	uint64_t d2 = deadline;
	if (deadline == CH_NOWAIT) {
		if (!atomic_load_explicit(&c->rx_waiting, memory_order_acquire))
			return atomic_load_explicit(&c->closed, memory_order_acquire) ? CH_CLOSED
										      : CH_FULL;
		d2 = ct_now_ns() + CH_RV_TRY_NS;
	}
	CH_WAIT(r, ch_rv_try_claim(c), &c->b.tx, block, deadline, CH_FULL, c->b.spin_ns);
	if (r != CH_OK)
		return r;
	memcpy(c->data, msg, msz);
	atomic_store_explicit(&c->state, CH_RV_FULL, memory_order_release);
	if (block != CH_SPIN)
		ch_evt_notify(&c->b.rx);
	for (;;) {
		CH_WAIT(r, ch_rv_try_done(c), &c->done, block, d2, CH_TIMEOUT, c->b.spin_ns);
		if (r == CH_OK)
			break;
		int e = CH_RV_FULL;
		if (atomic_compare_exchange_strong_explicit(
			&c->state, &e, CH_RV_EMPTY, memory_order_relaxed, memory_order_relaxed)) {
			if (block != CH_SPIN)
				ch_evt_notify(&c->b.tx);
			return r == CH_TIMEOUT && deadline == CH_NOWAIT ? CH_FULL : r;
		}
		d2 = CH_FOREVER; /* a receiver is copying it: wait for its DONE */
	}
	atomic_store_explicit(&c->state, CH_RV_EMPTY, memory_order_release);
	if (block != CH_SPIN)
		ch_evt_notify(&c->b.tx);
	return CH_OK;
}

static inline int ch_rv_try_take(struct ch_rendezvous *c, void *msg, size_t msz)
{
	int e = CH_RV_FULL;
	if (atomic_compare_exchange_strong_explicit(&c->state, &e, CH_RV_READING,
						    memory_order_acquire, memory_order_relaxed)) {
		memcpy(msg, c->data, msz);
		atomic_store_explicit(&c->state, CH_RV_DONE, memory_order_release);
		return CH_OK;
	}
	return atomic_load_explicit(&c->closed, memory_order_acquire) ? CH_CLOSED : CH_NOTREADY;
}

static inline int ch_rv_recv(struct ch_rendezvous *c, void *msg, size_t msz, uint64_t deadline)
{
	int r;
	if (deadline != CH_NOWAIT)
		atomic_fetch_add_explicit(&c->rx_waiting, 1, memory_order_acq_rel);
	CH_WAIT(r, ch_rv_try_take(c, msg, msz), &c->b.rx, c->b.block, deadline, CH_EMPTY,
		c->b.spin_ns);
	if (deadline != CH_NOWAIT)
		atomic_fetch_sub_explicit(&c->rx_waiting, 1, memory_order_acq_rel);
	if (r == CH_OK && c->b.block != CH_SPIN)
		ch_evt_notify(&c->done);
	return r;
}

#endif
