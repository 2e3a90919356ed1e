/*
 * lk_ticket.h - ticket lock (`ticket`): take a number (fetch_add on `next`), wait until
 * `owner` shows it. FIFO, so every acquisition under contention is a handoff to another
 * thread; all waiters spin on the one line, so a release invalidates every waiter.
 */
#ifndef CONTEND_LK_TICKET_H
#define CONTEND_LK_TICKET_H

#include "lk_mutex.h"

typedef struct {
	CT_ALIGNED atomic_uint next;
	atomic_uint owner; /* same line as next, as in most ticket locks */
} lk_ticket_t;
typedef lk_nonode_t lk_ticket_node_t;

static inline void lk_ticket_init(lk_ticket_t *l)
{
	atomic_init(&l->next, 0);
	atomic_init(&l->owner, 0);
}
static inline void lk_ticket_destroy(lk_ticket_t *l)
{
	(void)l;
}
static inline void lk_ticket_lock(lk_ticket_t *l, lk_ticket_node_t *n)
{
	(void)n;
	unsigned me = atomic_fetch_add_explicit(&l->next, 1, memory_order_relaxed);
	while (atomic_load_explicit(&l->owner, memory_order_acquire) != me)
		ct_cpu_relax();
}
static inline void lk_ticket_unlock(lk_ticket_t *l, lk_ticket_node_t *n)
{
	(void)n;
	/* Only the holder writes owner: a plain increment published with release. */
	unsigned o = atomic_load_explicit(&l->owner, memory_order_relaxed);
	atomic_store_explicit(&l->owner, o + 1, memory_order_release);
}

#endif
