/*
 * forkjoin.h - one fork-join over a split array (sum of T slices, then the driver adds the
 * partial sums), two ways: T threads created and joined per scope (Rust's thread::scope),
 * or T persistent workers released by a barrier and collected by a second one.
 *
 * The pool's workers are started by the owner (ct_team_start in a benchmark) and run
 * fo_fj_pool_worker() until fo_fj_pool_shutdown(); idle workers block in the barrier.
 */
#ifndef CONTEND_FANOUT_FORKJOIN_H
#define CONTEND_FANOUT_FORKJOIN_H

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

#include "arch.h"

struct fo_fj_slot {
	CT_ALIGNED uint64_t sum; /* one worker's partial sum, alone on its line */
	pthread_t th;
};

typedef struct fo_fj {
	const uint64_t *a;
	size_t n;
	int t;
	struct fo_fj_slot *part;
	pthread_barrier_t start, end; /* T workers + the driver */
	ct_stop stop;
	void (*on_thread_start)(int idx); /* spawned threads: called first (pinning); or NULL */
} fo_fj;

typedef struct {
	fo_fj *f;
	int i;
} fo_fj_arg;

/* t workers over a[0..n). Returns 0, or -1. */
static inline int fo_fj_init(fo_fj *f, const uint64_t *a, size_t n, int t)
{
	*f = (fo_fj){.a = a, .n = n, .t = t};
	f->part = aligned_alloc(CT_PAD, sizeof(*f->part) * (size_t)t);
	if (!f->part)
		return -1;
	pthread_barrier_init(&f->start, NULL, (unsigned)t + 1);
	pthread_barrier_init(&f->end, NULL, (unsigned)t + 1);
	ct_stop_init(&f->stop);
	return 0;
}

static inline void fo_fj_destroy(fo_fj *f)
{
	pthread_barrier_destroy(&f->start);
	pthread_barrier_destroy(&f->end);
	free(f->part);
}

static inline void fo_fj_slice(fo_fj *f, int i)
{
	size_t lo = f->n * (size_t)i / (size_t)f->t, hi = f->n * (size_t)(i + 1) / (size_t)f->t;
	uint64_t s = 0;
	for (size_t k = lo; k < hi; k++)
		s += f->a[k];
	f->part[i].sum = s;
}

static inline uint64_t fo_fj_total(fo_fj *f)
{
	uint64_t s = 0;
	for (int i = 0; i < f->t; i++)
		s += f->part[i].sum;
	return s;
}

static inline void *fo_fj_spawn_main(void *p)
{
	fo_fj_arg *a = p;
	if (a->f->on_thread_start)
		a->f->on_thread_start(a->i);
	fo_fj_slice(a->f, a->i);
	return NULL;
}

/* One scope with T threads created and joined. Returns the sum; *err = -1 if a thread
 * could not be started (the started ones are joined). args: room for T. */
static inline uint64_t fo_fj_spawn_scope(fo_fj *f, fo_fj_arg *args, int *err)
{
	pthread_attr_t at;
	int started = 0;

	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 256 * 1024);
	for (; started < f->t; started++) {
		args[started] = (fo_fj_arg){f, started};
		ct_attr_bind(&at, 1 + started); /* created on its PU: no migration in the clock */
		if (pthread_create(&f->part[started].th, &at, fo_fj_spawn_main, &args[started])) {
			*err = -1;
			break;
		}
	}
	pthread_attr_destroy(&at);
	for (int i = 0; i < started; i++)
		pthread_join(f->part[i].th, NULL);
	return fo_fj_total(f);
}

/* The body of pool worker i: one slice per scope until shutdown. */
static inline void fo_fj_pool_worker(fo_fj *f, int i)
{
	for (;;) {
		pthread_barrier_wait(&f->start);
		if (ct_stop_seen(&f->stop))
			return;
		fo_fj_slice(f, i);
		pthread_barrier_wait(&f->end);
	}
}

/* One scope on the pool: release the workers, wait for all of them. Returns the sum. */
static inline uint64_t fo_fj_pool_scope(fo_fj *f)
{
	pthread_barrier_wait(&f->start);
	pthread_barrier_wait(&f->end);
	return fo_fj_total(f);
}

/* Every worker returns from fo_fj_pool_worker; then join them. */
static inline void fo_fj_pool_shutdown(fo_fj *f)
{
	ct_stop_set(&f->stop);
	pthread_barrier_wait(&f->start);
}

#endif
