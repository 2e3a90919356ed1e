/*
 * chan_rendezvous.h - capacity 0: a send returns once its message is handed to a receiver
 * that is waiting for it (and can no longer withdraw), as Go's unbuffered channel does.
 *
 * One slot, its state and an 8-byte message on one line. The receiver drives: it posts
 * itself (EMPTY -> WAITING) and waits; a sender takes the post (WAITING -> WRITING, a
 * CAS, so of several senders one wins), copies its message, says FULL and returns at once;
 * the receiver copies the message out and frees the slot (EMPTY: a load and a store, no
 * RMW, since FULL is that receiver's alone). So one message moves the slot's line twice,
 * receiver to sender and back, where a sender-driven slot (offer, take, acknowledge)
 * moves it four times. Stressed: that hand-off, with both sides polling one line (the
 * sender with the CAS itself, so the line it wins comes with ownership; the receiver with
 * loads). Left out: any queueing (capacity 0), fairness between several senders (the CAS
 * decides), and messages larger than what shares the state's line.
 *
 * Figures here (2 vCPUs of an Intel Xeon, family 6 model 207, under KVM, a machine shared
 * with other builds, 2026-12; cache-line round trip 150-190 ns; medians of 9-11 runs
 * interleaved with the code before): chan_throughput/rendezvous/cap:0/p:1/c:1/msg:8 at
 * 1.0 round trips per message (spin and spinpark, from 1.4 and 1.6) while the host kept
 * the vCPUs where it did at first, and at 1.8-1.9 (spin and spinpark, from 1.9 and 2.0)
 * after it moved them, at the same round trip: the 1.6 goal is met in the first state
 * only. chan_rtt/rendezvous (two messages per round trip): 1.8-2.3 round trips, as before.
 * Measured and not kept, none better in that second state: the sender polling with a load
 * before its CAS (2.2 against 1.9), backing off 2-8 pauses after each failed claim, or a
 * round trip's worth after finding FULL (worse), the receiver asking for the line with
 * ownership while it polls (prefetchw, or an RMW that changes nothing: the same), and
 * polling 16-64 times between pauses (the same). The spin budget (spin_budget_ns) is the
 * measured wake-up, wake_ns, ~30 us here, as the two threads have a PU each
 * (chan_set_costs); neither side comes near it in a stream.
 *
 * A send that follows this thread's last send on the same channel, with no receive by it in
 * between (the next message of a stream), pauses settle_pauses before its first claim:
 * half a measured round trip (chan_set_costs; none while the costs are unknown or the
 * threads outnumber the PUs). The receiver is then still taking the last message and
 * posting again, and a claim would take the line away from it in the middle. `contend ab`
 * of the code without it against it (2026-12-02, same machine, 15 paired rounds):
 * p:1/c:1 spin 3.04 -> 3.48 M msgs/s (+15.9 %, q 0.006), spinpark 2.92 -> 3.92 (+26.9 %,
 * q 0.001), so 1.5-1.7 round trips per message at a round trip of ~170 ns; chan_rtt,
 * p:2/c:1 and chan_select unchanged. A quarter-less pause (0.3 of a round trip) was
 * 19-30 % slower than half, 0.8 not significantly different. On an AMD EPYC family 25
 * model 17 (2026-12-04 evening, 3 runs of 7, round trip ~53 ns in 15-17 undisturbed runs):
 * p:1/c:1 spin 14.6 and spinpark 14.1 M/s, 1.28 and 1.31 round trips per message.
 *
 * Cancellation: a receiver whose deadline passes (or that sees a close) withdraws its post
 * with a CAS WAITING -> EMPTY; if a sender won that race, the message is already its own
 * and it waits (briefly: the sender is copying) for FULL and returns it. A timed-out send
 * never took a post, so it delivered nothing. Neither side loses or duplicates a message.
 * Receivers that find the slot taken by another receiver's hand-off wait for EMPTY.
 * A try-receive succeeds only when a sender is waiting (tx_waiting): it posts and waits
 * for it up to try_ns, CH_RV_TRY_NS or 4 measured wake-ups if longer (a parked sender
 * must wake to take the post); a try-send succeeds only when a receiver has posted. A
 * sender that has to wait says so on rx at each look, so a select parked there wakes and
 * posts (again, if its last post timed out before the sender woke).
 *
 * Events: b.tx, senders wait for a post; b.rx, a posted receiver waits for FULL; free,
 * receivers wait for EMPTY. Notifications only when the policy parks (CH_SPIN never does).
 */
