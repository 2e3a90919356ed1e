/*
 * rtt.c - see rtt.h. Two fresh threads, so the caller's own binding is untouched.
 */
#include "rtt.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include "arch.h"
#include "bench.h"
#include "topology.h"

#define PER_BATCH  100
#define WARMUP	   200
#define GIVE_UP_NS 250000000ull

struct pingpong {
	CT_ALIGNED atomic_long ball; /* odd: A served, even: B returned */
	ct_stop stop;
	int a, b, pinned, batches;
	double *samples;
	int ok;
};

int ct_rtt_pause;

/*
 * Wait until ball == want; 0, or -1 when told to stop. The detection loop adds nothing to
 * the round trip it measures: no PAUSE (one costs ~18 ns on some Intel cores, ~40 % of a
 * Zen round trip), only the load, and every 64th look the clock (and a yield once a wait
 * passes 50 us: the partner is not running). ct_rtt_pause puts the PAUSE back (contend
 * c2c --pause), to show what it costs.
 */
static int await(struct pingpong *p, long want, uint64_t deadline)
{
	ct_spinwait w = CT_SPINWAIT_INIT;
	const int pause = ct_rtt_pause;

	while (atomic_load_explicit(&p->ball, memory_order_acquire) != want) {
		if (pause)
			ct_cpu_relax();
		if ((++w.n & 63) != 0)
			continue;
		uint64_t now = ct_now_ns();
		if (!w.t0)
			w.t0 = now;
		else if (now - w.t0 > CT_SPIN_YIELD_NS)
			sched_yield();
		if (ct_stop_seen(&p->stop) || now > deadline)
			return -1;
	}
	return 0;
}

static void *player_b(void *arg)
{
	struct pingpong *p = arg;
	uint64_t deadline = ct_now_ns() + GIVE_UP_NS;
	long total = WARMUP + (long)p->batches * PER_BATCH;

	if (p->pinned)
		ct_bind_self_os(p->b);
	for (long i = 0; i < total; i++) {
		if (await(p, 2 * i + 1, deadline))
			return NULL;
		atomic_store_explicit(&p->ball, 2 * i + 2, memory_order_release);
	}
	return NULL;
}

static void *player_a(void *arg)
{
	struct pingpong *p = arg;
	uint64_t deadline = ct_now_ns() + GIVE_UP_NS;
	long i = 0;

	if (p->pinned)
		ct_bind_self_os(p->a);
	for (int batch = -1; batch < p->batches; batch++) {
		long n = batch < 0 ? WARMUP : PER_BATCH;
		uint64_t t0 = ct_now_ns();
		for (long j = 0; j < n; j++, i++) {
			atomic_store_explicit(&p->ball, 2 * i + 1, memory_order_release);
			if (await(p, 2 * i + 2, deadline)) {
				ct_stop_set(&p->stop);
				return NULL;
			}
		}
		if (batch >= 0)
			p->samples[batch] = (double)(ct_now_ns() - t0) / (double)n;
	}
	p->ok = 1;
	return NULL;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

double ct_rtt_ns(int a, int b, int pinned, int batches)
{
	struct pingpong *p = aligned_alloc(CT_PAD, (sizeof(*p) + CT_PAD - 1) / CT_PAD * CT_PAD);
	pthread_t ta, tb;
	double r = -1;

	if (!p)
		return -1;
	p->samples = NULL;
	if (batches < 1)
		goto out;
	atomic_init(&p->ball, 0);
	ct_stop_init(&p->stop);
	p->a = a;
	p->b = b;
	p->pinned = pinned;
	p->batches = batches;
	p->ok = 0;
	p->samples = calloc((size_t)batches, sizeof(double));
	if (!p->samples)
		goto out;
	if (pthread_create(&tb, NULL, player_b, p) != 0)
		goto out;
	if (pthread_create(&ta, NULL, player_a, p) != 0) {
		ct_stop_set(&p->stop);
		pthread_join(tb, NULL);
		goto out;
	}
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	if (p->ok) {
		qsort(p->samples, (size_t)batches, sizeof(double), cmp_double);
		r = p->samples[batches / 2];
	}
out:
	free(p->samples);
	free(p);
	return r;
}

/* --- one PU's speed --------------------------------------------------------------------*/

#define SPEED_ITERS  20000
#define SPEED_TRIALS 5

struct speed {
	int pu, pinned;
	double best;
};

static void *speed_main(void *arg)
{
	struct speed *s = arg;
	static uint64_t line[512];
	double best = -1;

	if (s->pinned)
		ct_bind_self_os(s->pu);
	for (int t = 0; t < SPEED_TRIALS; t++) {
		uint64_t a = 1, b = 2, c = 3, d = 4;
		const volatile uint64_t *l = line;
		uint64_t t0 = ct_now_ns();
		for (unsigned i = 0; i < SPEED_ITERS; i++) {
			a += l[i & 511];
			b ^= l[(i + 7) & 511];
			c += l[(i + 13) & 511];
			d ^= l[(i + 29) & 511];
			a = a * 3 + b;
			c = c * 5 + d;
		}
		double ns = (double)(ct_now_ns() - t0) / SPEED_ITERS;
		line[(a ^ c) & 511] += d; /* the chains' results are used */
		if (best < 0 || ns < best)
			best = ns;
	}
	s->best = best;
	return NULL;
}

double ct_speed_ns(int pu, int pinned)
{
	struct speed s = {.pu = pu, .pinned = pinned, .best = -1};
	pthread_t t;

	if (pthread_create(&t, NULL, speed_main, &s) != 0)
		return -1;
	pthread_join(t, NULL);
	return s.best;
}

/* Set by the runner before it forks the benchmark's process (bench.h). */
double ct__rtt_before = -1;

double ct_rtt_before_ns(void)
{
	return ct__rtt_before;
}
