/*
 * chan.c - creating, closing and destroying channels of every kind, the run-time dispatch
 * of chan.h, and select over two channels.
 */
#define _GNU_SOURCE /* sched_getcpu */
#include <errno.h>
#include <linux/membarrier.h>
#include <sched.h>
#include <stdlib.h>

#include "chan_ops.h"

#ifndef FUTEX_32
#define FUTEX_32 2 /* FUTEX2_SIZE_U32 */
#endif

static const char *const kind_names[CH_NKINDS] = {
    [CH_MUTEX_RING] = "mutex_ring", [CH_MPMC_RING] = "mpmc_ring",   [CH_SPSC_RING] = "spsc_ring",
    [CH_MPSC_LIST] = "mpsc_list",   [CH_MUTEX_LIST] = "mutex_list", [CH_RENDEZVOUS] = "rendezvous",
};

const char *chan_kind_name(enum ch_kind kind)
{
	return (unsigned)kind < CH_NKINDS ? kind_names[kind] : "?";
}

const char *chan_block_name(enum ch_block b)
{
	return b == CH_SPIN ? "spin" : b == CH_SPINPARK ? "spinpark" : "park";
}

const char *chan_result_name(int r)
{
	static const char *const n[] = {"ok", "full", "empty", "timeout", "closed"};
	return r >= 0 && r <= CH_CLOSED ? n[r] : "?";
}

int chan_kind_has_block(enum ch_kind kind)
{
	return kind != CH_MUTEX_RING && kind != CH_MUTEX_LIST;
}

int chan_kind_multi_producer(enum ch_kind kind)
{
	return kind != CH_SPSC_RING;
}

int chan_kind_multi_consumer(enum ch_kind kind)
{
	return kind != CH_SPSC_RING && kind != CH_MPSC_LIST;
}

size_t chan_msg_footprint(const chan *c)
{
	switch (c->kind) {
	case CH_MPMC_RING:
		return ((const struct ch_mpmc_ring *)c)->stride;
	case CH_MPSC_LIST:
	case CH_MUTEX_LIST: /* glibc malloc: an 8-byte header, 16-byte granules */
		return (sizeof(struct ch_node) + c->msz + 8 + 15) & ~(size_t)15;
	default:
		return c->msz;
	}
}

/* A zeroed, touched buffer: no page faults later inside a timed loop. */
static void *alloc_touched(size_t bytes)
{
	void *p = aligned_alloc(CH_PAIR, (bytes + CH_PAIR - 1) / CH_PAIR * CH_PAIR);
	if (p)
		memset(p, 0, bytes);
	return p;
}

/* membarrier() for the SPSC ring's close: registered once; 0 when it cannot be used. */
static int membarrier_ok(void)
{
	static atomic_int state; /* 0 unknown, 1 usable, 2 not */
	int s = atomic_load(&state);
	if (!s) {
		s = syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0
			? 1
			: 2;
		atomic_store(&state, s);
	}
	return s == 1;
}

int ch_this_cpu(void)
{
	return sched_getcpu();
}

double ch_pause_ns(void)
{
	static _Atomic double cached;
	double v = atomic_load_explicit(&cached, memory_order_relaxed);
	if (v > 0)
		return v;
	uint64_t t0 = ct_now_ns();
	for (int i = 0; i < 2000; i++)
		ct_cpu_relax();
	v = (double)(ct_now_ns() - t0) / 2000.0;
	if (v < 0.5)
		v = 0.5;
	atomic_store_explicit(&cached, v, memory_order_relaxed);
	return v;
}

#define RTT_UNKNOWN_NS 200.0 /* what the SPSC slip assumes before chan_set_costs */

static void spsc_slips(struct ch_spsc_ring *s, double rtt_ns)
{
	double hi = 8 * rtt_ns / ch_pause_ns();
	s->slip_max = hi < 1 ? 1 : hi > 4096 ? 4096 : (unsigned)hi;
	s->pslip = s->cslip = s->slip_max;
}

