/*
 * chan_wait.h - what every channel kind shares: the common header of a channel, deadlines,
 * and waiting by a blocking policy (spin, spin-then-park, park) on an event count over a
 * futex, so a lock-free queue can park a thread without losing a wake-up.
 *
 * The event count: a waiter announces itself (waiters++), takes a key (seq), checks its
 * condition again, and sleeps on the futex only while seq still equals the key. A notifier
 * that changed the condition looks at waiters after a full fence and, only if someone
 * waits, bumps seq and wakes. The two fences (or, under TSan, which does not model fences,
 * RMWs on waiters) make sure one of them sees the other. Tried and not kept: one wake-up
 * call per sleep (an "armed" flag the first notifier clears): it cut block:park throughput
 * at capacity 64-256 by 3-6x (chan_throughput mpmc_ring cap:256 22 -> 3.7 M/s here) and,
 * beside the partner-PU rule below, did not help chan_select spinpark (2.0-2.3 round trips
 * per message with it, 1.2 without).
 *
 * Whether the partner runs: on an oversubscribed channel each side records the PU it last
 * waited on (cpu[], written only when it changes) and every PU it has waited on (pus[]).
 * A waiter whose partner last waited on its own PU does not spin at all: the partner
 * cannot run until this thread gives up the PU, so it yields (CH_SPIN at every check;
 * CH_SPINPARK once, then parks). A waiter alone on its side (no thread of its side has
 * waited on another PU) none of whose partners ever waited on its PU spins for the wake
 * cost, as when not oversubscribed (spin_away_ns): its partners run elsewhere, parking
 * would cost as much, and the spin takes the PU from none of them. Otherwise (a partner
 * seen here, a peer of its own side elsewhere, or none seen yet) it spins a few round
 * trips (with a second sender on another PU the long spin cost 2:1 throughput 10-30 %).
 * Past its budget, a CH_SPINPARK waiter that does not know its partners to be away yields
 * once before it parks: a partner queued behind it on its PU then runs now and fills (or
 * drains) the ring, where a park had it wake this thread with a futex call nearly every
 * message. A side that never waited (a sender that never finds a ring of 256 full) left its
 * receivers unsure where it runs, and 2:2 on two PUs ran at 3 M msgs/s at capacity 256-1024
 * against 50-75 at 64. `contend ab` of every chan_* spinpark row (60, AMD EPYC family 25
 * model 17, round trip ~53 ns, 2026-12-04): 8 improved (mpmc_ring p:2/c:2 cap:1024 3.1 ->
 * 38.9 M/s, cap:256 5.1 -> 42.2, cap:1 41.6 k/s -> 2.0 M/s; mpsc_list p:2/c:1 3.3 -> 16.9),
 * none worse, the 1:1 rows (not oversubscribed: the same code) unchanged but for one at
 * +5.1 % (q 0.018).
 */
#ifndef CONTEND_CHAN_WAIT_H
#define CONTEND_CHAN_WAIT_H

#include <limits.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "chan.h"

#define CH_FOREVER  UINT64_MAX /* deadline: wait as long as it takes */
#define CH_NOWAIT   0	       /* deadline: do not wait (the try forms) */
#define CH_NOTREADY (-1)       /* internal: the operation would have to wait */
#define CH_SPIN_NS  20000      /* spin-then-park: the default spin budget (chan_set_spin_ns) */

/*
 * The distance that keeps the lines one side writes away from the lines the other side
 * reads: two lines. arch.h's CT_PAD is one line on x86-64, but Intel's adjacent-line
 * prefetcher and AMD's up/down prefetcher fetch a 128-byte aligned pair on a miss, so
 * a line 64 bytes from one the partner writes moves with it.
 */
#define CH_PAIR		128
#define CH_PAIR_ALIGNED alignas(CH_PAIR)

/* ns one ct_cpu_relax() takes on this machine (chan.c; measured once, ~60 us). */
double ch_pause_ns(void);

typedef struct {
	CT_ALIGNED atomic_uint seq;
	atomic_int waiters;
} ch_evt;

