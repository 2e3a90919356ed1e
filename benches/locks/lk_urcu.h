/*
 * lk_urcu.h - liburcu's RCU (`urcu_memb`, the default "memb" flavour: readers mark their
 * read-side critical sections with rcu_read_lock/unlock, the writer waits in
 * synchronize_rcu, which uses membarrier(2) so readers need no fence) behind
 * lock_readmostly's snapshot interface (only with CONTEND_HAVE_URCU). The writer takes a
 * pthread mutex, copies the snapshot into a fresh malloc'd one, publishes it with
 * rcu_xchg_pointer, and after unlocking waits for a grace period (synchronize_rcu) and
 * frees the old one: the textbook updater, so a write costs a grace period, unlike the
 * family's own rcu, whose writers never wait. Every thread registers with liburcu.
 */
#ifndef CONTEND_LK_URCU_H
#define CONTEND_LK_URCU_H

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <urcu.h>

#include "lk_mutex.h"
#include "lk_snap.h"

typedef struct {
	CT_ALIGNED lk_snap_t *cur;
	CT_ALIGNED pthread_mutex_t wlock;
} lk_urcu_memb_rm_t;
typedef lk_nonode_t lk_urcu_memb_node_t;

static inline void lk_urcu_memb_rm_init(lk_urcu_memb_rm_t *r, int max_threads)
{
	(void)max_threads;
	r->cur = malloc(sizeof(lk_snap_t));
	if (!r->cur)
		abort();
	lk_snap_fill(r->cur->f, 0);
	pthread_mutex_init(&r->wlock, NULL);
}
static inline void lk_urcu_memb_rm_destroy(lk_urcu_memb_rm_t *r)
{
	free(r->cur);
	pthread_mutex_destroy(&r->wlock);
}
static inline void lk_urcu_memb_rm_enter(lk_urcu_memb_rm_t *r, lk_nonode_t *n, int tid)
{
	(void)r, (void)n, (void)tid;
	rcu_register_thread();
}
static inline void lk_urcu_memb_rm_quiescent(lk_urcu_memb_rm_t *r, lk_nonode_t *n)
{
	(void)r, (void)n;
}
static inline void lk_urcu_memb_rm_leave(lk_urcu_memb_rm_t *r, lk_nonode_t *n)
{
	(void)r, (void)n;
	rcu_unregister_thread();
}
static inline void lk_urcu_memb_rm_read(lk_urcu_memb_rm_t *r, lk_nonode_t *n, uint64_t *out)
{
	(void)n;
	rcu_read_lock();
	lk_snap_t *s = rcu_dereference(r->cur);
	memcpy(out, s->f, sizeof(s->f));
	rcu_read_unlock();
}
static inline void lk_urcu_memb_rm_write(lk_urcu_memb_rm_t *r, lk_nonode_t *n)
{
	(void)n;
	lk_snap_t *s = malloc(sizeof(*s));
	if (!s)
		abort();
	pthread_mutex_lock(&r->wlock);
	lk_snap_fill(s->f, r->cur->f[0] + 1);
	lk_snap_t *old = rcu_xchg_pointer(&r->cur, s);
	pthread_mutex_unlock(&r->wlock);
	synchronize_rcu();
	free(old);
}
static inline uint64_t lk_urcu_memb_rm_version(lk_urcu_memb_rm_t *r)
{
	return r->cur->f[0];
}

#endif
