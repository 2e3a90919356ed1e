/*
 * evloop_test.c - the event loop of anti-pattern 2 (benches/antipatterns/evloop.h): with the
 * blocking call made inline or handed to a pool worker, every event arrives once and in
 * order, every handed-off call completes, the producer and worker stop on request (no
 * thread left), and the inline loop's worst event waited at least the blocking call (the
 * anti-pattern is real: the block delays the events queued behind it).
 */
#define _GNU_SOURCE
#include <pthread.h>

#include "antipatterns/evloop.h"
#include "fanout/testutil.h"

static ap_evloop l;

static void *producer(void *arg)
{
	(void)arg;
	ap_evloop_producer(&l);
	return NULL;
}

static void *worker(void *arg)
{
	(void)arg;
	fo_pool_worker(&l.pool);
	return NULL;
}

int main(int argc, char **argv)
{
	int before = ct_test_threads_baseline();
	long n = argc > 1 ? atol(argv[1]) : CT_SCALE(2000);
	uint64_t period = argc > 2 ? (uint64_t)atol(argv[2]) * 1000 : 50000;

	for (int handoff = 0; handoff < 2; handoff++) {
		const char *nm = handoff ? "worker" : "inline";
		pthread_t p, w;
		CHECK(ap_evloop_init(&l, handoff, 100, period, 1000000) == 0, "init");
		pthread_create(&p, NULL, producer, NULL);
		pthread_create(&w, NULL, worker, NULL);
		int rc = ap_evloop_run(&l, n);
		ap_evloop_stop(&l);
		ap_evloop_drain_completions(&l);
		fo_pool_shutdown(&l.pool);
		pthread_join(p, NULL);
		pthread_join(w, NULL);
		CHECK(rc == 0, "%s: the loop failed (overflow %ld)", nm, atomic_load(&l.overflow));
		CHECK(l.errors == 0, "%s: %ld events out of order", nm, l.errors);
		CHECK((long)l.next_seq >= n, "%s: handled up to %llu of %ld", nm,
		      (unsigned long long)l.next_seq, n);
		CHECK(l.blocking == n / 100, "%s: %ld blocking events of %ld", nm, l.blocking,
		      n / 100);
		CHECK(l.completed == l.handed, "%s: %ld handed off, %ld completed", nm, l.handed,
		      l.completed);
		CHECK(handoff ? l.handed == l.blocking : l.handed == 0, "%s: handed %ld", nm,
		      l.handed);
		CHECK(l.lat_n + (uint64_t)l.blocking == (uint64_t)n, "%s: %llu latencies", nm,
		      (unsigned long long)l.lat_n);
		if (!handoff)
			CHECK(l.lat_max_ns >= 1000000 - period, "%s: worst latency %llu ns", nm,
			      (unsigned long long)l.lat_max_ns);
		printf("%s: %ld events, mean %.1f us, p50 %.0f us, p99 %.0f us, max %.0f us\n", nm,
		       n, (double)l.lat_sum_ns / 1e3 / (double)(l.lat_n ? l.lat_n : 1),
		       ap_evloop_quantile_ns(&l, 0.5) / 1e3, ap_evloop_quantile_ns(&l, 0.99) / 1e3,
		       (double)l.lat_max_ns / 1e3);
		ap_evloop_destroy(&l);
	}
	CHECK(ct_test_threads() == before, "%d threads before, %d after", before,
	      ct_test_threads());
	return ct_test_done("anti_evloop_test");
}
