/*
 * spinlock_test.c - the TTAS spinlock of anti-pattern 3 (benches/antipatterns/spinlock.h)
 * excludes: threads incrementing a plain counter under it lose nothing (and TSan sees the
 * acquire/release pairing). Threads = PUs, so the test never depends on preemption luck.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <unistd.h>

#include "antipatterns/spinlock.h"
#include "fanout/testutil.h"

static ap_spinlock lock;
static long counter;

static void *run(void *arg)
{
	long n = (long)(intptr_t)arg;
	for (long i = 0; i < n; i++) {
		ap_spin_lock(&lock);
		counter++;
		ap_spin_unlock(&lock);
	}
	return NULL;
}

int main(void)
{
	long pus = sysconf(_SC_NPROCESSORS_ONLN);
	int t = pus < 2 ? 2 : pus > 8 ? 8 : (int)pus;
	long n = CT_SCALE(200000);
	pthread_t th[8];

	ap_spin_init(&lock);
	for (int i = 0; i < t; i++)
		pthread_create(&th[i], NULL, run, (void *)(intptr_t)n);
	for (int i = 0; i < t; i++)
		pthread_join(th[i], NULL);
	CHECK(counter == n * t, "counter %ld, want %ld", counter, n * t);
	return ct_test_done("anti_spinlock_test");
}
