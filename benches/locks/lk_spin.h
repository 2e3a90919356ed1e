/*
 * lk_spin.h - pthread spinlock (`spin`): glibc's test-and-test-and-set without backoff and
 * without parking; a waiter burns its CPU until the holder lets go.
 */
#ifndef CONTEND_LK_SPIN_H
#define CONTEND_LK_SPIN_H

#include <pthread.h>

#include "lk_mutex.h"

typedef struct {
	CT_ALIGNED pthread_spinlock_t s;
} lk_spin_t;
typedef lk_nonode_t lk_spin_node_t;

static inline void lk_spin_init(lk_spin_t *l)
{
	pthread_spin_init(&l->s, PTHREAD_PROCESS_PRIVATE);
}
static inline void lk_spin_destroy(lk_spin_t *l)
{
	pthread_spin_destroy(&l->s);
}
static inline void lk_spin_lock(lk_spin_t *l, lk_spin_node_t *n)
{
	(void)n;
	pthread_spin_lock(&l->s);
}
static inline void lk_spin_unlock(lk_spin_t *l, lk_spin_node_t *n)
{
	(void)n;
	pthread_spin_unlock(&l->s);
}

#endif
