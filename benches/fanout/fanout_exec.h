/*
 * fanout_exec.h - semaphore-limited fan-out: N jobs, each acquires a permit, works, releases;
 * run by a thread per job or by a pool. Counts how often each job ran and the highest number
 * of jobs inside the permit at once, so a run can prove every job ran exactly once and the
 * semaphore never admitted more than its permits.
 */
#ifndef CONTEND_FANOUT_EXEC_H
#define CONTEND_FANOUT_EXEC_H

#include <pthread.h>
#include <stdlib.h>

#include "pool.h"
#include "sem.h"
#include "work.h"

typedef struct fo_fanout fo_fanout;

typedef struct {
	fo_fanout *f;
	int idx;
	pthread_t th;
} fo_fanout_job;

struct fo_fanout {
	fo_sem *sem;
	int work_kind;
	uint64_t work_ns;
	int n;
	fo_fanout_job *jobs;
	atomic_int *runs; /* per job: how many times it ran */
	CT_ALIGNED atomic_int inside;
	CT_ALIGNED atomic_int max_inside;
	/* Tests only: a job inside the permit waits (up to hold_deadline_ns) until max_inside
	 * reaches hold_k, to prove the permits can all be in use at once. 0: no holding. */
	int hold_k;
	uint64_t hold_deadline_ns;
	/* Called first in every thread-per-job thread (e.g. to pin it); may be NULL. */
	void (*on_thread_start)(int idx);
};

/* Returns 0, or -1 on allocation failure. */
static inline int fo_fanout_init(fo_fanout *f, fo_sem *sem, int n, int work_kind, uint64_t work_ns)
{
	*f = (fo_fanout){.sem = sem, .work_kind = work_kind, .work_ns = work_ns, .n = n};
	f->jobs = calloc((size_t)n, sizeof(*f->jobs));
	f->runs = calloc((size_t)n, sizeof(*f->runs));
	if (!f->jobs || !f->runs) {
		free(f->jobs);
		free(f->runs);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		f->jobs[i].f = f;
		f->jobs[i].idx = i;
		atomic_init(&f->runs[i], 0);
	}
	atomic_init(&f->inside, 0);
	atomic_init(&f->max_inside, 0);
	return 0;
}

static inline void fo_fanout_destroy(fo_fanout *f)
{
	free(f->jobs);
	free(f->runs);
}

/* 0 if every job ran exactly `times` times, else the index of the first that did not + 1. */
static inline int fo_fanout_check_runs(fo_fanout *f, int times)
{
	for (int i = 0; i < f->n; i++)
		if (atomic_load_explicit(&f->runs[i], memory_order_relaxed) != times)
			return i + 1;
	return 0;
}

static inline void fo_fanout_job_run(void *arg)
{
	fo_fanout_job *j = arg;
	fo_fanout *f = j->f;

	fo_sem_acquire(f->sem);
	int now = atomic_fetch_add_explicit(&f->inside, 1, memory_order_relaxed) + 1;
	int m = atomic_load_explicit(&f->max_inside, memory_order_relaxed);
	while (now > m && !atomic_compare_exchange_weak_explicit(
			      &f->max_inside, &m, now, memory_order_relaxed, memory_order_relaxed))
		;
	if (f->hold_k)
		while (atomic_load_explicit(&f->max_inside, memory_order_relaxed) < f->hold_k &&
		       ct_now_ns() < f->hold_deadline_ns)
			ap_sleep_ns(100000);
	fo_work(f->work_kind, f->work_ns);
	atomic_fetch_add_explicit(&f->runs[j->idx], 1, memory_order_relaxed);
	atomic_fetch_sub_explicit(&f->inside, 1, memory_order_relaxed);
	fo_sem_release(f->sem);
}

static inline void *fo_fanout_thread_main(void *arg)
{
	fo_fanout_job *j = arg;
	if (j->f->on_thread_start)
		j->f->on_thread_start(j->idx);
	fo_fanout_job_run(j);
	return NULL;
}

/*
 * One fan-out with a thread per job: start N threads (small stacks), join them all.
 * Returns 0, or -1 if a thread could not be started (those started are joined).
 */
static inline int fo_fanout_run_threads(fo_fanout *f)
{
	pthread_attr_t a;
	int rc = 0, started = 0;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 256 * 1024);
	for (; started < f->n; started++) {
		ct_attr_bind(&a, 1 + started); /* created on its PU: no migration in the clock */
		if (pthread_create(&f->jobs[started].th, &a, fo_fanout_thread_main,
				   &f->jobs[started]) != 0) {
			rc = -1;
			break;
		}
	}
	pthread_attr_destroy(&a);
	for (int i = 0; i < started; i++)
		pthread_join(f->jobs[i].th, NULL);
	return rc;
}

/* One fan-out on a running pool: submit N jobs, wait for all of them. */
static inline void fo_fanout_run_pool(fo_fanout *f, fo_pool *p)
{
	for (int i = 0; i < f->n; i++)
		fo_pool_submit(p, fo_fanout_job_run, &f->jobs[i]);
	fo_pool_wait(p);
}

#endif