/* The header every kind starts with. */
struct chan {
	int kind, block;
	size_t msz, cap;
	uint64_t spin_ns;     /* spin budget before parking (CH_SPINPARK) or yielding (CH_SPIN) */
	unsigned spin_pauses; /* the same in pauses (ch_pause_ns) */
	/* The budget of a waiter whose partners wait only on other PUs (CH_AT_AWAY): the
	 * wake cost, as when not oversubscribed (chan_set_costs); spin_ns when not
	 * oversubscribed. */
	uint64_t spin_away_ns;
	unsigned spin_away_pauses;
	int oversub; /* chan_set_costs was told the threads outnumber the PUs */
	/* Where each side waited, on an oversubscribed channel: cpu[] the OS index of the PU
	 * a receiver ([CH_RX]) or a sender ([CH_TX]) last waited on, -1 before any did;
	 * pus[] every PU one of them waited on, bit (OS index mod 64), 0 before any did.
	 * Each is written only when it changes (once, for pinned threads), so this
	 * read-mostly line stays shared and costs a waiter nothing to read. Two PUs 64 apart
	 * share a bit in pus[]: a partner there counts as here (the short spin), and a peer
	 * of the same side there goes unseen (the long spin where the short one was meant);
	 * either costs time, never a wake-up or an answer. */
	atomic_int cpu[2];
	atomic_ullong pus[2];
	ch_evt rx; /* receivers wait here: a message or a close */
	ch_evt tx; /* senders wait here: space or a close */
};

enum { CH_RX, CH_TX };

/* chan.c: the OS index of the PU this thread runs on (sched_getcpu; -1 if unknown). */
int ch_this_cpu(void);

/* On an oversubscribed channel: record that this side (CH_RX, CH_TX) waits on this PU, and
 * say where the other side waited: CH_AT_HERE if it last waited on this very PU (that
 * partner cannot run while this thread spins: it is queued behind it), CH_AT_AWAY if it
 * has waited only on other PUs and no thread of this side has waited on another PU than
 * this one, 0 otherwise, or if not oversubscribed (contend pins its threads; an unpinned
 * one may have moved since, which costs one needless yield). */
enum { CH_AT_HERE = 1, CH_AT_AWAY = 2 };
static inline int ch_partner_where(struct chan *b, int side)
{
	if (!b->oversub)
		return 0;
	int me = ch_this_cpu();
	if (me < 0)
		return 0;
	unsigned long long bit = 1ull << (me & 63), mine;
	if (atomic_load_explicit(&b->cpu[side], memory_order_relaxed) != me)
		atomic_store_explicit(&b->cpu[side], me, memory_order_relaxed);
	mine = atomic_load_explicit(&b->pus[side], memory_order_relaxed);
	if (!(mine & bit))
		mine = atomic_fetch_or_explicit(&b->pus[side], bit, memory_order_relaxed) | bit;
	int last = atomic_load_explicit(&b->cpu[!side], memory_order_relaxed);
	if (last == me)
		return CH_AT_HERE;
	unsigned long long seen = atomic_load_explicit(&b->pus[!side], memory_order_relaxed);
	return mine == bit && seen && !(seen & bit) ? CH_AT_AWAY : 0;
}
static inline int ch_partner_here(struct chan *b, int side)
{
	return ch_partner_where(b, side) == CH_AT_HERE;
}

static inline uint64_t ch_deadline(uint64_t timeout_ns)
{
	if (timeout_ns == 0)
		return CH_NOWAIT;
	if (timeout_ns == UINT64_MAX)
		return CH_FOREVER;
	uint64_t d = ct_now_ns() + timeout_ns;
	return d == CH_NOWAIT || d == CH_FOREVER ? d - 1 : d;
}

static inline void ch_abs_timespec(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / 1000000000u);
	ts->tv_nsec = (long)(ns % 1000000000u);
}

/* Sleep while *w == val, until woken or the CLOCK_MONOTONIC deadline passes. */
static inline void ch_futex_wait(atomic_uint *w, unsigned val, uint64_t deadline)
{
	struct timespec ts, *tp = NULL;
	if (deadline != CH_FOREVER) {
		ch_abs_timespec(deadline, &ts);
		tp = &ts;
	}
	syscall(SYS_futex, w, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, val, tp, NULL,
		FUTEX_BITSET_MATCH_ANY);
}

static inline void ch_futex_wake(atomic_uint *w, int n)
{
	syscall(SYS_futex, w, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, n, NULL, NULL, 0);
}

static inline void ch_full_fence(atomic_int *on)
{
#ifdef __SANITIZE_THREAD__
	atomic_fetch_add_explicit(on, 0, memory_order_seq_cst);
#else
	(void)on;
	atomic_thread_fence(memory_order_seq_cst);
#endif
}

static inline void ch_evt_init(ch_evt *e)
{
	atomic_init(&e->seq, 0);
	atomic_init(&e->waiters, 0);
}

static inline unsigned ch_evt_prepare(ch_evt *e)
{
	atomic_fetch_add_explicit(&e->waiters, 1, memory_order_seq_cst);
	ch_full_fence(&e->waiters);
	return atomic_load_explicit(&e->seq, memory_order_acquire);
}

