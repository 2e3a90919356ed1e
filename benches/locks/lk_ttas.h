/*
 * lk_ttas.h - test-and-test-and-set with exponential backoff (`ttas`): waiters read the
 * line (shared, no traffic while it is held) and try the exchange only when it looks free;
 * after a lost race a waiter pauses 1, 2, 4 ... up to LK_TTAS_MAX_BACKOFF cpu-relax steps.
 */
#ifndef CONTEND_LK_TTAS_H
#define CONTEND_LK_TTAS_H

#include "lk_mutex.h"

#define LK_TTAS_MAX_BACKOFF 1024

typedef struct {
	CT_ALIGNED atomic_int held;
} lk_ttas_t;
typedef lk_nonode_t lk_ttas_node_t;

static inline void lk_ttas_init(lk_ttas_t *l)
{
	atomic_init(&l->held, 0);
}
static inline void lk_ttas_destroy(lk_ttas_t *l)
{
	(void)l;
}
static inline void lk_ttas_lock(lk_ttas_t *l, lk_ttas_node_t *n)
{
	(void)n;
	unsigned backoff = 1;
	for (;;) {
		while (atomic_load_explicit(&l->held, memory_order_relaxed))
			ct_cpu_relax();
		if (!atomic_exchange_explicit(&l->held, 1, memory_order_acquire))
			return;
		for (unsigned i = 0; i < backoff; i++)
			ct_cpu_relax();
		if (backoff < LK_TTAS_MAX_BACKOFF)
			backoff *= 2;
	}
}
static inline void lk_ttas_unlock(lk_ttas_t *l, lk_ttas_node_t *n)
{
	(void)n;
	atomic_store_explicit(&l->held, 0, memory_order_release);
}

#endif
