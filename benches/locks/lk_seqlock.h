/*
 * lk_seqlock.h - sequence lock (`seqlock`): the writer makes the sequence odd, writes, and
 * makes it even again; a reader copies the data between two reads of the sequence and
 * retries if it was odd or changed. Readers write nothing, so a read costs no line
 * transfer while no one writes; a writer makes every concurrent reader retry. The
 * sequence itself is the writers' lock (an odd value is held): lk_seqlock_lock/unlock are
 * the write side, which is what lock_counter and lock_cs use.
 *
 * Memory model (Boehm, "Can seqlocks get along with programming language memory
 * models?", 2012): the protected data are atomics; the writer stores them with release
 * (so the odd sequence is visible before any of them), the reader loads them with acquire
 * (so its second sequence read comes after them). On x86-64 these are the same plain
 * moves as relaxed accesses plus fences; on Arm a fence pair would be cheaper, but
 * ThreadSanitizer does not model atomic_thread_fence (GCC refuses it under -fsanitize=
 * thread), and these primitives must pass TSan.
 */
#ifndef CONTEND_LK_SEQLOCK_H
#define CONTEND_LK_SEQLOCK_H

#include "lk_mutex.h"
#include "lk_snap.h"

typedef struct {
	CT_ALIGNED atomic_uint seq;
} lk_seqlock_t;
typedef lk_nonode_t lk_seqlock_node_t;

static inline void lk_seqlock_init(lk_seqlock_t *l)
{
	atomic_init(&l->seq, 0);
}
static inline void lk_seqlock_destroy(lk_seqlock_t *l)
{
	(void)l;
}
static inline void lk_seqlock_lock(lk_seqlock_t *l, lk_seqlock_node_t *n)
{
	(void)n;
	for (;;) {
		unsigned s = atomic_load_explicit(&l->seq, memory_order_relaxed);
		if (!(s & 1) && atomic_compare_exchange_weak_explicit(
				    &l->seq, &s, s + 1, memory_order_acquire, memory_order_relaxed))
			break;
		ct_cpu_relax();
	}
}
static inline void lk_seqlock_unlock(lk_seqlock_t *l, lk_seqlock_node_t *n)
{
	(void)n;
	unsigned s = atomic_load_explicit(&l->seq, memory_order_relaxed);
	atomic_store_explicit(&l->seq, s + 1, memory_order_release);
}
static inline unsigned lk_seqlock_read_begin(lk_seqlock_t *l)
{
	unsigned s;
	while ((s = atomic_load_explicit(&l->seq, memory_order_acquire)) & 1)
		ct_cpu_relax();
	return s;
}
/* Call after reading the data with acquire loads. */
static inline int lk_seqlock_read_retry(lk_seqlock_t *l, unsigned s)
{
	return atomic_load_explicit(&l->seq, memory_order_relaxed) != s;
}

/* lock_readmostly over a seqlock: the snapshot's fields are atomics (see above). */
typedef struct {
	lk_seqlock_t sl;
	CT_ALIGNED atomic_uint_fast64_t f[LK_SNAP_WORDS];
} lk_seqlock_rm_t;

static inline void lk_seqlock_rm_init(lk_seqlock_rm_t *r, int max_threads)
{
	(void)max_threads;
	lk_seqlock_init(&r->sl);
	for (int i = 0; i < LK_SNAP_WORDS; i++)
		atomic_init(&r->f[i], (uint64_t)i);
}
static inline void lk_seqlock_rm_destroy(lk_seqlock_rm_t *r)
{
	(void)r;
}
static inline void lk_seqlock_rm_read(lk_seqlock_rm_t *r, lk_seqlock_node_t *n, uint64_t *out)
{
	(void)n;
	unsigned s;
	do {
		s = lk_seqlock_read_begin(&r->sl);
		for (int i = 0; i < LK_SNAP_WORDS; i++)
			out[i] = atomic_load_explicit(&r->f[i], memory_order_acquire);
	} while (lk_seqlock_read_retry(&r->sl, s));
}
static inline void lk_seqlock_rm_write(lk_seqlock_rm_t *r, lk_seqlock_node_t *n)
{
	lk_seqlock_lock(&r->sl, n);
	uint64_t v = atomic_load_explicit(&r->f[0], memory_order_relaxed) + 1;
	for (int i = 0; i < LK_SNAP_WORDS; i++)
		atomic_store_explicit(&r->f[i], v + (uint64_t)i, memory_order_release);
	lk_seqlock_unlock(&r->sl, n);
}
static inline uint64_t lk_seqlock_rm_version(lk_seqlock_rm_t *r)
{
	return atomic_load(&r->f[0]);
}
static inline void lk_seqlock_rm_enter(lk_seqlock_rm_t *r, lk_seqlock_node_t *n, int tid)
{
	(void)r, (void)n, (void)tid;
}
static inline void lk_seqlock_rm_quiescent(lk_seqlock_rm_t *r, lk_seqlock_node_t *n)
{
	(void)r, (void)n;
}
static inline void lk_seqlock_rm_leave(lk_seqlock_rm_t *r, lk_seqlock_node_t *n)
{
	(void)r, (void)n;
}

#endif
