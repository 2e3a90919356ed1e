/*
 * lk_ticket.h - ticket lock: take a number, wait until the owner shows it. FIFO, so every
 * acquisition under contention is a handoff to another thread.
 *   ticket     one 32-bit word (CK's and Linux's old x86 form): next in the high half,
 *              owner in the low; the fetch_add that takes the number returns the owner
 *              too, and the release is one locked add on the low half, computed from the
 *              holder's own ticket (kept in its node) without reading the word first, as
 *              CK's 16-bit inc does. Reading the owner before the add had ticket 6-20 %
 *              behind ck_ticket in 6 of 6 runs (0.80-0.94 of it per run, 46-47
 *              undisturbed runs of each at 76-160 ns, AMD EPYC family 25 model 1,
 *              2026-12-03); without the read it is 1.00-1.12 of it (15.3 against 14.5 M/s
 *              in the median, ticket_pb 14.9 against ck_ticket_pb's 14.9). Waiters pause, then
 *              read the word: every waiter keeps a copy of the line, so the holder's
 *              release (and the next fetch_add) must first take it back. The first form,
 *              next and owner in two words of one line with a plain store to release, ran
 *              9-20 % behind ck_ticket here (11.1-11.6 against 13.5-13.9 M/s, AMD EPYC
 *              family 25 model 1, lock_counter at 2 threads, 15 repetitions).
 *   ticket_pb  proportional backoff (Mellor-Crummey and Scott 1991; libslock, CK's
 *              ticket_lock_pb): a waiter d places from the head pauses (d - 1) x
 *              LK_TICKET_PB_UNIT cpu-relax steps between two reads (the next in line, as in
 *              libslock, only one), so waiters further back leave the line to the holder
 *              and the next in line reads it about when it is released.
 *   ticket_park ticket_pb's waiting for at most spin_ns (lk_park.h), then the waiter counts
 *              itself in `sleepers` and sleeps on `owner`; a release that finds a sleeper
 *              wakes them all (each re-checks its ticket: a FIFO lock cannot pick one
 *              sleeper by the word alone). The sleeper count and `owner` form a Dekker pair:
 *              seq_cst on both sides, so a release either sees the sleeper or the sleeper
 *              sees the new owner before it sleeps.
 *
 * Stressed: one line read by every waiter, a handoff per acquisition; left out: more
 * waiters than the two threads of lock_counter (where proportional backoff matters most).
 * Reached here (lock_counter, 2 threads): 0.9 round trips per operation at a round trip of
 * ~70 ns (ticket 15 M/s, ck_ticket 16), 0.67 at ~420 ns (all forms and ck rows 3.4-3.6).
 * On an Intel Xeon (family 6 model 207, 2 vCPUs, KVM, 2026-12-02; medians of 14 runs of
 * the ab against the previous main): ticket_pb 5.1 M/s at fair_maxmin 1.01, 1.28 round
 * trips per handoff at ~160 ns (ck_ticket_pb 5.0, 1.01), 0.34x the mutex's 15.2 M/s; the
 * handoff moves the lock line and then the counter's line, one round trip at least.
 * On an AMD EPYC family 25 model 1 (2026-12-03, round trip ~100-110 ns; one-word form):
 * ticket_pb 13.8-14.3 M/s at fair_maxmin 1.01-1.02, ~0.7 round trips per handoff
 * (ck_ticket_pb 13.8-14.0), 0.70x the mutex's 20.3. Pausing the next in line longer
 * between reads only loses here: 4, 16 and 64 pauses gave 11.8, 4.1 and 1.1 M/s against
 * 13.8 with one (medians of 12-14 drift-free runs, ck_ticket_pb 14.0-16.0 beside them).
 * The ratio to the mutex is set by the round trip: 105 runs of each (2026-12-03, same
 * host), binned by the round trip measured around each run: below 76 ns (2-3 runs) ticket
 * and ticket_pb 32 M/s, 0.45 round trips per operation, against the mutex's 19.4 (1.65x);
 * at 85-150 ns (45-66 runs) 13.7-13.8, 0.70, against 26.3 (0.52x); past 300 ns 4.5, 0.50,
 * against 19.7 (0.23x). The mutex re-acquires in streaks (fair_maxmin 1.1-1.6) and hardly
 * feels the round trip; a FIFO lock hands off on every acquisition. ck_ticket and
 * ck_ticket_pb in the same bins: 29.7, 13.6-13.7 and 4.1-4.6 M/s. Beside the handoff limit
 * probes (lk_limit.h; 84 more runs, 2026-12-03): at 76-160 ns ticket 14.1 M/s against
 * limit_handoff_apart's 12.8 (the least a FIFO lock moves with the counter on its own
 * line) and limit_handoff's 27.0 (turn and counter in one line), the mutex 20.9; past
 * 300 ns ticket 5.1 against 3.9 and 4.5, the mutex 19.4: the ticket lock is at its
 * design's ceiling, and 1.0x the mutex is out of reach for any lock that hands off per
 * acquisition in this layout except at the rare round trips below 76 ns (ticket 32.3
 * against the mutex's 20.3, 1.59x). On a quiet host (2026-12-04, load 0.0-0.3; 4 runs of
 * 21 at 76-160 ns, 77-80 undisturbed a row): ticket 14.6 and ticket_pb 14.8 M/s, 0.73 and
 * 0.71 round trips per handoff (ck_ticket 13.5, ck_ticket_pb 13.3), 0.53-0.54x the mutex's
 * 27.3; limit_handoff_apart 13.4 at 0.72. On an AMD EPYC family 25 model 17 (2026-12-04 evening; 3
 * runs of 21, round trip ~53 ns in 48-55 undisturbed runs a row, ~320 ns in 5-9): at ~53 ns
 * ticket 24.1 and ticket_pb 22.8 M/s, 0.79-0.84 round trips per handoff, fair_maxmin 1.01
 * (ck_ticket 23.4, ck_ticket_pb 22.3), 0.66x the mutex's 36.5, where limit_handoff itself is 31.1
 * (0.85x) and limit_handoff_apart 18.4 (0.50x); at ~320 ns ticket 4.3 against the mutex's 33.0.
 */
