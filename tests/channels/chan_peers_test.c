/*
 * chan_peers_test.c - the reference rows' rings (benches/channels/bench_peers.c) move
 * every message exactly once and in order, so their throughput figures compare:
 *   limit   the limit probe (spsc_limit.h): 1 producer, 1 consumer, every capacity it
 *           accepts; the last partial line arrives after spsc_limit_flush; capacities
 *           below two lines are refused;
 *   ck      ck_ring SPSC and MPMC through chan_ck.h (when built with libck; not under
 *           ThreadSanitizer, which cannot see ck's inline-assembly atomics), MPMC with two
 *           producers and two consumers, FIFO per producer at each consumer.
 * Spinning threads: declared a spin test (runs alone, and again on one CPU).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "channels/chan_ck.h"
#include "channels/spsc_limit.h"
#include "testcpu.h"

static int failures;
#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			failures++;                                                                \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                       \
			fprintf(stderr, __VA_ARGS__);                                              \
			fprintf(stderr, "\n");                                                     \
		}                                                                                  \
	} while (0)

#define ID_SHIFT 40

struct run {
	void *q;
	int (*try_send)(void *q, uint64_t v);
	int (*try_recv)(void *q, uint64_t *v);
	void (*flush)(void *q);
	long per_producer;
	int producers;
	atomic_int producers_left;
	atomic_uint_fast64_t received, sum_got;
	uint64_t sum_sent;
	atomic_int errors;
};

struct arg {
	struct run *r;
	int id;
};

static void *producer(void *p)
{
	struct arg *a = p;
	struct run *r = a->r;
	for (long s = 0; s < r->per_producer; s++) {
		uint64_t v = ((uint64_t)(a->id + 1) << ID_SHIFT) | (uint64_t)s;
		ct_spinwait w = CT_SPINWAIT_INIT;
		while (!r->try_send(r->q, v))
			ct_spinwait_step(&w);
	}
	if (r->flush)
		r->flush(r->q);
	atomic_fetch_sub(&r->producers_left, 1);
	return NULL;
}

static void *consumer(void *p)
{
	struct arg *a = p;
	struct run *r = a->r;
	uint64_t next[4] = {0}, v, sum = 0, n = 0;
	ct_spinwait w = CT_SPINWAIT_INIT;
	for (;;) {
		if (!r->try_recv(r->q, &v)) {
			/* empty: done once every producer has finished and it is still empty */
			if (atomic_load(&r->producers_left) != 0) {
				ct_spinwait_step(&w);
				continue;
			}
			if (!r->try_recv(r->q, &v))
				break;
		}
		unsigned id = (unsigned)(v >> ID_SHIFT) - 1;
		uint64_t s = v & ((UINT64_C(1) << ID_SHIFT) - 1);
		if (id >= (unsigned)r->producers || s < next[id])
			atomic_fetch_add(&r->errors, 1);
		else
			next[id] = s + 1;
		sum += v;
		n++;
	}
	atomic_fetch_add(&r->received, n);
	atomic_fetch_add(&r->sum_got, sum);
	return NULL;
}

