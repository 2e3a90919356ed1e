/*
 * lk_mutex.h - pthread mutex, default (`mutex`) and adaptive (`mutex_adaptive`,
 * PTHREAD_MUTEX_ADAPTIVE_NP: glibc spins a bounded number of times before it parks).
 *
 * Every lock strategy header gives the same small interface, so the workload templates
 * (lk_tpl_*.h) compile each into its own loop with no call through a pointer:
 *   lk_<tok>_t, lk_<tok>_node_t (per-thread state, e.g. an MCS queue node),
 *   lk_<tok>_init/destroy(l), lk_<tok>_lock/unlock(l, node), lk_<tok>_rdlock/rdunlock.
 */
#ifndef CONTEND_LK_MUTEX_H
#define CONTEND_LK_MUTEX_H

#include <pthread.h>

#include "arch.h"

/* Per-thread state for locks that need none. */
typedef struct {
	char unused;
} lk_nonode_t;

typedef struct {
	CT_ALIGNED pthread_mutex_t m;
} lk_mutex_t;
typedef lk_nonode_t lk_mutex_node_t;

static inline void lk_mutex_init(lk_mutex_t *l)
{
	pthread_mutex_init(&l->m, NULL);
}
static inline void lk_mutex_destroy(lk_mutex_t *l)
{
	pthread_mutex_destroy(&l->m);
}
static inline void lk_mutex_lock(lk_mutex_t *l, lk_mutex_node_t *n)
{
	(void)n;
	pthread_mutex_lock(&l->m);
}
static inline void lk_mutex_unlock(lk_mutex_t *l, lk_mutex_node_t *n)
{
	(void)n;
	pthread_mutex_unlock(&l->m);
}

typedef lk_mutex_t lk_mutex_adaptive_t;
typedef lk_nonode_t lk_mutex_adaptive_node_t;

static inline void lk_mutex_adaptive_init(lk_mutex_adaptive_t *l)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ADAPTIVE_NP);
	pthread_mutex_init(&l->m, &a);
	pthread_mutexattr_destroy(&a);
}
#define lk_mutex_adaptive_destroy lk_mutex_destroy
#define lk_mutex_adaptive_lock	  lk_mutex_lock
#define lk_mutex_adaptive_unlock  lk_mutex_unlock

#endif
