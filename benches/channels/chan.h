/*
 * chan.h - the channel API in C: fixed-size messages (8 or 64 bytes), bounded, rendezvous
 * (capacity 0) and unbounded channels, six implementations behind one interface.
 *
 *	chan *c = chan_create(CH_MPMC_RING, 64, 8, CH_SPINPARK);
 *	chan_send(c, &msg);                      // waits while full
 *	chan_recv(c, &msg);                      // waits while empty; CH_CLOSED once drained
 *	chan_close(c); chan_destroy(c);
 *
 * Results: CH_OK; CH_FULL / CH_EMPTY from the try forms (returned at once); CH_TIMEOUT from
 * the timed forms (nothing was sent or received; a timeout of 0 is the try form, UINT64_MAX
 * waits forever); CH_CLOSED: a send after close, or a
 * receive on a closed channel with nothing left in it. Receivers drain what was sent before
 * the close; a send that returns CH_OK is received exactly once (if anyone keeps receiving).
 *
 * Implementations (kind):
 *   CH_MUTEX_RING  a ring under a pthread mutex with two condition variables (the baseline)
 *   CH_MPMC_RING   lock-free bounded MPMC ring, a sequence number per cell (Vyukov)
 *   CH_SPSC_RING   one producer, one consumer, each caching the other's index
 *   CH_MPSC_LIST   unbounded intrusive linked MPSC queue (Vyukov), wait-free producers
 *   CH_MUTEX_LIST  unbounded linked queue under a mutex and a condition variable
 *   CH_RENDEZVOUS  capacity 0: a send returns once a receiver has taken the message
 * Blocking policy (where a thread waits for space or a message; the mutex kinds always park
 * on their condition variables): CH_SPIN (spin; a wait past the spin budget yields the CPU
 * at each check), CH_SPINPARK (spin for the budget, then futex), CH_PARK. The budget comes
 * from chan_set_costs (20 us when it was never called).
 *
 * This header and chan*.h include only harness/arch.h and system headers. The inline
 * per-kind operations (chan_ops.h) let a benchmark compile its loop for one kind with no
 * call through a pointer; the functions declared here dispatch at run time.
 */
#ifndef CONTEND_CHAN_H
#define CONTEND_CHAN_H

#include <stddef.h>
#include <stdint.h>

#include "arch.h" /* harness/arch.h */

enum ch_result { CH_OK = 0, CH_FULL, CH_EMPTY, CH_TIMEOUT, CH_CLOSED };

enum ch_kind {
	CH_MUTEX_RING,
	CH_MPMC_RING,
	CH_SPSC_RING,
	CH_MPSC_LIST,
	CH_MUTEX_LIST,
	CH_RENDEZVOUS,
	CH_NKINDS
};

enum ch_block { CH_SPIN, CH_SPINPARK, CH_PARK };

#define CH_UNBOUNDED ((size_t)-1) /* the capacity of an unbounded channel */
#define CH_MSG_MAX   64		  /* message sizes: 8 or 64 bytes */

typedef struct chan chan;

/* NULL when the combination is not offered (e.g. capacity 0 for a ring, a bound for a
 * list, a message size other than 8 or 64) or memory is short. */
chan *chan_create(enum ch_kind kind, size_t cap, size_t msg_size, enum ch_block block);
void chan_destroy(chan *c);
/* Returns 1 if this call closed it, 0 if it was closed already. Wakes every waiter. */
int chan_close(chan *c);

int chan_send(chan *c, const void *msg);
int chan_try_send(chan *c, const void *msg);
int chan_send_timeout(chan *c, const void *msg, uint64_t timeout_ns);
int chan_recv(chan *c, void *msg);
int chan_try_recv(chan *c, void *msg);
int chan_recv_timeout(chan *c, void *msg, uint64_t timeout_ns);