static unsigned pauses_of(uint64_t ns)
{
	double p = (double)ns / ch_pause_ns();
	return p < 1 ? 1 : p > 1e6 ? 1000000 : (unsigned)p;
}

static void set_spin_pauses(chan *c)
{
	c->spin_pauses = pauses_of(c->spin_ns);
	c->spin_away_pauses = pauses_of(c->spin_away_ns);
}

void chan_set_costs(chan *c, const struct chan_costs *k)
{
	double rtt = k->rtt_ns, wake = k->wake_ns, b;
	if (rtt <= 0) {
		c->spin_ns = c->spin_away_ns = CH_SPIN_NS;
		rtt = RTT_UNKNOWN_NS;
	} else {
		b = wake <= 0 ? CH_SPIN_NS : wake;
		if (b < 4 * rtt)
			b = 4 * rtt;
		if (b > 50000)
			b = 50000;
		c->spin_away_ns = (uint64_t)b;
		b = 4 * rtt > 50000 ? 50000 : 4 * rtt;
		c->spin_ns = k->oversubscribed ? (uint64_t)b : c->spin_away_ns;
	}
	c->oversub = k->oversubscribed;
	set_spin_pauses(c);
	if (c->kind == CH_SPSC_RING)
		spsc_slips((struct ch_spsc_ring *)c, rtt);
	if (c->kind == CH_RENDEZVOUS) {
		struct ch_rendezvous *r = (struct ch_rendezvous *)c;
		r->try_ns =
		    wake > 0 && 4 * wake > CH_RV_TRY_NS ? (uint64_t)(4 * wake) : CH_RV_TRY_NS;
		/* half a measured round trip: about the receiver's look, copy and post */
		double sp =
		    k->rtt_ns > 0 && !k->oversubscribed ? 0.5 * k->rtt_ns / ch_pause_ns() : 0;
		r->settle_pauses = sp > 64 ? 64 : (unsigned)sp;
	}
}

uint64_t chan_spin_budget_ns(const chan *c)
{
	return c->spin_ns;
}

uint64_t chan_spin_away_ns(const chan *c)
{
	return c->spin_away_ns;
}

static int pow2(size_t x)
{
	return x && !(x & (x - 1));
}

static int cond_init_monotonic(pthread_cond_t *cv)
{
	pthread_condattr_t a;
	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	int r = pthread_cond_init(cv, &a);
	pthread_condattr_destroy(&a);
	return r;
}

