/*
 * lk_ticket.h - ticket lock: take a number (fetch_add on `next`), wait until `owner` shows
 * it. FIFO, so every acquisition under contention is a handoff to another thread.
 *   ticket     waiters read `owner` back to back: every waiter keeps a copy of the line,
 *              so the holder's release (and the next fetch_add) must first take it back.
 *   ticket_pb  proportional backoff (Mellor-Crummey and Scott 1991; libslock, CK's
 *              ticket_lock_pb): a waiter d places from the head pauses d x LK_TICKET_PB_UNIT
 *              cpu-relax steps between two reads, so the line stays with the holder while
 *              it works and the next in line reads it about when it is released.
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

#define LK_TICKET_PB_UNIT 16

typedef lk_ticket_t lk_ticket_pb_t;
typedef lk_nonode_t lk_ticket_pb_node_t;
#define lk_ticket_pb_init    lk_ticket_init
#define lk_ticket_pb_destroy lk_ticket_destroy
#define lk_ticket_pb_unlock  lk_ticket_unlock

static inline void lk_ticket_pb_lock(lk_ticket_pb_t *l, lk_ticket_pb_node_t *n)
{
	(void)n;
	unsigned me = atomic_fetch_add_explicit(&l->next, 1, memory_order_relaxed);
	for (;;) {
		unsigned o = atomic_load_explicit(&l->owner, memory_order_acquire);
		if (o == me)
			return;
		for (unsigned i = (me - o) * LK_TICKET_PB_UNIT; i; i--)
			ct_cpu_relax();
	}
}

#endif
