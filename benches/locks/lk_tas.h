/*
 * lk_tas.h - test-and-set (`tas`): every attempt is an atomic exchange, so each waiter
 * keeps pulling the line away from the holder. The baseline of what not to do.
 */
#ifndef CONTEND_LK_TAS_H
#define CONTEND_LK_TAS_H

#include "lk_mutex.h"

typedef struct {
	CT_ALIGNED atomic_int held;
} lk_tas_t;
typedef lk_nonode_t lk_tas_node_t;

static inline void lk_tas_init(lk_tas_t *l)
{
	atomic_init(&l->held, 0);
}
static inline void lk_tas_destroy(lk_tas_t *l)
{
	(void)l;
}
static inline void lk_tas_lock(lk_tas_t *l, lk_tas_node_t *n)
{
	(void)n;
	while (atomic_exchange_explicit(&l->held, 1, memory_order_acquire))
		ct_cpu_relax();
}
static inline void lk_tas_unlock(lk_tas_t *l, lk_tas_node_t *n)
{
	(void)n;
	atomic_store_explicit(&l->held, 0, memory_order_release);
}

#endif