chan *chan_create(enum ch_kind kind, size_t cap, size_t msz, enum ch_block block)
{
	static const size_t sizes[CH_NKINDS] = {
	    [CH_MUTEX_RING] = sizeof(struct ch_mutex_ring),
	    [CH_MPMC_RING] = sizeof(struct ch_mpmc_ring),
	    [CH_SPSC_RING] = sizeof(struct ch_spsc_ring),
	    [CH_MPSC_LIST] = sizeof(struct ch_mpsc_list),
	    [CH_MUTEX_LIST] = sizeof(struct ch_mutex_list),
	    [CH_RENDEZVOUS] = sizeof(struct ch_rendezvous),
	};
	if ((unsigned)kind >= CH_NKINDS || (msz != 8 && msz != 64) ||
	    (block != CH_SPIN && block != CH_SPINPARK && block != CH_PARK))
		return NULL;
	int list = kind == CH_MPSC_LIST || kind == CH_MUTEX_LIST;
	if (list != (cap == CH_UNBOUNDED) || (kind == CH_RENDEZVOUS) != (cap == 0))
		return NULL;
	if ((kind == CH_MPMC_RING || kind == CH_SPSC_RING) && (!pow2(cap) || cap > (1u << 30)))
		return NULL;
	if (kind == CH_MUTEX_RING && cap > (1u << 30))
		return NULL;

	chan *c = alloc_touched(sizes[kind]);
	if (!c)
		return NULL;
	c->kind = kind;
	c->block = chan_kind_has_block(kind) ? block : CH_PARK;
	c->msz = msz;
	c->cap = cap;
	c->spin_ns = c->spin_away_ns = CH_SPIN_NS;
	set_spin_pauses(c);
	ch_evt_init(&c->rx);
	ch_evt_init(&c->tx);
	atomic_init(&c->cpu[CH_RX], -1);
	atomic_init(&c->cpu[CH_TX], -1);
	atomic_init(&c->pus[CH_RX], 0);
	atomic_init(&c->pus[CH_TX], 0);

	switch (kind) {
	case CH_MUTEX_RING: {
		struct ch_mutex_ring *m = (void *)c;
		pthread_mutex_init(&m->mu, NULL);
		cond_init_monotonic(&m->not_empty);
		cond_init_monotonic(&m->not_full);
		if (!(m->buf = alloc_touched(cap * msz)))
			goto fail;
		break;
	}
	case CH_MPMC_RING: {
		struct ch_mpmc_ring *m = (void *)c;
		m->mask = cap - 1;
		m->stride = (sizeof(struct ch_mpmc_cell) + msz + 7) & ~(size_t)7;
		if (!(m->cells = alloc_touched(cap * m->stride)))
			goto fail;
		for (size_t i = 0; i < cap; i++)
			atomic_init(&ch_mpmc_cell(m, i)->seq, 2 * (uint64_t)i);
		atomic_init(&m->tail, 0);
		atomic_init(&m->head, 0);
		break;
	}
	case CH_SPSC_RING: {
		struct ch_spsc_ring *s = (void *)c;
		s->mask = cap - 1;
		s->fence = !membarrier_ok();
		/* a pair of lines on either side: nothing else shares the slots' pairs */
		if (!(s->buf = alloc_touched(cap * msz + 2 * CH_PAIR)))
			goto fail;
		s->buf += CH_PAIR;
		spsc_slips(s, RTT_UNKNOWN_NS);
		atomic_init(&s->tail, 0);
		atomic_init(&s->head, 0);
		break;
	}
	case CH_MPSC_LIST: {
		struct ch_mpsc_list *q = (void *)c;
		uint64_t zero[CH_MSG_MAX / 8] = {0};
		struct ch_node *stub = ch_node_new(zero, msz);
		if (!stub)
			goto fail;
		q->head = stub;
		atomic_init(&q->tail, stub);
		atomic_init(&q->state, 0);
		break;
	}
	case CH_MUTEX_LIST: {
		struct ch_mutex_list *q = (void *)c;
		pthread_mutex_init(&q->mu, NULL);
		cond_init_monotonic(&q->not_empty);
		break;
	}
	case CH_RENDEZVOUS: {
		struct ch_rendezvous *r = (void *)c;
		ch_evt_init(&r->free);
		atomic_init(&r->state, CH_RV_EMPTY);
		atomic_init(&r->closed, 0);
		atomic_init(&r->tx_waiting, 0);
		r->try_ns = CH_RV_TRY_NS;
		r->settle_pauses = 0; /* until chan_set_costs measures a round trip */
		break;
	}
	default:
		break;
	}
	return c;
fail:
	free(c);
	return NULL;
}

void chan_destroy(chan *c)
{
	if (!c)
		return;
	switch (c->kind) {
	case CH_MUTEX_RING: {
		struct ch_mutex_ring *m = (void *)c;
		pthread_mutex_destroy(&m->mu);
		pthread_cond_destroy(&m->not_empty);
		pthread_cond_destroy(&m->not_full);
		free(m->buf);
		break;
	}
	case CH_MPMC_RING:
		free(((struct ch_mpmc_ring *)c)->cells);
		break;
	case CH_SPSC_RING:
		free(((struct ch_spsc_ring *)c)->buf - CH_PAIR);
		break;
	case CH_MPSC_LIST: {
		struct ch_node *n = ((struct ch_mpsc_list *)c)->head;
		while (n) {
			struct ch_node *next = atomic_load(&n->next);
			free(n);
			n = next;
		}
		break;
	}
	case CH_MUTEX_LIST: {
		struct ch_mutex_list *q = (void *)c;
		for (struct ch_node *n = q->first, *next; n; n = next) {
			next = atomic_load(&n->next);
			free(n);
		}
		pthread_mutex_destroy(&q->mu);
		pthread_cond_destroy(&q->not_empty);
		break;
	}
	default:
		break;
	}
	free(c);
}