#ifndef CONTEND_CHAN_RENDEZVOUS_H
#define CONTEND_CHAN_RENDEZVOUS_H

#include "chan_wait.h"

enum { CH_RV_EMPTY, CH_RV_WAITING, CH_RV_WRITING, CH_RV_FULL };

#ifndef CH_RV_RMW_POLL
#define CH_RV_RMW_POLL 1
#endif
/* What a waiting side expects the state to be: with RMW polling it just tries the CAS
 * (one transfer brings the line with ownership), else it loads first. */
#define CH_RV_EXPECT(c, v)                                                                         \
	(CH_RV_RMW_POLL ? (v) : atomic_load_explicit(&(c)->state, memory_order_relaxed))

/* How long a try-receive waits for a waiting sender to take its post. */
#define CH_RV_TRY_NS 50000

struct ch_rendezvous {
	struct chan b;
	ch_evt free;
	CH_PAIR_ALIGNED atomic_int state;
	unsigned char data[CH_MSG_MAX]; /* 8-byte messages share the state's line */
	CH_PAIR_ALIGNED atomic_int closed;
	CH_PAIR_ALIGNED atomic_int tx_waiting; /* senders inside a waiting send */
	uint64_t try_ns;	/* a try-receive's wait for a waiting sender (chan_set_costs) */
	unsigned settle_pauses; /* a back-to-back send's pause before it polls (chan_set_costs) */
};

/* The rendezvous this thread last sent on, until it receives on one: a send that follows
 * it directly is the next message of a stream. */
static _Thread_local const struct ch_rendezvous *ch_rv_last_send;

/* A sender: take a receiver's post. */
static inline int ch_rv_try_claim(struct ch_rendezvous *c)
{
	if (atomic_load_explicit(&c->closed, memory_order_acquire))
		return CH_CLOSED;
	int e = CH_RV_EXPECT(c, CH_RV_WAITING);
	if (e == CH_RV_WAITING &&
	    atomic_compare_exchange_strong_explicit(&c->state, &e, CH_RV_WRITING,
						    memory_order_acquire, memory_order_relaxed))
		return CH_OK;
	return CH_NOTREADY;
}

/* The same from a sender that waits: each look that finds no post wakes a select (or a
 * try-receive) parked on rx, so it posts again; a post it withdrew after its window is
 * then not the end of it. Only where the policy parks: a spinning select polls. */
static inline int ch_rv_try_claim_waiting(struct ch_rendezvous *c)
{
	int r = ch_rv_try_claim(c);
	if (r == CH_NOTREADY && c->b.block != CH_SPIN)
		ch_evt_notify(&c->b.rx);
	return r;
}

static inline int ch_rv_send(struct ch_rendezvous *c, const void *msg, size_t msz,
			     uint64_t deadline)
{
	/* The receiver of the message this thread just handed over is still taking it and
	 * posting again: a claim now would take the line from it and have to wait for it to
	 * come back. Pause for part of a round trip first. */
	if (ch_rv_last_send == c)
		for (unsigned i = c->settle_pauses; i; i--)
			ct_cpu_relax();
	int r = ch_rv_try_claim(c);
	if (r == CH_NOTREADY) {
		if (deadline == CH_NOWAIT)
			return CH_FULL;
		atomic_fetch_add_explicit(&c->tx_waiting, 1, memory_order_seq_cst);
		CH_WAIT(r, ch_rv_try_claim_waiting(c), &c->b.tx, &c->b, CH_TX, deadline, CH_FULL);
		atomic_fetch_sub_explicit(&c->tx_waiting, 1, memory_order_release);
	}
	if (r != CH_OK)
		return r;
	memcpy(c->data, msg, msz);
	atomic_store_explicit(&c->state, CH_RV_FULL, memory_order_release);
	ch_rv_last_send = c;
	if (c->b.block != CH_SPIN)
		ch_evt_notify(&c->b.rx);
	return CH_OK;
}

