/*
 * wake_test.c - every wake-up mechanism (benches/fanout/wake.h) delivers: a signal sent
 * before the wait is not lost, and a ping-pong of many round trips between two threads
 * completes with every ping answered once; the partner stops on request.
 */
#define _GNU_SOURCE
#include <pthread.h>

#include "fanout/testutil.h"
#include "fanout/wake.h"

static fo_wake ping, pong;
static ct_stop stop;
static long answered;

static void *partner(void *arg)
{
	(void)arg;
	for (;;) {
		if (fo_wake_wait(&ping) != 0)
			return NULL;
		if (ct_stop_seen(&stop))
			return NULL;
		answered++;
		fo_wake_signal(&pong);
	}
}

int main(void)
{
	int before = ct_test_threads_baseline();
	for (int k = 0; k < FO_WAKE_KINDS; k++) {
		const char *nm = fo_wake_names[k];
		CHECK(fo_wake_init(&ping, k) == 0, "%s: init", nm);
		CHECK(fo_wake_init(&pong, k) == 0, "%s: init", nm);

		/* remembered: signal first, then the wait returns at once */
		CHECK(fo_wake_signal(&ping) == 0, "%s: signal", nm);
		CHECK(fo_wake_wait(&ping) == 0, "%s: wait after signal", nm);

		ct_stop_init(&stop);
		answered = 0;
		pthread_t th;
		pthread_create(&th, NULL, partner, NULL);
		long n = CT_SCALE(2000), ok = 0;
		for (long i = 0; i < n; i++)
			ok += fo_wake_signal(&ping) == 0 && fo_wake_wait(&pong) == 0;
		ct_stop_set(&stop);
		fo_wake_signal(&ping);
		pthread_join(th, NULL);
		CHECK(ok == n, "%s: %ld of %ld round trips", nm, ok, n);
		CHECK(answered == n, "%s: partner answered %ld of %ld", nm, answered, n);
		fo_wake_destroy(&ping);
		fo_wake_destroy(&pong);
	}
	CHECK(ct_test_threads() == before, "%d threads before, %d after", before,
	      ct_test_threads());
	return ct_test_done("fanout_wake_test");
}