int chan_close(chan *c)
{
	int was = 1;
	switch (c->kind) {
	case CH_MUTEX_RING: {
		struct ch_mutex_ring *m = (void *)c;
		pthread_mutex_lock(&m->mu);
		was = m->closed;
		m->closed = 1;
		pthread_cond_broadcast(&m->not_empty);
		pthread_cond_broadcast(&m->not_full);
		pthread_mutex_unlock(&m->mu);
		break;
	}
	case CH_MUTEX_LIST: {
		struct ch_mutex_list *q = (void *)c;
		pthread_mutex_lock(&q->mu);
		was = q->closed;
		q->closed = 1;
		pthread_cond_broadcast(&q->not_empty);
		pthread_mutex_unlock(&q->mu);
		break;
	}
	case CH_MPMC_RING: {
		struct ch_mpmc_ring *m = (void *)c;
		was = !!(atomic_fetch_or(&m->tail, CH_MARK) & CH_MARK);
		atomic_store_explicit(&m->closed, 1, memory_order_release);
		break;
	}
	case CH_SPSC_RING: {
		struct ch_spsc_ring *s = (void *)c;
		was = atomic_exchange(&s->closing, 1);
		ch_evt_notify_all(&c->tx); /* a parked sender wakes, sees closing, is not busy */
		if (!s->fence)
			syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
		ct_spinwait w = CT_SPINWAIT_INIT;
		while (atomic_load_explicit(&s->busy, memory_order_acquire))
			ct_spinwait_step(&w);
		atomic_store_explicit(&s->closed, 1, memory_order_release);
		break;
	}
	case CH_MPSC_LIST:
		was = (int)(atomic_fetch_or(&((struct ch_mpsc_list *)c)->state, 1) & 1);
		break;
	case CH_RENDEZVOUS: {
		struct ch_rendezvous *r = (void *)c;
		was = atomic_exchange(&r->closed, 1);
		ch_evt_notify_all(&r->free);
		break;
	}
	default:
		break;
	}
	ch_evt_notify_all(&c->rx);
	ch_evt_notify_all(&c->tx);
	return !was;
}

/* Everything a send or receive calls is compiled into these two, for both message sizes
 * as constants: each kind's operation then copies a fixed-size message. Outlined, with the
 * size a variable, the copy was a rep movs (its start-up ~15 ns here per call), and a
 * select or a send through chan.h cost two to four times what the same loop compiled for
 * one kind does. */
__attribute__((flatten)) static int send_dl(chan *c, const void *msg, uint64_t deadline)
{
	return c->msz == 8 ? ch_send_k(c->kind, 8, c, msg, deadline)
			   : ch_send_k(c->kind, 64, c, msg, deadline);
}

__attribute__((flatten)) static int recv_dl(chan *c, void *msg, uint64_t deadline)
{
	return c->msz == 8 ? ch_recv_k(c->kind, 8, c, msg, deadline)
			   : ch_recv_k(c->kind, 64, c, msg, deadline);
}

int chan_send(chan *c, const void *msg)
{
	return send_dl(c, msg, CH_FOREVER);
}

int chan_try_send(chan *c, const void *msg)
{
	return send_dl(c, msg, CH_NOWAIT);
}

int chan_send_timeout(chan *c, const void *msg, uint64_t timeout_ns)
{
	return send_dl(c, msg, ch_deadline(timeout_ns));
}

int chan_recv(chan *c, void *msg)
{
	return recv_dl(c, msg, CH_FOREVER);
}

int chan_try_recv(chan *c, void *msg)
{
	return recv_dl(c, msg, CH_NOWAIT);
}

int chan_recv_timeout(chan *c, void *msg, uint64_t timeout_ns)
{
	return recv_dl(c, msg, ch_deadline(timeout_ns));
}

/* ---- select ------------------------------------------------------------------------- */

