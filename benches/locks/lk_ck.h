/*
 * lk_ck.h - Concurrency Kit's locks behind the family's lock interface (only with
 * CONTEND_HAVE_CK), the reference row for each design the family implements itself:
 *   ck_fas        ck_spinlock_fas_lock: exchange, then read until free (TTAS without backoff)
 *   ck_fas_eb     ck_spinlock_fas_lock_eb: exchange, exponential backoff (ck_backoff_eb,
 *                 from CK_BACKOFF_INITIALIZER, restarted at every acquisition)
 *   ck_cas_eb     ck_spinlock_cas_lock_eb: the same with compare-and-swap
 *   ck_ticket     ck_spinlock_ticket (one 64-bit word on x86-64: request and position)
 *   ck_ticket_pb  ck_spinlock_ticket_lock_pb(l, 0): proportional backoff, the waiter pauses
 *                 in proportion to its distance from the head (c = 0, as CK's own benchmark)
 *   ck_mcs        ck_spinlock_mcs
 *   ck_clh        ck_spinlock_clh: the queue node migrates (a thread leaves with its
 *                 predecessor's), so each thread's first node is its own, the lock's
 *                 initial "unowned" node lives in the lock
 *   ck_rwlock     ck_rwlock_t, readers share
 *   ck_sequence   ck_sequence_t, a seqlock; CK leaves writers to serialise themselves, so its
 *                 writers take a ck_spinlock_fas.
 * CK uses its own inline assembly, which TSan does not see: these rows are compared, not
 * race-checked.
 */
#ifndef CONTEND_LK_CK_H
#define CONTEND_LK_CK_H

#include <ck_rwlock.h>
#include <ck_sequence.h>
#include <ck_spinlock.h>

#include "lk_mutex.h"
#include "lk_snap.h"

#define LK_CK_SIMPLE(tok, type, init, lockf, unlockf)                                              \
	typedef struct {                                                                           \
		CT_ALIGNED type l;                                                                 \
	} lk_##tok##_t;                                                                            \
	typedef lk_nonode_t lk_##tok##_node_t;                                                     \
	static inline void lk_##tok##_init(lk_##tok##_t *l)                                        \
	{                                                                                          \
		init(&l->l);                                                                       \
	}                                                                                          \
	static inline void lk_##tok##_destroy(lk_##tok##_t *l)                                     \
	{                                                                                          \
		(void)l;                                                                           \
	}                                                                                          \
	static inline void lk_##tok##_lock(lk_##tok##_t *l, lk_nonode_t *n)                        \
	{                                                                                          \
		(void)n;                                                                           \
		lockf(&l->l);                                                                      \
	}                                                                                          \
	static inline void lk_##tok##_unlock(lk_##tok##_t *l, lk_nonode_t *n)                      \
	{                                                                                          \
		(void)n;                                                                           \
		unlockf(&l->l);                                                                    \
	}

LK_CK_SIMPLE(ck_fas, ck_spinlock_fas_t, ck_spinlock_fas_init, ck_spinlock_fas_lock,
	     ck_spinlock_fas_unlock)
LK_CK_SIMPLE(ck_fas_eb, ck_spinlock_fas_t, ck_spinlock_fas_init, ck_spinlock_fas_lock_eb,
	     ck_spinlock_fas_unlock)
LK_CK_SIMPLE(ck_cas_eb, ck_spinlock_cas_t, ck_spinlock_cas_init, ck_spinlock_cas_lock_eb,
	     ck_spinlock_cas_unlock)
LK_CK_SIMPLE(ck_ticket, ck_spinlock_ticket_t, ck_spinlock_ticket_init, ck_spinlock_ticket_lock,
	     ck_spinlock_ticket_unlock)
static inline void lk_ck_ticket_pb_lock0(ck_spinlock_ticket_t *t)
{
	ck_spinlock_ticket_lock_pb(t, 0);
}
LK_CK_SIMPLE(ck_ticket_pb, ck_spinlock_ticket_t, ck_spinlock_ticket_init, lk_ck_ticket_pb_lock0,
	     ck_spinlock_ticket_unlock)
LK_CK_SIMPLE(ck_rwlock, ck_rwlock_t, ck_rwlock_init, ck_rwlock_write_lock, ck_rwlock_write_unlock)

static inline void lk_ck_rwlock_rdlock(lk_ck_rwlock_t *l, lk_nonode_t *n)
{
	(void)n;
	ck_rwlock_read_lock(&l->l);
}
static inline void lk_ck_rwlock_rdunlock(lk_ck_rwlock_t *l, lk_nonode_t *n)
{
	(void)n;
	ck_rwlock_read_unlock(&l->l);
}

