/*
 * sem.h - three counting semaphores with one interface: POSIX sem_t, a counting semaphore on
 * a futex, and a mutex+condvar semaphore. Each has acquire, try-acquire, acquire with a
 * deadline, and release. Header-only (static inline) so that a benchmark loop over one kind
 * folds the dispatch away; includes only arch.h of the project (Linux futex, pthreads).
 *
 * Deadlines are absolute CLOCK_MONOTONIC nanoseconds (ct_now_ns() + timeout); 0 means none.
 * Every acquire returns 1 when it took a permit and 0 when it did not: a timed-out acquire
 * never holds a permit it reports as not taken (the futex and condvar versions re-check the
 * count once more after the deadline, and take a permit that arrived rather than drop it).
 */
#ifndef CONTEND_FANOUT_SEM_H
#define CONTEND_FANOUT_SEM_H

#ifndef _GNU_SOURCE
#error "define _GNU_SOURCE before the first #include (sem_clockwait, pipe2)"
#endif

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "arch.h"

static inline struct timespec fo_ns_to_timespec(uint64_t ns)
{
	struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000u),
			      .tv_nsec = (long)(ns % 1000000000u)};
	return ts;
}

/* --- futex: a count and a waiter count (Dekker pair, both seq_cst) ---------------------- */

typedef struct {
	CT_ALIGNED atomic_int count; /* permits available; the futex word */
	atomic_int waiters;	     /* threads in (or about to enter) FUTEX_WAIT */
} fo_fsem;

static inline void fo_fsem_init(fo_fsem *s, int permits)
{
	atomic_init(&s->count, permits);
	atomic_init(&s->waiters, 0);
}

static inline int fo_fsem_try(fo_fsem *s)
{
	int c = atomic_load_explicit(&s->count, memory_order_relaxed);
	while (c > 0)
		if (atomic_compare_exchange_weak_explicit(
			&s->count, &c, c - 1, memory_order_acquire, memory_order_relaxed))
			return 1;
	return 0;
}

static inline int fo_fsem_acquire_until(fo_fsem *s, uint64_t deadline_ns)
{
	if (fo_fsem_try(s))
		return 1;
	/* Announce the wait before the last look at the count: a release that increments the
	 * count and then sees waiters == 0 came entirely before this increment, so the load
	 * below sees its permit (seq_cst on both sides). */
	atomic_fetch_add_explicit(&s->waiters, 1, memory_order_seq_cst);
	int got = 0;
	for (;;) {
		int c = atomic_load_explicit(&s->count, memory_order_seq_cst);
		while (c > 0 && !got)
			got = atomic_compare_exchange_weak_explicit(
			    &s->count, &c, c - 1, memory_order_seq_cst, memory_order_relaxed);
		if (got)
			break;
		struct timespec ts, *tsp = NULL;
		if (deadline_ns) {
			if (ct_now_ns() >= deadline_ns)
				break;
			ts = fo_ns_to_timespec(deadline_ns);
			tsp = &ts;
		}
		/* Sleeps only while the count is still 0; EAGAIN, EINTR, ETIMEDOUT: look again
		 * (the deadline check above ends a timed wait). */
		syscall(SYS_futex, (int *)&s->count, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, tsp,
			NULL, FUTEX_BITSET_MATCH_ANY);
	}
	atomic_fetch_sub_explicit(&s->waiters, 1, memory_order_relaxed);
	return got;
}

/*
 * A planted slowdown for checking the regression gate (never in a normal build): with
 * -DCONTEND_TEST_SLOWDOWN=N (cmake -DCONTEND_TEST_SLOWDOWN=N) every futex-semaphore release
 * first reads its count N more times, so `contend ab` of a normal build against this one
 * must name the futex semaphore's rows and nothing else.
 */
#ifndef CONTEND_TEST_SLOWDOWN
#define CONTEND_TEST_SLOWDOWN 0
#endif

static inline void fo_fsem_release(fo_fsem *s)
{
	for (int i = 0; i < CONTEND_TEST_SLOWDOWN; i++)
		(void)atomic_load_explicit(&s->count, memory_order_seq_cst);
	atomic_fetch_add_explicit(&s->count, 1, memory_order_seq_cst);
	if (atomic_load_explicit(&s->waiters, memory_order_seq_cst) > 0)
		syscall(SYS_futex, (int *)&s->count, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL,
			0);
}

/* --- mutex + condvar ---------------------------------------------------------------------- */

typedef struct {
	pthread_mutex_t m;
	pthread_cond_t c; /* on CLOCK_MONOTONIC, like the deadlines */
	int count;
	int waiters;
} fo_csem;

static inline int fo_csem_init(fo_csem *s, int permits)
{
	pthread_condattr_t a;
	if (pthread_condattr_init(&a) || pthread_condattr_setclock(&a, CLOCK_MONOTONIC) ||
	    pthread_cond_init(&s->c, &a) || pthread_mutex_init(&s->m, NULL))
		return -1;
	pthread_condattr_destroy(&a);
	s->count = permits;
	s->waiters = 0;
	return 0;
}