#ifndef CONTEND_LK_TICKET_H
#define CONTEND_LK_TICKET_H

#include "lk_mutex.h"
#include "lk_park.h"

/* One word, as in CK's x86 form: the high half the next ticket, the low half the owner.
 * The fetch_add that takes a ticket also reads the owner; only the holder changes the low
 * half, by an add that cancels the carry out of it when it wraps. The holder's ticket is
 * the owner while it holds the lock, so the node keeps it and the release needs no load. */
#define LK_TICKET_INC  0x10000u
#define LK_TICKET_MASK 0xffffu

typedef struct {
	CT_ALIGNED atomic_uint word;
} lk_ticket_t;
typedef struct {
	unsigned me; /* the holder's ticket, so the release need not read the word */
} lk_ticket_node_t;

static inline void lk_ticket_init(lk_ticket_t *l)
{
	atomic_init(&l->word, 0);
}
static inline void lk_ticket_destroy(lk_ticket_t *l)
{
	(void)l;
}
static inline void lk_ticket_lock(lk_ticket_t *l, lk_ticket_node_t *n)
{
	unsigned v = atomic_fetch_add_explicit(&l->word, LK_TICKET_INC, memory_order_acquire);
	unsigned me = v >> 16;
	n->me = me; /* the release's addend comes from it */
	while ((v & LK_TICKET_MASK) != me) {
		ct_cpu_relax();
		v = atomic_load_explicit(&l->word, memory_order_acquire);
	}
}
static inline void lk_ticket_unlock(lk_ticket_t *l, lk_ticket_node_t *n)
{
	atomic_fetch_add_explicit(&l->word, n->me == LK_TICKET_MASK ? 1u - LK_TICKET_INC : 1u,
				  memory_order_release);
}