static inline void ch_evt_cancel(ch_evt *e)
{
	atomic_fetch_sub_explicit(&e->waiters, 1, memory_order_relaxed);
}

static inline void ch_evt_wait(ch_evt *e, unsigned key, uint64_t deadline)
{
	ch_futex_wait(&e->seq, key, deadline);
	ch_evt_cancel(e);
}

static inline void ch_evt_bump(ch_evt *e, int n)
{
	atomic_fetch_add_explicit(&e->seq, 1, memory_order_release);
	ch_futex_wake(&e->seq, n);
}

/* After a change that may let one waiter go on. */
static inline void ch_evt_notify(ch_evt *e)
{
	ch_full_fence(&e->waiters);
	if (atomic_load_explicit(&e->waiters, memory_order_relaxed) > 0)
		ch_evt_bump(e, 1);
}

static inline void ch_evt_notify_all(ch_evt *e)
{
	ch_full_fence(&e->waiters);
	ch_evt_bump(e, INT_MAX);
}

/*
 * res = TRY until it is not CH_NOTREADY: at once with deadline CH_NOWAIT (res = busy),
 * CH_TIMEOUT when the deadline passes; waiting by the policy of channel header ch (a
 * struct chan *) on event count evt, as side CH_RX or CH_TX. TRY is evaluated again after
 * every wait, so it must have no effect when not ready. Spinning lasts ch->spin_pauses
 * pauses (the channel's budget, chan_set_costs, counted in pauses so that a budget of a
 * few round trips is kept to: the clock is read only every 64th pause), none when the
 * partner waits on this PU (ch_partner_here); past it CH_SPINPARK parks (after one yield
 * if the partner is here) and CH_SPIN yields the CPU at each check (the partner is then
 * most likely not running).
 */
#define CH_WAIT(res, TRY, evt, ch, side, deadline, busy)                                           \
	do {                                                                                       \
		(res) = (TRY);                                                                     \
		if ((res) != CH_NOTREADY)                                                          \
			break;                                                                     \
		if ((deadline) == CH_NOWAIT) {                                                     \
			(res) = (busy);                                                            \
			break;                                                                     \
		}                                                                                  \
		ct_spinwait ch_w_ = CT_SPINWAIT_INIT;                                              \
		const int ch_blk_ = (ch)->block;                                                   \
		int ch_spin_ = ch_blk_ != CH_PARK;                                                 \
		const int ch_at_ = ch_spin_ ? ch_partner_where((ch), (side)) : 0;                  \
		/* oversubscribed, partner not known to be away (here, or unknown): yield once     \
		 * before parking */                                                               \
		int ch_y1_ = ch_blk_ == CH_SPINPARK && (ch)->oversub && ch_at_ != CH_AT_AWAY;      \
		unsigned ch_budget_ = (ch)->spin_pauses;                                           \
		if (ch_at_ == CH_AT_AWAY)                                                          \
			ch_budget_ = (ch)->spin_away_pauses;                                       \
		else if (ch_at_ == CH_AT_HERE)                                                     \
			ch_budget_ = 0;                                                            \
		for (;;) {                                                                         \
			if (ch_spin_) {                                                            \
				uint64_t ch_now_ = ct_spinwait_step(&ch_w_);                       \
				(res) = (TRY);                                                     \
				if ((res) != CH_NOTREADY)                                          \
					break;                                                     \
				if (ch_now_ && ch_now_ >= (deadline)) {                            \
					(res) = CH_TIMEOUT;                                        \
					break;                                                     \
				}                                                                  \
				if (ch_w_.n >= ch_budget_) {                                       \
					if (ch_blk_ != CH_SPINPARK || ch_y1_)                      \
						sched_yield();                                     \
					else                                                       \
						ch_spin_ = 0;                                      \
					ch_y1_ = 0;                                                \
				}                                                                  \
				continue;                                                          \
			}                                                                          \
			unsigned ch_key_ = ch_evt_prepare(evt);                                    \
			(res) = (TRY);                                                             \
			if ((res) != CH_NOTREADY) {                                                \
				ch_evt_cancel(evt);                                                \
				break;                                                             \
			}                                                                          \
			if ((deadline) != CH_FOREVER && ct_now_ns() >= (deadline)) {               \
				ch_evt_cancel(evt);                                                \
				(res) = CH_TIMEOUT;                                                \
				break;                                                             \
			}                                                                          \
			ch_evt_wait(evt, ch_key_, deadline);                                       \
			(res) = (TRY);                                                             \
			if ((res) != CH_NOTREADY)                                                  \
				break;                                                             \
		}                                                                                  \
	} while (0)

#endif
