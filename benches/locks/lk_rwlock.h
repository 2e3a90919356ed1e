/*
 * lk_rwlock.h - pthread reader-writer lock, reader-preferring (`rwlock_rd`, glibc's
 * default PTHREAD_RWLOCK_PREFER_READER_NP) and writer-preferring (`rwlock_wr`,
 * PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP: glibc treats plain PREFER_WRITER_NP like
 * the reader-preferring default, so the NONRECURSIVE kind is the one that prefers writers).
 * Readers still write the lock's reader count, so every read moves its line.
 */
#ifndef CONTEND_LK_RWLOCK_H
#define CONTEND_LK_RWLOCK_H

#include <pthread.h>

#include "lk_mutex.h"

typedef struct {
	CT_ALIGNED pthread_rwlock_t rw;
} lk_rwlock_t;

static inline void lk_rwlock_init_kind(lk_rwlock_t *l, int kind)
{
	pthread_rwlockattr_t a;
	pthread_rwlockattr_init(&a);
	pthread_rwlockattr_setkind_np(&a, kind);
	pthread_rwlock_init(&l->rw, &a);
	pthread_rwlockattr_destroy(&a);
}

typedef lk_rwlock_t lk_rwlock_rd_t;
typedef lk_nonode_t lk_rwlock_rd_node_t;
typedef lk_rwlock_t lk_rwlock_wr_t;
typedef lk_nonode_t lk_rwlock_wr_node_t;

static inline void lk_rwlock_rd_init(lk_rwlock_t *l)
{
	lk_rwlock_init_kind(l, PTHREAD_RWLOCK_PREFER_READER_NP);
}
static inline void lk_rwlock_wr_init(lk_rwlock_t *l)
{
	lk_rwlock_init_kind(l, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
}
static inline void lk_rwlock_destroy(lk_rwlock_t *l)
{
	pthread_rwlock_destroy(&l->rw);
}
static inline void lk_rwlock_lock(lk_rwlock_t *l, lk_nonode_t *n)
{
	(void)n;
	pthread_rwlock_wrlock(&l->rw);
}
static inline void lk_rwlock_unlock(lk_rwlock_t *l, lk_nonode_t *n)
{
	(void)n;
	pthread_rwlock_unlock(&l->rw);
}
static inline void lk_rwlock_rdlock(lk_rwlock_t *l, lk_nonode_t *n)
{
	(void)n;
	pthread_rwlock_rdlock(&l->rw);
}

#define lk_rwlock_rd_destroy  lk_rwlock_destroy
#define lk_rwlock_rd_lock     lk_rwlock_lock
#define lk_rwlock_rd_unlock   lk_rwlock_unlock
#define lk_rwlock_rd_rdlock   lk_rwlock_rdlock
#define lk_rwlock_rd_rdunlock lk_rwlock_unlock
#define lk_rwlock_wr_destroy  lk_rwlock_destroy
#define lk_rwlock_wr_lock     lk_rwlock_lock
#define lk_rwlock_wr_unlock   lk_rwlock_unlock
#define lk_rwlock_wr_rdlock   lk_rwlock_rdlock
#define lk_rwlock_wr_rdunlock lk_rwlock_unlock

#endif