/* MCS: the per-thread queue node is CK's own. */
typedef struct {
	CT_ALIGNED ck_spinlock_mcs_t tail;
} lk_ck_mcs_t;
typedef struct {
	CT_ALIGNED struct ck_spinlock_mcs n;
} lk_ck_mcs_node_t;
static inline void lk_ck_mcs_init(lk_ck_mcs_t *l)
{
	ck_spinlock_mcs_init(&l->tail);
}
static inline void lk_ck_mcs_destroy(lk_ck_mcs_t *l)
{
	(void)l;
}
static inline void lk_ck_mcs_lock(lk_ck_mcs_t *l, lk_ck_mcs_node_t *n)
{
	ck_spinlock_mcs_lock(&l->tail, &n->n);
}
static inline void lk_ck_mcs_unlock(lk_ck_mcs_t *l, lk_ck_mcs_node_t *n)
{
	ck_spinlock_mcs_unlock(&l->tail, &n->n);
}

/* CLH: the lock is CK's queue pointer plus the initial unowned node. A thread's node starts
 * as its own (node_t zeroed by the template) and is whatever predecessor node it inherited
 * after that: a node is valid as long as any thread may still use the lock. */
typedef struct {
	CT_ALIGNED ck_spinlock_clh_t *queue;
	CT_ALIGNED ck_spinlock_clh_t unowned;
} lk_ck_clh_t;
typedef struct {
	ck_spinlock_clh_t *mine; /* NULL: not yet used, take own */
	CT_ALIGNED ck_spinlock_clh_t own;
} lk_ck_clh_node_t;
static inline void lk_ck_clh_init(lk_ck_clh_t *l)
{
	ck_spinlock_clh_init(&l->queue, &l->unowned);
}
static inline void lk_ck_clh_destroy(lk_ck_clh_t *l)
{
	(void)l;
}
static inline void lk_ck_clh_lock(lk_ck_clh_t *l, lk_ck_clh_node_t *n)
{
	if (!n->mine)
		n->mine = &n->own;
	ck_spinlock_clh_lock(&l->queue, n->mine);
}
static inline void lk_ck_clh_unlock(lk_ck_clh_t *l, lk_ck_clh_node_t *n)
{
	(void)l;
	ck_spinlock_clh_unlock(&n->mine);
}

/* ck_sequence: lock_readmostly only. */
typedef struct {
	CT_ALIGNED ck_sequence_t seq;
	ck_spinlock_fas_t wlock;
	CT_ALIGNED lk_snap_t s;
} lk_ck_sequence_rm_t;
typedef lk_nonode_t lk_ck_sequence_node_t;

static inline void lk_ck_sequence_rm_init(lk_ck_sequence_rm_t *r, int max_threads)
{
	(void)max_threads;
	ck_sequence_init(&r->seq);
	ck_spinlock_fas_init(&r->wlock);
	lk_snap_fill(r->s.f, 0);
}
static inline void lk_ck_sequence_rm_destroy(lk_ck_sequence_rm_t *r)
{
	(void)r;
}
static inline void lk_ck_sequence_rm_read(lk_ck_sequence_rm_t *r, lk_nonode_t *n, uint64_t *out)
{
	(void)n;
	unsigned v;
	do {
		v = ck_sequence_read_begin(&r->seq);
		for (int i = 0; i < LK_SNAP_WORDS; i++)
			out[i] = ck_pr_load_64(&r->s.f[i]);
	} while (ck_sequence_read_retry(&r->seq, v));
}
static inline void lk_ck_sequence_rm_write(lk_ck_sequence_rm_t *r, lk_nonode_t *n)
{
	(void)n;
	ck_spinlock_fas_lock(&r->wlock);
	ck_sequence_write_begin(&r->seq);
	uint64_t v = r->s.f[0] + 1;
	for (int i = 0; i < LK_SNAP_WORDS; i++)
		ck_pr_store_64(&r->s.f[i], v + (uint64_t)i);
	ck_sequence_write_end(&r->seq);
	ck_spinlock_fas_unlock(&r->wlock);
}
static inline uint64_t lk_ck_sequence_rm_version(lk_ck_sequence_rm_t *r)
{
	return r->s.f[0];
}
static inline void lk_ck_sequence_rm_enter(lk_ck_sequence_rm_t *r, lk_nonode_t *n, int tid)
{
	(void)r, (void)n, (void)tid;
}
static inline void lk_ck_sequence_rm_quiescent(lk_ck_sequence_rm_t *r, lk_nonode_t *n)
{
	(void)r, (void)n;
}
static inline void lk_ck_sequence_rm_leave(lk_ck_sequence_rm_t *r, lk_nonode_t *n)
{
	(void)r, (void)n;
}

#endif