static _Thread_local unsigned select_turn;
/* Messages this thread's selects took in a row from one channel, and which. */
static _Thread_local unsigned select_streak;
static _Thread_local int select_last;
/* On an oversubscribed channel, the channel tried first and how many it gave in this turn. */
static _Thread_local int select_cur;
static _Thread_local unsigned select_run;

/* On an oversubscribed channel a select takes turns of up to SELECT_BATCH messages: the
 * channel that gave the last message is tried first until it has given that many (or
 * comes up empty), then the other. Taking a run from one ring keeps its lines here and
 * lets the other ring fill meanwhile, where alternating per message pulled both rings'
 * lines at the pace of their producers. Neither starves: a turn ends after SELECT_BATCH.
 * Not with a rendezvous (capacity 0, nothing to fill): the turns gave its select 0.17 of
 * its messages from one sender (0.50 alternating) at the same speed. */
#ifndef SELECT_BATCH
#define SELECT_BATCH 64
#endif
/* A select on an oversubscribed machine (chan_set_costs) that took this many messages in
 * a row from one channel yields the CPU once if the other channel's sender has not waited
 * yet (its PU unknown): it may be queued behind the select on its PU, and without that it
 * would run only when the scheduler preempts the select (a time slice later), so the
 * select would take almost all from one sender. A sender known to wait on this PU is let
 * run by select_partner_here, as soon as its channel is found empty. Yielding on every
 * streak, as first written, switched to that sender after each turn of the other channel,
 * before its own ring was drained: with turns of 64 it had room for few messages, and half
 * the switches carried nothing (AMD EPYC family 25 model 1, 2026-12-03: 1 switch per 29
 * messages, against 1 per 64 after; chan_select spsc_ring/mpmc_ring cap:64 block:spin
 * +48 % and +37 %, ab of 24 rounds, q 0.047). */
#ifndef SELECT_STREAK_YIELD
#define SELECT_STREAK_YIELD 64
#endif

/* Try both, `first` first: CH_OK (and *which), CH_CLOSED if both are closed and drained,
 * else CH_NOTREADY. empty[i]: channel i was tried and had nothing (and is not closed). */
static int select_try(chan *ch[2], int first, void *msg, int *which, int empty[2])
{
	int closed = 0;
	empty[0] = empty[1] = 0;
	for (int j = 0; j < 2; j++) {
		int i = first ^ j;
		int r = recv_dl(ch[i], msg, CH_NOWAIT);
		if (r == CH_OK) {
			*which = i;
			return CH_OK;
		}
		closed += r == CH_CLOSED;
		empty[i] = r != CH_CLOSED;
	}
	return closed == 2 ? CH_CLOSED : CH_NOTREADY;
}

/* The channel this thread's select last yielded for (its sender waits on this PU and it
 * was empty), until it delivers again: one yield per refill, not one per message (a
 * yield that finds the sender not runnable returns at once). */
static _Thread_local const chan *select_yielded;

/* Which of the channels found empty (a bit each) have their sender waiting on this PU, on
 * an oversubscribed channel (ch_partner_here): such a channel is refilled only once this
 * thread lets its sender run, and spinning on the other would only wait for its sender
 * across PUs message by message. */
static int select_partner_here(chan *ch[2], const int empty[2])
{
	int here = 0;
	for (int i = 0; i < 2; i++)
		if (empty[i] && ch[i] != select_yielded && ch_partner_here(ch[i], CH_RX))
			here |= 1 << i;
	return here;
}

/* Sleep until either event count moves past its key, or the deadline. */
static void wait_two(ch_evt *a, unsigned ka, ch_evt *b, unsigned kb, uint64_t deadline)
{
	struct futex_waitv w[2] = {
	    {.val = ka, .uaddr = (uintptr_t)&a->seq, .flags = FUTEX_32 | FUTEX_PRIVATE_FLAG},
	    {.val = kb, .uaddr = (uintptr_t)&b->seq, .flags = FUTEX_32 | FUTEX_PRIVATE_FLAG},
	};
	struct timespec ts, *tp = NULL;
	if (deadline != CH_FOREVER) {
		ch_abs_timespec(deadline, &ts);
		tp = &ts;
	}
	if (syscall(SYS_futex_waitv, w, 2, 0, tp, CLOCK_MONOTONIC) == -1 && errno == ENOSYS) {
		/* No futex_waitv (Linux < 5.16): sleep on one, look at both every 100 us. */
		uint64_t d = ct_now_ns() + 100000;
		ch_futex_wait(&a->seq, ka, d < deadline ? d : deadline);
	}
}

