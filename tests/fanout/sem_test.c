/*
 * sem_test.c - the three semaphores (benches/fanout/sem.h): try-acquire takes exactly the
 * permits there are; acquire with a timeout returns on time without taking a permit, and
 * takes one that arrives in time; under stress (acquire, timed acquire, try, from more
 * threads than permits) never more than K holders at once, and exactly K permits after.
 */
#define _GNU_SOURCE
#include <pthread.h>

#include "fanout/sem.h"
#include "fanout/testutil.h"
#include "fanout/work.h"

enum { K = 3, THREADS = 8 };

static fo_sem sem;
static CT_ALIGNED atomic_int inside;
static CT_ALIGNED atomic_int max_inside;
static CT_ALIGNED atomic_long taken, timeouts;
static long plain_counter; /* touched only while holding a permit with K = 1 */

static void enter(void)
{
	int now = atomic_fetch_add(&inside, 1) + 1;
	int m = atomic_load(&max_inside);
	while (now > m && !atomic_compare_exchange_weak(&max_inside, &m, now))
		;
}

static void *stress(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg * 2654435761u + 1;
	int iters = CT_SCALE(5000);
	for (int i = 0; i < iters; i++) {
		seed = seed * 1103515245u + 12345u;
		int how = (int)(seed >> 16) % 3, got;
		if (how == 0)
			got = (fo_sem_acquire(&sem), 1);
		else if (how == 1)
			got = fo_sem_acquire_timeout(&sem, 1000 + (seed >> 20) % 10000);
		else
			got = fo_sem_try(&sem);
		if (!got) {
			if (how == 1)
				atomic_fetch_add(&timeouts, 1);
			continue;
		}
		enter();
		if ((seed >> 12) % 2 ==
		    0) { /* now and then a long hold, so timed acquires expire */
			uint64_t end = ct_now_ns() + 20000;
			while (ct_now_ns() < end)
				ct_cpu_relax();
		} else {
			for (int k = 0; k < (int)(seed >> 24) % 64; k++)
				ct_cpu_relax();
		}
		atomic_fetch_add(&taken, 1);
		atomic_fetch_sub(&inside, 1);
		fo_sem_release(&sem);
	}
	return NULL;
}

static void *mutex_stress(void *arg)
{
	(void)arg;
	int iters = CT_SCALE(50000);
	for (int i = 0; i < iters; i++) {
		fo_sem_acquire(&sem);
		plain_counter++; /* a race here is a TSan report and a lost increment */
		fo_sem_release(&sem);
	}
	return NULL;
}

static void *release_later(void *arg)
{
	(void)arg;
	ap_sleep_ns(20 * 1000000u);
	fo_sem_release(&sem);
	return NULL;
}

static int drain(void)
{
	int n = 0;
	while (n < 1000 && fo_sem_try(&sem))
		n++;
	return n;
}

static void test_kind(int kind)
{
	const char *nm = fo_sem_names[kind];
	pthread_t th[THREADS];

	/* try-acquire: exactly the permits there are */
	CHECK(fo_sem_init(&sem, kind, K) == 0, "%s: init", nm);
	CHECK(drain() == K, "%s: try-acquire did not take exactly %d permits", nm, K);
	for (int i = 0; i < K; i++)
		fo_sem_release(&sem);
	CHECK(drain() == K, "%s: release did not give the permits back", nm);

	/* timeout with no permit: returns after the deadline, takes nothing */
	uint64_t t0 = ct_now_ns();
	int got = fo_sem_acquire_timeout(&sem, 30 * 1000000u);
	uint64_t dt = ct_now_ns() - t0;
	CHECK(!got, "%s: a timed acquire on an empty semaphore reported a permit", nm);
	CHECK(dt >= 30 * 1000000u, "%s: timed out early, after %llu ns", nm,
	      (unsigned long long)dt);
	CHECK(dt < 10 * 1000000000ull, "%s: timed out only after %llu ns", nm,
	      (unsigned long long)dt);
	CHECK(!fo_sem_try(&sem), "%s: the timed-out acquire left a permit behind", nm);
	fo_sem_release(&sem);
	CHECK(drain() == 1, "%s: the timed-out acquire took a permit it did not report", nm);

	/* a permit that arrives in time is taken */
	pthread_create(&th[0], NULL, release_later, NULL);
	got = fo_sem_acquire_timeout(&sem, 10 * 1000000000ull);
	pthread_join(th[0], NULL);
	CHECK(got, "%s: a permit released within the timeout was not taken", nm);
	CHECK(drain() == 0, "%s: permits appeared from nowhere", nm);
	fo_sem_destroy(&sem);

	/* stress: mixed acquires from more threads than permits (K = 1: below the PUs, so
	 * timed acquires expire while a holder runs; K = 3) */
	for (int k = 1; k <= 3; k += 2) {
		CHECK(fo_sem_init(&sem, kind, k) == 0, "%s: init", nm);
		atomic_store(&inside, 0);
		atomic_store(&max_inside, 0);
		atomic_store(&taken, 0);
		atomic_store(&timeouts, 0);
		for (int i = 0; i < THREADS; i++)
			pthread_create(&th[i], NULL, stress, (void *)(uintptr_t)(i + 1));
		for (int i = 0; i < THREADS; i++)
			pthread_join(th[i], NULL);
		CHECK(atomic_load(&max_inside) <= k, "%s: %d holders of %d permits", nm,
		      atomic_load(&max_inside), k);
		CHECK(atomic_load(&taken) > 0, "%s: nobody ever got a permit", nm);
		CHECK(drain() == k, "%s: the count drifted under stress (timeouts: %ld)", nm,
		      atomic_load(&timeouts));
		printf("%s: K=%d: %ld permits taken, %ld timeouts, max %d holders\n", nm, k,
		       atomic_load(&taken), atomic_load(&timeouts), atomic_load(&max_inside));
		fo_sem_destroy(&sem);
	}
	/* one permit as a lock: an exact count */
	CHECK(fo_sem_init(&sem, kind, 1) == 0, "%s: init", nm);
	plain_counter = 0;
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, mutex_stress, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	CHECK(plain_counter == 4L * CT_SCALE(50000), "%s: count %ld, want %ld", nm, plain_counter,
	      4L * CT_SCALE(50000));
	CHECK(drain() == 1, "%s: one permit expected after the lock test", nm);
	fo_sem_destroy(&sem);
}

int main(void)
{
	for (int k = 0; k < FO_SEM_KINDS; k++)
		test_kind(k);
	return ct_test_done("fanout_sem_test");
}