static void transfer(const char *what, struct run *r, int consumers)
{
	pthread_t th[8];
	struct arg args[8];
	atomic_init(&r->producers_left, r->producers);
	atomic_init(&r->received, 0);
	atomic_init(&r->sum_got, 0);
	atomic_init(&r->errors, 0);
	r->sum_sent = 0;
	for (int id = 0; id < r->producers; id++)
		for (long s = 0; s < r->per_producer; s++)
			r->sum_sent += ((uint64_t)(id + 1) << ID_SHIFT) | (uint64_t)s;
	/*
	 * Thread k on the k-th CPU of the mask, consumers first: with two CPUs, the producers
	 * are on different CPUs, and so are the consumers. ck_ring's MPMC enqueue
	 * spins, without yielding, until the producer before it has published; two producers
	 * left by the scheduler on one CPU make every message wait out a time slice (minutes
	 * for the whole transfer).
	 */
	int k = 0;
	for (int i = 0; i < consumers + r->producers; i++, k++) {
		int prod = i >= consumers, id = prod ? i - consumers : i;
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		int cpu = ct_test_cpu_nth(k);
		if (cpu >= 0) {
			cpu_set_t set;
			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
		}
		args[k] = (struct arg){r, id};
		if (pthread_create(&th[k], &attr, prod ? producer : consumer, &args[k]) != 0) {
			fprintf(stderr, "FAIL %s: thread %d not started\n", what, k);
			exit(1); /* the others would wait for it */
		}
		pthread_attr_destroy(&attr);
	}
	for (int i = 0; i < k; i++)
		pthread_join(th[i], NULL);
	uint64_t want = (uint64_t)r->per_producer * (uint64_t)r->producers;
	CHECK(atomic_load(&r->received) == want && atomic_load(&r->sum_got) == r->sum_sent &&
		  atomic_load(&r->errors) == 0,
	      "%s: received %llu of %llu, checksum %s, %d out of order", what,
	      (unsigned long long)atomic_load(&r->received), (unsigned long long)want,
	      atomic_load(&r->sum_got) == r->sum_sent ? "equal" : "differs",
	      atomic_load(&r->errors));
}

static int lim_send(void *q, uint64_t v)
{
	return spsc_limit_try_send(q, v);
}
static int lim_recv(void *q, uint64_t *v)
{
	return spsc_limit_try_recv(q, v);
}
static void lim_flush(void *q)
{
	spsc_limit_flush(q);
}

#ifdef __SANITIZE_THREAD__
#define SCALE 10
#else
#define SCALE 1
#endif

static void test_limit(void)
{
	CHECK(!spsc_limit_create(8), "a ring of one line would never publish");
	CHECK(!spsc_limit_create(100), "capacity not a power of two");
	static const size_t caps[] = {16, 64, 1024};
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		struct run r = {.q = spsc_limit_create(caps[i]),
				.try_send = lim_send,
				.try_recv = lim_recv,
				.flush = lim_flush,
				/* not a multiple of 8: the last partial line needs the flush */
				.per_producer = ct_test_iters(200003 / SCALE, 20),
				.producers = 1};
		char what[64];
		snprintf(what, sizeof what, "limit probe cap %zu", caps[i]);
		transfer(what, &r, 1);
		spsc_limit_destroy(r.q);
	}
	printf("limit probe: done\n");
}

#if defined(CONTEND_HAVE_CK) && !defined(__SANITIZE_THREAD__)
static int ck_spsc_send(void *q, uint64_t v)
{
	return chan_ck_spsc_try_send(q, v);
}
static int ck_spsc_recv(void *q, uint64_t *v)
{
	return chan_ck_spsc_try_recv(q, v);
}
static int ck_mpmc_send(void *q, uint64_t v)
{
	return chan_ck_mpmc_try_send(q, v);
}
static int ck_mpmc_recv(void *q, uint64_t *v)
{
	return chan_ck_mpmc_try_recv(q, v);
}

static void test_ck(void)
{
	long n = ct_test_iters(200000, 20);
	struct run s = {.q = chan_ck_create(1024),
			.try_send = ck_spsc_send,
			.try_recv = ck_spsc_recv,
			.per_producer = n,
			.producers = 1};
	transfer("ck_ring spsc", &s, 1);
	chan_ck_destroy(s.q);
	struct run m = {.q = chan_ck_create(64),
			.try_send = ck_mpmc_send,
			.try_recv = ck_mpmc_recv,
			.per_producer = n / 2,
			.producers = 2};
	transfer("ck_ring mpmc 2:2", &m, 2);
	chan_ck_destroy(m.q);
	printf("ck_ring: done\n");
}
#else
static void test_ck(void)
{
	printf("ck_ring: skipped (no libck, or ThreadSanitizer)\n");
}
#endif

int main(void)
{
	test_limit();
	test_ck();
	printf("%s: %d failure(s)\n", failures ? "FAILED" : "ok", failures);
	return failures ? 1 : 0;
}