static inline void fo_csem_destroy(fo_csem *s)
{
	pthread_cond_destroy(&s->c);
	pthread_mutex_destroy(&s->m);
}

static inline int fo_csem_try(fo_csem *s)
{
	pthread_mutex_lock(&s->m);
	int got = s->count > 0;
	s->count -= got;
	pthread_mutex_unlock(&s->m);
	return got;
}

static inline int fo_csem_acquire_until(fo_csem *s, uint64_t deadline_ns)
{
	struct timespec ts = fo_ns_to_timespec(deadline_ns);
	int timed_out = 0;

	pthread_mutex_lock(&s->m);
	s->waiters++;
	while (s->count == 0 && !timed_out) {
		if (deadline_ns)
			timed_out = pthread_cond_timedwait(&s->c, &s->m, &ts) == ETIMEDOUT;
		else
			pthread_cond_wait(&s->c, &s->m);
	}
	s->waiters--;
	int got = s->count > 0; /* a permit that came with the timeout is taken, not lost */
	s->count -= got;
	pthread_mutex_unlock(&s->m);
	return got;
}

static inline void fo_csem_release(fo_csem *s)
{
	pthread_mutex_lock(&s->m);
	s->count++;
	if (s->waiters)
		pthread_cond_signal(&s->c);
	pthread_mutex_unlock(&s->m);
}

/* --- POSIX sem_t ------------------------------------------------------------------------ */

static inline int fo_psem_acquire_until(sem_t *s, uint64_t deadline_ns)
{
	if (!deadline_ns) {
		while (sem_wait(s) != 0)
			if (errno != EINTR)
				return 0;
		return 1;
	}
	struct timespec ts = fo_ns_to_timespec(deadline_ns);
	while (sem_clockwait(s, CLOCK_MONOTONIC, &ts) != 0)
		if (errno != EINTR)
			return 0; /* ETIMEDOUT */
	return 1;
}

/* --- one interface ------------------------------------------------------------------------ */

enum fo_sem_kind { FO_SEM_POSIX, FO_SEM_FUTEX, FO_SEM_CONDVAR, FO_SEM_KINDS };

static const char *const fo_sem_names[FO_SEM_KINDS] = {"posix", "futex", "condvar"};

typedef struct {
	int kind;
	union {
		sem_t p;
		fo_fsem f;
		fo_csem c;
	} u;
} fo_sem;

/* Returns 0, or -1 if the semaphore could not be made. */
static inline int fo_sem_init(fo_sem *s, int kind, int permits)
{
	s->kind = kind;
	switch (kind) {
	case FO_SEM_POSIX:
		return sem_init(&s->u.p, 0, (unsigned)permits);
	case FO_SEM_FUTEX:
		fo_fsem_init(&s->u.f, permits);
		return 0;
	case FO_SEM_CONDVAR:
		return fo_csem_init(&s->u.c, permits);
	}
	return -1;
}

static inline void fo_sem_destroy(fo_sem *s)
{
	if (s->kind == FO_SEM_POSIX)
		sem_destroy(&s->u.p);
	else if (s->kind == FO_SEM_CONDVAR)
		fo_csem_destroy(&s->u.c);
}

static inline int fo_sem_try(fo_sem *s)
{
	switch (s->kind) {
	case FO_SEM_POSIX:
		return sem_trywait(&s->u.p) == 0;
	case FO_SEM_FUTEX:
		return fo_fsem_try(&s->u.f);
	default:
		return fo_csem_try(&s->u.c);
	}
}

/* deadline_ns: absolute CLOCK_MONOTONIC ns, 0 = wait for as long as it takes. */
static inline int fo_sem_acquire_until(fo_sem *s, uint64_t deadline_ns)
{
	switch (s->kind) {
	case FO_SEM_POSIX:
		return fo_psem_acquire_until(&s->u.p, deadline_ns);
	case FO_SEM_FUTEX:
		return fo_fsem_acquire_until(&s->u.f, deadline_ns);
	default:
		return fo_csem_acquire_until(&s->u.c, deadline_ns);
	}
}

static inline void fo_sem_acquire(fo_sem *s)
{
	fo_sem_acquire_until(s, 0);
}

/* 1 if a permit was taken within timeout_ns, 0 if not. */
static inline int fo_sem_acquire_timeout(fo_sem *s, uint64_t timeout_ns)
{
	return fo_sem_acquire_until(s, ct_now_ns() + (timeout_ns ? timeout_ns : 1));
}

static inline void fo_sem_release(fo_sem *s)
{
	switch (s->kind) {
	case FO_SEM_POSIX:
		sem_post(&s->u.p);
		break;
	case FO_SEM_FUTEX:
		fo_fsem_release(&s->u.f);
		break;
	default:
		fo_csem_release(&s->u.c);
	}
}

#endif
