/*
 * lk_rcu.h - read-copy-update snapshot (`rcu`): readers load-acquire a pointer to an
 * immutable snapshot and read it in place, writing nothing shared; a writer (writers take
 * a pthread mutex among themselves) copies the current snapshot, changes the copy and
 * publishes it with one store. Reads never wait and never retry; writes pay a copy.
 *
 * Reclamation (quiescent-state based, as liburcu's QSBR flavour): every reader thread has
 * its own padded slot. Between two read operations - never while it holds a snapshot
 * pointer - a reader announces a quiescent state by storing (release) the global epoch it
 * has just loaded (acquire) into its slot; a thread that stops reading stores OFFLINE.
 * A writer that replaces snapshot `old` advances the epoch to e and puts `old` on a retire
 * list tagged e. `old` may be reused (free list) once every other online slot holds an
 * epoch >= e: such a reader loaded the epoch after the new pointer was published, so it
 * can no longer reach `old`, and its earlier reads of `old` happen before its slot store,
 * which the writer's load reads (release/acquire: the reuse happens after them). Going
 * online races with a writer's scan (a store-buffering pattern), so that one step, the
 * publishing store, the epoch increment and the scan are seq_cst. Writers never wait for
 * readers: if nothing can be reused yet, they allocate (lk_rcu_t.allocated counts
 * snapshots; it stays small while readers keep announcing). Everything is freed at destroy.
 */
#ifndef CONTEND_LK_RCU_H
#define CONTEND_LK_RCU_H

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "lk_snap.h"

#define LK_RCU_OFFLINE UINT64_MAX

typedef struct lk_rcu_snap {
	lk_snap_t s;
	struct lk_rcu_snap *next; /* on the retire or free list (writer lock held) */
	uint64_t retired_at;
} lk_rcu_snap;

typedef struct {
	CT_ALIGNED atomic_uint_fast64_t epoch;
} lk_rcu_slot;

typedef struct {
	int tid;
} lk_rcu_node_t;

typedef struct {
	CT_ALIGNED _Atomic(lk_rcu_snap *) cur;
	CT_ALIGNED atomic_uint_fast64_t epoch;
	CT_ALIGNED pthread_mutex_t wlock;
	lk_rcu_snap *retired, *retired_tail, *free; /* under wlock */
	uint64_t allocated;			    /* under wlock */
	int nslots;
	lk_rcu_slot *slots;
} lk_rcu_t;

static inline lk_rcu_snap *lk_rcu_alloc(lk_rcu_t *r)
{
	lk_rcu_snap *s =
	    aligned_alloc(CT_PAD, (sizeof(lk_rcu_snap) + CT_PAD - 1) / CT_PAD * CT_PAD);
	if (!s)
		abort();
	r->allocated++;
	return s;
}

/* Returns 0, or -1 if out of memory. max_threads: the most threads that will read. */
static inline int lk_rcu_init(lk_rcu_t *r, int max_threads)
{
	r->slots = aligned_alloc(CT_PAD, sizeof(lk_rcu_slot) * (size_t)max_threads);
	if (!r->slots)
		return -1;
	r->nslots = max_threads;
	for (int i = 0; i < max_threads; i++)
		atomic_init(&r->slots[i].epoch, LK_RCU_OFFLINE);
	pthread_mutex_init(&r->wlock, NULL);
	r->retired = r->retired_tail = r->free = NULL;
	r->allocated = 0;
	atomic_init(&r->epoch, 1);
	lk_rcu_snap *s = lk_rcu_alloc(r);
	lk_snap_fill(s->s.f, 0);
	atomic_init(&r->cur, s);
	return 0;
}

static inline void lk_rcu_free_list(lk_rcu_snap *s)
{
	while (s) {
		lk_rcu_snap *n = s->next;
		free(s);
		s = n;
	}
}

/* Call when no thread uses r any more. */
static inline void lk_rcu_destroy(lk_rcu_t *r)
{
	free(atomic_load(&r->cur));
	lk_rcu_free_list(r->retired);
	lk_rcu_free_list(r->free);
	free(r->slots);
	pthread_mutex_destroy(&r->wlock);
}

/* The calling thread (slot tid) starts reading. */
static inline void lk_rcu_online(lk_rcu_t *r, int tid)
{
	atomic_store(&r->slots[tid].epoch, atomic_load(&r->epoch)); /* seq_cst */
	(void)atomic_load(&r->cur); /* seq_cst: later loads of cur see what it saw or newer */
}

