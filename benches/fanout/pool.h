/*
 * pool.h - a fixed pool of workers over a job queue (mutex + two condvars), with shutdown.
 *
 * The pool does not start threads itself: whoever owns the workers starts them (in a
 * benchmark, ct_team_start, so they are pinned and recorded) and has each call
 * fo_pool_worker(), which runs jobs until fo_pool_shutdown() and then returns. So every
 * worker has a way to stop: shutdown, then join. Idle workers block (they never spin), so
 * a pool larger than the machine costs nothing while it waits.
 */
#ifndef CONTEND_FANOUT_POOL_H
#define CONTEND_FANOUT_POOL_H

#include <pthread.h>
#include <stdlib.h>

#include "arch.h"

typedef void (*fo_job_fn)(void *arg);

typedef struct {
	fo_job_fn fn;
	void *arg;
} fo_job;

typedef struct {
	pthread_mutex_t m;
	pthread_cond_t work; /* a job was queued, or shutdown */
	pthread_cond_t idle; /* pending reached 0, or room in the queue */
	fo_job *ring;
	int cap, head, len;
	int pending; /* queued or running */
	int stop;
} fo_pool;

/* A queue of cap jobs (submit blocks while it is full). Returns 0, or -1. */
static inline int fo_pool_init(fo_pool *p, int cap)
{
	p->ring = calloc((size_t)cap, sizeof(*p->ring));
	if (!p->ring)
		return -1;
	p->cap = cap;
	p->head = p->len = p->pending = p->stop = 0;
	pthread_mutex_init(&p->m, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->idle, NULL);
	return 0;
}

static inline void fo_pool_destroy(fo_pool *p)
{
	pthread_cond_destroy(&p->idle);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->m);
	free(p->ring);
	p->ring = NULL;
}

/* The worker body: runs jobs until shutdown, finishing the queued ones first. */
static inline void fo_pool_worker(fo_pool *p)
{
	pthread_mutex_lock(&p->m);
	for (;;) {
		while (p->len == 0 && !p->stop)
			pthread_cond_wait(&p->work, &p->m);
		if (p->len == 0) /* stop, and nothing left */
			break;
		fo_job j = p->ring[p->head];
		p->head = (p->head + 1) % p->cap;
		if (p->len-- == p->cap)
			pthread_cond_broadcast(&p->idle); /* room for a blocked submit */
		pthread_mutex_unlock(&p->m);
		j.fn(j.arg);
		pthread_mutex_lock(&p->m);
		if (--p->pending == 0)
			pthread_cond_broadcast(&p->idle);
	}
	pthread_mutex_unlock(&p->m);
}

static inline void fo_pool_submit(fo_pool *p, fo_job_fn fn, void *arg)
{
	pthread_mutex_lock(&p->m);
	while (p->len == p->cap)
		pthread_cond_wait(&p->idle, &p->m);
	p->ring[(p->head + p->len) % p->cap] = (fo_job){fn, arg};
	p->len++;
	p->pending++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->m);
}

/* Wait until every submitted job has finished. */
static inline void fo_pool_wait(fo_pool *p)
{
	pthread_mutex_lock(&p->m);
	while (p->pending > 0)
		pthread_cond_wait(&p->idle, &p->m);
	pthread_mutex_unlock(&p->m);
}

/* Ask every worker to return once the queue is empty; then join them. */
static inline void fo_pool_shutdown(fo_pool *p)
{
	pthread_mutex_lock(&p->m);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->m);
}

#endif