int chan_select_recv(chan *a, chan *b, void *msg, uint64_t timeout_ns, int *which)
{
	chan *ch[2] = {a, b};
	uint64_t deadline = ch_deadline(timeout_ns);
	int first = (int)(select_turn++ & 1);
	if ((a->oversub || b->oversub) && a->cap && b->cap) {
		if (select_run >= SELECT_BATCH) {
			select_cur = !select_cur;
			select_run = 0;
		}
		first = select_cur;
	}
	/* A spinning kind never announces a send, so then the select can only poll. */
	int spin_only = a->block == CH_SPIN || b->block == CH_SPIN;
	int spin = spin_only || a->block == CH_SPINPARK || b->block == CH_SPINPARK;
	int parked = 0, r, empty[2];
	unsigned budget = a->spin_pauses < b->spin_pauses ? a->spin_pauses : b->spin_pauses;
	ct_spinwait w = CT_SPINWAIT_INIT;

	for (;;) {
		r = select_try(ch, first, msg, which, empty);
		if (r != CH_NOTREADY)
			break;
		if (deadline == CH_NOWAIT)
			return CH_EMPTY;
		int here = spin ? select_partner_here(ch, empty) : 0;
		if (here) {
			select_yielded = ch[here & 1 ? 0 : 1];
			sched_yield();
			continue;
		}
		if (spin) {
			uint64_t now = ct_spinwait_step(&w);
			if (now && now >= deadline)
				return CH_TIMEOUT;
			if (w.n >= budget) {
				if (!spin_only)
					spin = 0;
				else
					sched_yield();
			}
			continue;
		}
		unsigned ka = ch_evt_prepare(&a->rx), kb = ch_evt_prepare(&b->rx);
		r = select_try(ch, first, msg, which, empty);
		if (r == CH_NOTREADY && deadline != CH_FOREVER && ct_now_ns() >= deadline)
			r = CH_TIMEOUT;
		if (r == CH_NOTREADY)
			wait_two(&a->rx, ka, &b->rx, kb, deadline);
		ch_evt_cancel(&a->rx);
		ch_evt_cancel(&b->rx);
		parked = 1;
		if (r != CH_NOTREADY)
			break;
	}
	/* A wake-up meant for a receiver of the channel this select did not take from may have
	 * come to the select: pass it on. */
	if (r == CH_OK && parked)
		ch_evt_notify(&ch[!*which]->rx);
	if (r == CH_OK) {
		if (*which == select_cur) {
			select_run++;
		} else {
			select_cur = *which;
			select_run = 1;
		}
		if (ch[*which] == select_yielded)
			select_yielded = NULL;
		/* The other channel came up empty on this call and its sender is queued here:
		 * let it refill now, while this one's sender (on another PU) refills this. */
		int here = select_partner_here(ch, empty);
		if (here) {
			select_yielded = ch[here & 1 ? 0 : 1];
			select_streak = 0;
			sched_yield();
		}
		select_streak = *which == select_last ? select_streak + 1 : 1;
		select_last = *which;
		if (select_streak >= SELECT_STREAK_YIELD && (a->oversub || b->oversub)) {
			select_streak = 0;
			/* Only for a sender whose PU is not known: one known to wait here is let
			 * run when its channel comes up empty (select_partner_here), and a yield
			 * then would hand the PU to a sender whose ring this select has not
			 * drained yet, a switch there and back for nothing. */
			int other_pu =
			    atomic_load_explicit(&ch[!*which]->cpu[CH_TX], memory_order_relaxed);
			if (other_pu < 0)
				sched_yield();
		}
	}
	return r;
}