/* Between reads: the thread holds no snapshot pointer. */
static inline void lk_rcu_quiescent(lk_rcu_t *r, int tid)
{
	uint64_t e = atomic_load_explicit(&r->epoch, memory_order_acquire);
	atomic_store_explicit(&r->slots[tid].epoch, e, memory_order_release);
}

static inline void lk_rcu_offline(lk_rcu_t *r, int tid)
{
	atomic_store_explicit(&r->slots[tid].epoch, LK_RCU_OFFLINE, memory_order_release);
}

/* The current snapshot; valid until the caller's next quiescent state. */
static inline const lk_snap_t *lk_rcu_deref(lk_rcu_t *r)
{
	return &atomic_load_explicit(&r->cur, memory_order_acquire)->s;
}

/* Move retired snapshots no reader can reach to the free list (wlock held). */
static inline void lk_rcu_reclaim(lk_rcu_t *r, int self)
{
	uint64_t min = LK_RCU_OFFLINE;
	for (int i = 0; i < r->nslots; i++) {
		if (i == self)
			continue; /* the writer holds no snapshot while it writes */
		uint64_t e = atomic_load(&r->slots[i].epoch); /* seq_cst */
		if (e < min)
			min = e;
	}
	while (r->retired && r->retired->retired_at <= min) {
		lk_rcu_snap *s = r->retired;
		r->retired = s->next;
		s->next = r->free;
		r->free = s;
	}
	if (!r->retired)
		r->retired_tail = NULL;
}

/*
 * Copy the current snapshot, let update() change the copy, publish it. Writers are
 * serialised by wlock. self: the writer's slot (it must not be inside a read).
 */
#define LK_RCU_UPDATE(r, self, snapvar, body)                                                      \
	do {                                                                                       \
		pthread_mutex_lock(&(r)->wlock);                                                   \
		lk_rcu_snap *old_ = atomic_load_explicit(&(r)->cur, memory_order_relaxed);         \
		if (!(r)->free)                                                                    \
			lk_rcu_reclaim((r), (self));                                               \
		lk_rcu_snap *new_ = (r)->free;                                                     \
		if (new_)                                                                          \
			(r)->free = new_->next;                                                    \
		else                                                                               \
			new_ = lk_rcu_alloc(r);                                                    \
		new_->s = old_->s;                                                                 \
		{                                                                                  \
			lk_snap_t *snapvar = &new_->s;                                             \
			body;                                                                      \
		}                                                                                  \
		atomic_store(&(r)->cur, new_);				 /* seq_cst */             \
		old_->retired_at = atomic_fetch_add(&(r)->epoch, 1) + 1; /* seq_cst */             \
		old_->next = NULL;                                                                 \
		if ((r)->retired_tail)                                                             \
			(r)->retired_tail->next = old_;                                            \
		else                                                                               \
			(r)->retired = old_;                                                       \
		(r)->retired_tail = old_;                                                          \
		pthread_mutex_unlock(&(r)->wlock);                                                 \
	} while (0)

/* lock_readmostly over the RCU snapshot. */
typedef lk_rcu_t lk_rcu_rm_t;

static inline void lk_rcu_rm_init(lk_rcu_rm_t *r, int max_threads)
{
	if (lk_rcu_init(r, max_threads))
		abort();
}
#define lk_rcu_rm_destroy lk_rcu_destroy
static inline void lk_rcu_rm_enter(lk_rcu_rm_t *r, lk_rcu_node_t *n, int tid)
{
	n->tid = tid;
	lk_rcu_online(r, tid);
}
static inline void lk_rcu_rm_quiescent(lk_rcu_rm_t *r, lk_rcu_node_t *n)
{
	lk_rcu_quiescent(r, n->tid);
}
static inline void lk_rcu_rm_leave(lk_rcu_rm_t *r, lk_rcu_node_t *n)
{
	lk_rcu_offline(r, n->tid);
}
static inline void lk_rcu_rm_read(lk_rcu_rm_t *r, lk_rcu_node_t *n, uint64_t *out)
{
	(void)n;
	const lk_snap_t *s = lk_rcu_deref(r);
	memcpy(out, s->f, sizeof(s->f));
}
static inline void lk_rcu_rm_write(lk_rcu_rm_t *r, lk_rcu_node_t *n)
{
	LK_RCU_UPDATE(r, n->tid, s, lk_snap_fill(s->f, s->f[0] + 1));
}
static inline uint64_t lk_rcu_rm_version(lk_rcu_rm_t *r)
{
	return atomic_load(&r->cur)->s.f[0];
}

#endif