/*
 * Receive from whichever of a and b has a message, waiting up to timeout_ns (0: do not
 * wait; UINT64_MAX: forever). *which is set to 0 or 1. When both are ready the calls of one
 * thread alternate which is tried first, so neither starves (over an oversubscribed
 * channel, chan_set_costs, in turns of up to 64 messages unless one is a rendezvous).
 * CH_TIMEOUT when nothing came, CH_CLOSED when both are closed and drained. Either channel
 * may be any kind (SPSC and MPSC kinds only when this thread is their one consumer).
 */
int chan_select_recv(chan *a, chan *b, void *msg, uint64_t timeout_ns, int *which);

/*
 * What waiting costs where the channel is used, measured by the caller before it is used
 * (contend's benchmarks measure them in setup, outside the clock): rtt_ns, the cache-line
 * round trip between the PUs of the two sides; wake_ns, what parking a thread and waking
 * it from the other PU costs (a futex wake to running, one way); oversubscribed, whether
 * the threads using it outnumber the PUs they run on. 0 means unknown.
 *
 * From them the channel chooses its spin budget, how long a waiting side spins before it
 * parks (CH_SPINPARK) or starts yielding the CPU at each check (CH_SPIN):
 *   - not oversubscribed: wake_ns, bounded to [4 rtt_ns, 50 us]: spinning as long as a
 *     park and wake would cost never loses more than twice the better choice, and a
 *     partner that runs answers within a few round trips;
 *   - oversubscribed: 4 rtt_ns: a partner that has not answered in a few
 *     round trips is most likely queued behind this very thread, and every further
 *     microsecond of spinning is taken from it; and none at all once the partner is
 *     known to wait on this thread's own PU (each side of an oversubscribed channel
 *     records the PUs it waits on): the waiter then yields at once (CH_SPIN at every
 *     check, CH_SPINPARK once before it parks), handing the PU to the partner;
 *   - oversubscribed, but this waiter alone on its side of the channel (no thread of its
 *     side has waited on another PU) and its partners seen only on other PUs: the
 *     not-oversubscribed budget (chan_spin_away_ns): the partner runs elsewhere and
 *     the spin takes the PU from no one. In a select over two channels with a sender on
 *     each PU (chan_select, 3 threads on 2 PUs) this took block:spinpark from 4.6-5.2 to
 *     11.6-12.0 M msgs/s (AMD EPYC, 2026-12-03; ab of 14-36 pairs, q 0.020); applied as
 *     well where a second sender waits on another PU, it cost 2 senders to 1 receiver
 *     10-30 % at block:spinpark (capacity 64-1024);
 *   - unknown (never set, or rtt_ns 0): CH_SPIN_NS, 20 us.
 * The budget is kept in pauses (ct_cpu_relax, timed once per process). The SPSC ring also
 * sets its back-off after finding the ring empty or full from rtt_ns (chan_rings.h), the
 * rendezvous its try-receive window from wake_ns. A select over an oversubscribed channel
 * takes turns of up to 64 messages from one channel (two with a capacity), yields once
 * when it finds a channel empty whose sender waits on its PU, and yields after 64 in a
 * row from one channel, so a sender that shares its PU gets to run. Call before the
 * channel is used, from one thread.
 */
struct chan_costs {
	double rtt_ns, wake_ns;
	int oversubscribed;
};
void chan_set_costs(chan *c, const struct chan_costs *k);
uint64_t chan_spin_budget_ns(const chan *c); /* the budget in use */
uint64_t chan_spin_away_ns(const chan *c);   /* the budget while the partner waits elsewhere */

const char *chan_kind_name(enum ch_kind kind); /* "mpmc_ring", ... as in benchmark names */
const char *chan_block_name(enum ch_block b);  /* "spin", "spinpark", "park" */
const char *chan_result_name(int r);
/* Does the kind take a blocking policy / allow several producers / several consumers? */
int chan_kind_has_block(enum ch_kind kind);
int chan_kind_multi_producer(enum ch_kind kind);
int chan_kind_multi_consumer(enum ch_kind kind);
/* Bytes one queued message occupies (slot or node), for the growth benchmark. */
size_t chan_msg_footprint(const chan *c);

#endif