/* Pauses per place ahead beyond the first (a pause is 18-30 ns on the machines measured).
 * At 2 threads the waiter is always next: pausing it d x 4 (not d - 1) cost 25 % at a
 * round trip of ~70 ns, and units 1-16 measured alike at ~420 ns. */
#define LK_TICKET_PB_UNIT 4

typedef lk_ticket_t lk_ticket_pb_t;
typedef lk_ticket_node_t lk_ticket_pb_node_t;
#define lk_ticket_pb_init    lk_ticket_init
#define lk_ticket_pb_destroy lk_ticket_destroy
#define lk_ticket_pb_unlock  lk_ticket_unlock

static inline void lk_ticket_pb_lock(lk_ticket_pb_t *l, lk_ticket_pb_node_t *n)
{
	unsigned v = atomic_fetch_add_explicit(&l->word, LK_TICKET_INC, memory_order_acquire);
	unsigned me = v >> 16;
	n->me = me;
	for (;;) {
		unsigned o = v & LK_TICKET_MASK;
		if (o == me)
			return;
		for (unsigned i = ((me - o - 1) & LK_TICKET_MASK) * LK_TICKET_PB_UNIT + 1; i; i--)
			ct_cpu_relax();
		v = atomic_load_explicit(&l->word, memory_order_acquire);
	}
}

typedef struct {
	CT_ALIGNED atomic_uint next;
	atomic_uint owner;
	atomic_uint sleepers; /* waiters in (or about to enter) FUTEX_WAIT on owner */
	uint64_t spin_ns, yield_ns;
} lk_ticket_park_t;
typedef lk_nonode_t lk_ticket_park_node_t;

static inline void lk_ticket_park_init(lk_ticket_park_t *l)
{
	atomic_init(&l->next, 0);
	atomic_init(&l->owner, 0);
	atomic_init(&l->sleepers, 0);
	l->spin_ns = LK_PARK_SPIN_NS;
	l->yield_ns = 0;
}
static inline void lk_ticket_park_destroy(lk_ticket_park_t *l)
{
	(void)l;
}
static inline void lk_ticket_park_lock(lk_ticket_park_t *l, lk_ticket_park_node_t *n)
{
	(void)n;
	unsigned me = atomic_fetch_add_explicit(&l->next, 1, memory_order_relaxed);
	unsigned o = atomic_load_explicit(&l->owner, memory_order_acquire);
	if (o == me)
		return;
	lk_spinner sp = {0};
	uint64_t budget = l->spin_ns;
	for (;;) {
		for (unsigned i = (me - o - 1) * LK_TICKET_PB_UNIT + 1; i; i--)
			if (lk_spin_spent(&sp, budget))
				goto park;
		o = atomic_load_explicit(&l->owner, memory_order_acquire);
		if (o == me)
			return;
	}
park:
	atomic_fetch_add_explicit(&l->sleepers, 1, memory_order_seq_cst);
	/* Two loops, so that with no yield budget (threads fit the PUs) the lock compiles as it
	 * did before the yielding: one loop calling lk_park_wait cost 2-9 % on the 2-thread
	 * rows in `contend ab` (2 of 10 called regressed), this form none of 10. */
	if (l->yield_ns)
		while ((o = atomic_load_explicit(&l->owner, memory_order_seq_cst)) != me)
			lk_park_wait(&l->owner, o, l->yield_ns);
	else
		while ((o = atomic_load_explicit(&l->owner, memory_order_seq_cst)) != me)
			lk_futex_wait(&l->owner, o);
	atomic_fetch_sub_explicit(&l->sleepers, 1, memory_order_relaxed);
}
static inline void lk_ticket_park_unlock(lk_ticket_park_t *l, lk_ticket_park_node_t *n)
{
	(void)n;
	unsigned o = atomic_load_explicit(&l->owner, memory_order_relaxed);
	atomic_store_explicit(&l->owner, o + 1, memory_order_seq_cst);
	if (atomic_load_explicit(&l->sleepers, memory_order_seq_cst))
		lk_futex_wake(&l->owner, INT_MAX);
}

#endif