/* A receiver: post itself on a free slot. */
static inline int ch_rv_try_post(struct ch_rendezvous *c)
{
	int e = CH_RV_EMPTY;
	if (atomic_load_explicit(&c->state, memory_order_relaxed) == e &&
	    atomic_compare_exchange_strong_explicit(&c->state, &e, CH_RV_WAITING,
						    memory_order_acquire, memory_order_relaxed))
		return CH_OK;
	return atomic_load_explicit(&c->closed, memory_order_acquire) ? CH_CLOSED : CH_NOTREADY;
}

/* The posted receiver: take the message once FULL; on a close, withdraw if no sender took
 * the post. FULL is this receiver's alone (other receivers wait for EMPTY, senders for
 * WAITING), so a load, the copy and a store EMPTY take it: no RMW, whose ownership request
 * the sender's next claim would have to take back from it before it could post again. */
static inline int ch_rv_try_take(struct ch_rendezvous *c, void *msg, size_t msz)
{
	int s = atomic_load_explicit(&c->state, memory_order_acquire);
	if (s == CH_RV_FULL) {
		memcpy(msg, c->data, msz);
		atomic_store_explicit(&c->state, CH_RV_EMPTY, memory_order_release);
		return CH_OK;
	}
	if (s == CH_RV_WAITING && atomic_load_explicit(&c->closed, memory_order_acquire)) {
		int e = CH_RV_WAITING;
		if (atomic_compare_exchange_strong_explicit(
			&c->state, &e, CH_RV_EMPTY, memory_order_relaxed, memory_order_relaxed))
			return CH_CLOSED;
	}
	return CH_NOTREADY;
}

static inline int ch_rv_recv(struct ch_rendezvous *c, void *msg, size_t msz, uint64_t deadline)
{
	int r, block = c->b.block;
	uint64_t d = deadline;
	ch_rv_last_send = NULL; /* a ping-pong: its next send is not a stream's */
	if (deadline == CH_NOWAIT) {
		if (!atomic_load_explicit(&c->tx_waiting, memory_order_acquire))
			return atomic_load_explicit(&c->closed, memory_order_acquire) ? CH_CLOSED
										      : CH_EMPTY;
		d = ct_now_ns() + c->try_ns;
	}
	CH_WAIT(r, ch_rv_try_post(c), &c->free, &c->b, CH_RX, d, CH_EMPTY);
	if (r != CH_OK)
		return r == CH_TIMEOUT && deadline == CH_NOWAIT ? CH_EMPTY : r;
	if (block != CH_SPIN)
		ch_evt_notify(&c->b.tx);
	for (;;) {
		CH_WAIT(r, ch_rv_try_take(c, msg, msz), &c->b.rx, &c->b, CH_RX, d, CH_TIMEOUT);
		if (r != CH_TIMEOUT)
			break;
		int e = CH_RV_WAITING;
		if (atomic_compare_exchange_strong_explicit(
			&c->state, &e, CH_RV_EMPTY, memory_order_relaxed, memory_order_relaxed)) {
			r = deadline == CH_NOWAIT ? CH_EMPTY : CH_TIMEOUT;
			break;
		}
		d = CH_FOREVER; /* a sender took the post and is copying: wait for FULL */
	}
	if (block != CH_SPIN)
		ch_evt_notify(&c->free);
	return r;
}

#endif
