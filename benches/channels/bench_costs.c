/*
 * bench_costs.c - what waiting costs on this run's PUs, measured in a benchmark's setup
 * (outside the clock) and handed to the channels (chan_set_costs), so that their spin
 * budgets come from this machine and this placement, not from a constant:
 *   rtt_ns          the harness's cache-line round trip just before the benchmark
 *                   (ct_rtt_before_ns());
 *   wake_ns         one futex wake of a thread parked on the second PU of the placement,
 *                   from the wake call to the wakee running: half the median round trip
 *                   of 64 futex ping-pongs (both sides park at once), measured once per
 *                   process, over the rounds in which both wakes found their thread
 *                   asleep (FUTEX_WAKE woke one): in 7-9 % of runs here some rounds met a
 *                   thread not yet asleep, and the median then came out at 140-530 ns,
 *                   a cache round trip, not a wake-up; 0 (unknown) with fewer than 16;
 *   oversubscribed  the benchmark's threads outnumber the placement's PUs.
 * Every result records them (wake_ns) and the budget they gave (spin_budget_ns).
 */
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench_common.h"

#define WAKE_ROUNDS 64

struct wake_probe {
	CT_ALIGNED atomic_uint ping;
	CT_ALIGNED atomic_uint pong;
	CT_ALIGNED unsigned char pong_woke[WAKE_ROUNDS]; /* the partner's wake found main asleep */
};

static void fwait(atomic_uint *w, unsigned val)
{
	while (atomic_load_explicit(w, memory_order_acquire) == val)
		syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

/* 1 if it woke a thread parked on w */
static int fwake(atomic_uint *w)
{
	return syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == 1;
}

static void wake_partner(void *arg, int index)
{
	(void)index;
	struct wake_probe *p = arg;
	for (unsigned i = 1; i <= WAKE_ROUNDS; i++) {
		fwait(&p->ping, i - 1);
		atomic_store_explicit(&p->pong, i, memory_order_release);
		p->pong_woke[i - 1] = (unsigned char)fwake(&p->pong);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static double measure_wake_ns(ct_state *st)
{
	struct wake_probe *p = aligned_alloc(CT_PAD, sizeof(*p));
	if (!p)
		return 0;
	atomic_init(&p->ping, 0);
	atomic_init(&p->pong, 0);
	ct_team *t = ct_team_start(st, 1, 1, wake_partner, p);
	if (!t) {
		free(p);
		return 0;
	}
	ct_team_go(t);
	uint64_t rt[WAKE_ROUNDS];
	unsigned char ping_woke[WAKE_ROUNDS];
	for (unsigned i = 1; i <= WAKE_ROUNDS; i++) {
		uint64_t t0 = ct_now_ns();
		atomic_store_explicit(&p->ping, i, memory_order_release);
		ping_woke[i - 1] = (unsigned char)fwake(&p->ping);
		fwait(&p->pong, i - 1);
		rt[i - 1] = ct_now_ns() - t0;
	}
	ct_team_join(t);
	size_t n = 0;
	for (size_t i = 0; i < WAKE_ROUNDS; i++)
		if (ping_woke[i] && p->pong_woke[i])
			rt[n++] = rt[i];
	free(p);
	if (n < WAKE_ROUNDS / 4)
		return 0;
	qsort(rt, n, sizeof rt[0], cmp_u64);
	const size_t mid = n / 2;
	return (double)rt[mid] / 2.0;
}

struct chan_costs chb_costs(ct_state *st, int threads)
{
	static double wake; /* one benchmark per process: measured on its first call */
	if (wake <= 0)
		wake = measure_wake_ns(st);
	double rtt = ct_rtt_before_ns();
	return (struct chan_costs){.rtt_ns = rtt > 0 ? rtt : 0,
				   .wake_ns = wake,
				   .oversubscribed = threads > ct_placement_pus()};
}

void chb_costs_counters(ct_state *st, const struct chan_costs *k, const chan *c)
{
	ct_counter(st, "spin_budget_ns", (double)chan_spin_budget_ns(c), CT_COUNTER_PLAIN);
	if (k->oversubscribed)
		ct_counter(st, "spin_away_ns", (double)chan_spin_away_ns(c), CT_COUNTER_PLAIN);
	ct_counter(st, "wake_ns", k->wake_ns, CT_COUNTER_PLAIN);
}

void chb_rtt_per_msg(ct_state *st, double ns_per_msg)
{
	double unit = ct_rtt_before_ns();
	if (unit > 0 && ns_per_msg > 0)
		ct_counter(st, "rtt_per_msg", ns_per_msg / unit, CT_COUNTER_PLAIN);
}
