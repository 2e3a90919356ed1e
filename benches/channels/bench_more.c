/*
 * bench_more.c - the channels family beyond throughput: round-trip latency, select and
 * unbounded growth.
 *
 * chan_rtt/<impl>/cap:<C>/msg:8[/block:<policy>]: a ping on channel A, a pong on channel
 * B, one partner thread on the next PU. Stressed: a full handoff there and back, including
 * waking the partner when the policy parks. Left out: queueing (one message in flight).
 * Metric: ns per round trip (the time per iteration), latency_rtt (that time in units of
 * the cache-line round trip measured before the run, rtt_before_ns), p99_ns and p99_rtt
 * (the 99th percentile of single round trips, one in 64 timed by itself; the clock reads
 * add ~1 % to the mean), cpu_ns_per_op, and the spin budget used (spin_budget_ns).
 * Checked: every pong carries its ping's value plus one.
 *
 * chan_select/<impl>/cap:<C>/p:2/c:1/msg:8[/block:<policy>]: two channels, one producer on
 * each, the benchmark thread receiving from both with chan_select_recv until both are
 * closed. Stressed: looking at two channels per message, and waiting on both (futex_waitv
 * when the policy parks). Three threads on two PUs are oversubscribed: the second
 * producer shares the receiver's PU, so it is mostly not running while the receiver
 * looks, and the benchmark is about not spinning against it. Left out: selects over more
 * than two channels, and any work per message. Metric: messages/s, cpu_ns_per_op,
 * rtt_per_msg (ns per message over the round trip rtt_before_ns), and share_p0/share_p1:
 * the fraction of what was received from each producer up to the moment the first
 * channel was drained (each sends half, so a select that favours one channel shows it
 * here; the goal is at least 0.25 each). The spin budget is then a few round trips
 * (chan_set_costs, 4 rtt_ns, recorded as spin_budget_ns), none at all for a side whose
 * partner last waited on its own PU (it yields at once), and the wake cost (spin_away_ns)
 * for the sender on the other PU, whose receiver never waits there: it spins where it
 * parked after 4 round trips before, which took block:spinpark from 4.6-5.2 to 11.6-12.0
 * M/s (ab, q 0.020; after it, on the AMD host below, 9-15 runs at a round trip of
 * 85-170 ns: mpmc_ring spinpark 12.1 M/s, 0.64 round trips per message, spsc_ring 11.0,
 * 0.82; spin 13.0 and 12.8, 0.66 and 0.61; shares 0.66/0.34, the lowest 0.25); the
 * select takes turns of up to 64 messages from one channel and yields once when it finds
 * a channel empty whose sender waits on its PU (chan.c); it no longer yields after a streak from
 * one channel when the other's sender is known to wait on this PU, which leaves the sender on the
 * other PU, that refills while the select receives, about two thirds of the messages. On an AMD
 * EPYC family 25 model 1 (2026-12-03; 11 runs, round trip ~100 ns in 8 of them and ~400-490 in the
 * rest): block:spin spsc_ring 0.62 and mpmc_ring 0.65 round trips per message (medians of the runs
 * at ~100 ns; 12-18 M/s whatever the round trip), shares 0.66/0.34, from 8.7-8.8 M/s at 0.50/0.50
 * (the streak yield then switched to the co-located sender before its ring was drained; ab of 24
 * rounds: +48 % and +37 %, q 0.047); block:spinpark 4.3-7.6 M/s, 1.2-3.5 round trips. The
 * receiver's PU spends most of a message in sched_yield and the switch (a switch costs ~3 us here,
 * 1 per 64 messages). Figures before that change (2 vCPUs of an Intel Xeon, family 6 model 207,
 * under KVM, shared machine, 2026-12; medians of 11 runs interleaved with the code before, round
 * trip ~180 ns): block:spin spsc_ring 0.46 and mpmc_ring 0.45 round trips per message (from 0.77
 * and 0.85), shares 0.49/0.51 and 0.50/0.50 (from 0.65/0.35); block:spinpark 2.5 and 1.9
 * (from 4.6). Most of it is the receiver's CPU time: the kinds' operations compiled into chan.c's
 * dispatch with a fixed-size copy (a select costs 28 ns on one thread, 66 before), the rest the
 * turns and the yield. The rendezvous rows are not held to the goal: 8 round trips per message at
 * block:spin (from 16), shares 0.50/0.50 (no turns with a rendezvous: with them
 * 0.17/0.83). Checked: count and checksums, and each message came from the channel its
 * producer sent it on.
 * On a quiet host (AMD EPYC family 25 model 1, 2026-12-04, load 0.0-0.3; 5 runs of 7
 * repetitions, round trip 89-116 ns): mpmc_ring spin 0.47 and spinpark 0.56, spsc_ring spin
 * 0.53 and spinpark 0.59 round trips per message (the median of the runs' medians), the
 * smaller sender's share 0.33-0.34; the same build under 1-17 % host steal (2026-12-03) gave
 * 0.62-0.85. On an AMD EPYC family 25 model 17 (2026-12-04 evening, 3 runs of 7, round trip
 * ~53 ns in 17-20 undisturbed runs a row): 22.3-24.2 M/s, 0.82-0.86 round trips per message
 * (mpmc_ring spin 0.82, spinpark 0.83; spsc_ring 0.83, 0.86), shares 0.33-0.34: more
 * messages per second than at ~100 ns, more round trips per message. A sched_yield comes
 * every ~55 messages (perf stat: 118 k for 6.5 M), and the yield and the switch are ~30 %
 * of the samples (perf record).
 *
 * chan_growth/<impl>/cap:<C>/msg:8[/block:<policy>]: one producer sending as fast as it
 * can to a consumer that does a little work per message. An unbounded channel grows; a
 * bounded one holds the producer back. Metric: peak_msgs (the largest backlog the producer
 * saw, sampled every 64 sends) and peak_bytes (that times the bytes one queued message
 * occupies: its slot, or its node with malloc's header), beside messages/s. Checked: count
 * and checksums.
 */
#include "bench_common.h"

/* ---- round trip ------------------------------------------------------------------------- */

#define RTT_SAMPLE_EVERY 64 /* round trips: one in 64 is timed by itself (for p99) */
#define RTT_SAMPLES	 32768

struct rtt_run {
	chan *a, *b;
	void (*partner)(struct rtt_run *r);
	uint64_t partner_cpu_ns;
	uint32_t *sample; /* ns of single round trips */
	size_t nsample;
};

CH_INLINE void rtt_partner(int kind, struct rtt_run *r)
{
	uint64_t msg = 0, c0 = chb_thread_cpu_ns();
	while (ch_recv_k(kind, 8, r->a, &msg, CH_FOREVER) == CH_OK) {
		msg++;
		if (ch_send_k(kind, 8, r->b, &msg, CH_FOREVER) != CH_OK)
			break;
	}
	r->partner_cpu_ns = chb_thread_cpu_ns() - c0;
}

CH_INLINE int64_t rtt_main(int kind, struct rtt_run *r, int64_t n)
{
	int64_t bad = 0;
	for (int64_t i = 0; i < n; i++) {
		uint64_t msg = (uint64_t)i, ts = 0;
		if (i % RTT_SAMPLE_EVERY == 0)
			ts = ct_now_ns();
		if (ch_send_k(kind, 8, r->a, &msg, CH_FOREVER) != CH_OK ||
		    ch_recv_k(kind, 8, r->b, &msg, CH_FOREVER) != CH_OK) {
			bad += n - i;
			break;
		}
		if (ts && r->nsample < RTT_SAMPLES) {
			uint64_t d = ct_now_ns() - ts;
			r->sample[r->nsample++] = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
		}
		bad += msg != (uint64_t)i + 1;
	}
	return bad;
}

#define RTT_FNS(K)                                                                                 \
	static void rtt_partner_##K(struct rtt_run *r)                                             \
	{                                                                                          \
		rtt_partner(K, r);                                                                 \
	}                                                                                          \
	static int64_t rtt_main_##K(struct rtt_run *r, int64_t n)                                  \
	{                                                                                          \
		return rtt_main(K, r, n);                                                          \
	}
RTT_FNS(CH_MUTEX_RING)
RTT_FNS(CH_MPMC_RING)
RTT_FNS(CH_SPSC_RING)
RTT_FNS(CH_MPSC_LIST)
RTT_FNS(CH_MUTEX_LIST)
RTT_FNS(CH_RENDEZVOUS)
#define RTT_ROW(K) [K] = {rtt_partner_##K, rtt_main_##K}
static const struct {
	void (*partner)(struct rtt_run *r);
	int64_t (*main)(struct rtt_run *r, int64_t n);
} rtt_fns[CH_NKINDS] = {
    RTT_ROW(CH_MUTEX_RING), RTT_ROW(CH_MPMC_RING),  RTT_ROW(CH_SPSC_RING),
    RTT_ROW(CH_MPSC_LIST),  RTT_ROW(CH_MUTEX_LIST), RTT_ROW(CH_RENDEZVOUS),
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void rtt_member(void *arg, int index)
{
	(void)index;
	struct rtt_run *r = arg;
	r->partner(r);
}

static void bench_rtt(ct_state *st, void *ctx)
{
	const struct chb_cfg *cfg = ctx;
	struct rtt_run r = {0};
	r.a = chan_create(cfg->kind, cfg->cap, 8, cfg->block);
	r.b = chan_create(cfg->kind, cfg->cap, 8, cfg->block);
	r.sample = calloc(RTT_SAMPLES, sizeof(*r.sample)); /* touched: no faults when timed */
	if (!r.a || !r.b || !r.sample) {
		free(r.sample);
		ct_skip_error(st, "chan_create refused this configuration");
		chan_destroy(r.a);
		chan_destroy(r.b);
		return;
	}
	struct chan_costs k = chb_costs(st, 2);
	chan_set_costs(r.a, &k);
	chan_set_costs(r.b, &k);
	r.partner = rtt_fns[cfg->kind].partner;
	ct_team *team = ct_team_start(st, 1, 1, rtt_member, &r);
	ct_team_go(team);

	uint64_t c0 = chb_thread_cpu_ns();
	int64_t n = ct_begin(st);
	uint64_t t0 = ct_now_ns();
	int64_t bad = rtt_fns[cfg->kind].main(&r, n);
	uint64_t t1 = ct_now_ns();
	ct_end(st);
	uint64_t cpu = chb_thread_cpu_ns() - c0;
	chan_close(r.a);
	ct_team_join(team);

	if (bad) {
		char err[120];
		snprintf(err, sizeof err, "%lld of %lld round trips came back wrong",
			 (long long)bad, (long long)n);
		ct_skip_error(st, err);
	} else if (n > 0) {
		double ns = (double)(t1 - t0) / (double)n, unit = ct_rtt_before_ns();
		ct_counter(st, "cpu_ns_per_op", (double)(cpu + r.partner_cpu_ns) / (double)n,
			   CT_COUNTER_PLAIN);
		if (unit > 0)
			ct_counter(st, "latency_rtt", ns / unit, CT_COUNTER_PLAIN);
		if (r.nsample) {
			qsort(r.sample, r.nsample, sizeof(*r.sample), cmp_u32);
			const size_t at99 = (r.nsample - 1) * 99 / 100;
			double p99 = r.sample[at99];
			ct_counter(st, "p99_ns", p99, CT_COUNTER_PLAIN);
			if (unit > 0)
				ct_counter(st, "p99_rtt", p99 / unit, CT_COUNTER_PLAIN);
		}
		ct_items_processed(st, n);
		chb_costs_counters(st, &k, r.a);
	}
	chan_destroy(r.a);
	chan_destroy(r.b);
	free(r.sample);
}

/* ---- select ------------------------------------------------------------------------------ */

struct sel_run {
	chan *ch[2];
	int64_t n;
	struct chb_tally prod_t[2];
};

static void sel_producer(void *arg, int id)
{
	struct sel_run *r = arg;
	uint64_t msg = 0;
	struct chb_tally t = {0};
	int64_t share = r->n / 2 + (id < r->n % 2);
	uint64_t c0 = chb_thread_cpu_ns();
	for (int64_t s = 0; s < share; s++) {
		msg = chb_value(id, (uint64_t)s);
		if (chan_send(r->ch[id], &msg) != CH_OK) {
			t.errors++;
			break;
		}
		chb_tally_add(&t, msg);
	}
	t.cpu_ns = chb_thread_cpu_ns() - c0;
	r->prod_t[id] = t;
	chan_close(r->ch[id]);
}

static void bench_select(ct_state *st, void *ctx)
{
	const struct chb_cfg *cfg = ctx;
	struct sel_run r = {0};
	r.ch[0] = chan_create(cfg->kind, cfg->cap, 8, cfg->block);
	r.ch[1] = chan_create(cfg->kind, cfg->cap, 8, cfg->block);
	if (!r.ch[0] || !r.ch[1]) {
		ct_skip_error(st, "chan_create refused this configuration");
		chan_destroy(r.ch[0]);
		chan_destroy(r.ch[1]);
		return;
	}
	struct chan_costs k = chb_costs(st, 3);
	chan_set_costs(r.ch[0], &k);
	chan_set_costs(r.ch[1], &k);
	ct_team *team = ct_team_start(st, 2, 1, sel_producer, &r);
	struct chb_tally t = {0};
	uint64_t msg, from[2] = {0}, at_drain[2] = {0};
	int which, res;

	int64_t n = ct_begin(st);
	uint64_t t0 = ct_now_ns();
	r.n = n;
	/* each producer's share; the first channel drained fixes the shares */
	uint64_t share[2] = {(uint64_t)(n / 2 + (n % 2 > 0)), (uint64_t)(n / 2)}, drained = 0;
	ct_team_go(team);
	uint64_t c0 = chb_thread_cpu_ns();
	while ((res = chan_select_recv(r.ch[0], r.ch[1], &msg, UINT64_MAX, &which)) == CH_OK) {
		t.errors += (msg >> CHB_ID_SHIFT) != (uint64_t)which + 1;
		if (++from[which] == share[which] && !drained++) {
			at_drain[0] = from[0];
			at_drain[1] = from[1];
		}
		chb_tally_add(&t, msg);
	}
	t.cpu_ns = chb_thread_cpu_ns() - c0;
	uint64_t t1 = ct_now_ns();
	ct_end(st);
	ct_team_join(team);

	uint64_t sent = r.prod_t[0].count + r.prod_t[1].count;
	if (res != CH_CLOSED || t.errors || r.prod_t[0].errors || r.prod_t[1].errors ||
	    sent != (uint64_t)n || t.count != sent || t.sum != r.prod_t[0].sum + r.prod_t[1].sum ||
	    t.xr != (r.prod_t[0].xr ^ r.prod_t[1].xr)) {
		char err[160];
		snprintf(err, sizeof err,
			 "wrong select: sent %llu of %lld, received %llu, %llu from the wrong "
			 "channel, ended with %s",
			 (unsigned long long)sent, (long long)n, (unsigned long long)t.count,
			 (unsigned long long)t.errors, chan_result_name(res));
		ct_skip_error(st, err);
	} else {
		ct_items_processed(st, n);
		if (n)
			ct_counter(st, "cpu_ns_per_op",
				   (double)(t.cpu_ns + r.prod_t[0].cpu_ns + r.prod_t[1].cpu_ns) /
				       (double)n,
				   CT_COUNTER_PLAIN);
		chb_costs_counters(st, &k, r.ch[0]);
		double both = (double)(at_drain[0] + at_drain[1]);
		if (both > 0) {
			ct_counter(st, "share_p0", (double)at_drain[0] / both, CT_COUNTER_PLAIN);
			ct_counter(st, "share_p1", (double)at_drain[1] / both, CT_COUNTER_PLAIN);
		}
		chb_rtt_per_msg(st, (double)(t1 - t0) / (double)n);
	}
	chan_destroy(r.ch[0]);
	chan_destroy(r.ch[1]);
}

/* ---- growth -------------------------------------------------------------------------------- */

#define GROWTH_WORK 16 /* cpu-relax instructions per received message */

struct growth_run {
	chan *ch;
	int64_t n;
	CT_ALIGNED atomic_uint_fast64_t received;
	CT_ALIGNED uint64_t peak;
	uint64_t backlog, t0, t1; /* at the last send: messages not yet received, and when */
	struct chb_tally prod_t;
};

static void growth_producer(void *arg, int id)
{
	(void)id;
	struct growth_run *r = arg;
	struct chb_tally t = {0};
	uint64_t peak = 0;
	r->t0 = ct_now_ns();
	for (int64_t s = 0; s < r->n; s++) {
		uint64_t msg = chb_value(0, (uint64_t)s);
		if (chan_send(r->ch, &msg) != CH_OK) {
			t.errors++;
			break;
		}
		chb_tally_add(&t, msg);
		if ((s & 63) == 63) {
			uint64_t back = (uint64_t)s + 1 -
					atomic_load_explicit(&r->received, memory_order_relaxed);
			if (back > peak)
				peak = back;
		}
	}
	r->t1 = ct_now_ns();
	r->backlog = t.count - atomic_load_explicit(&r->received, memory_order_relaxed);
	r->peak = peak;
	r->prod_t = t;
	chan_close(r->ch);
}

static void bench_growth(ct_state *st, void *ctx)
{
	const struct chb_cfg *cfg = ctx;
	struct growth_run *r = aligned_alloc(CT_PAD, (sizeof(*r) + CT_PAD - 1) / CT_PAD * CT_PAD);
	if (!r || !(r->ch = chan_create(cfg->kind, cfg->cap, 8, cfg->block))) {
		ct_skip_error(st, "chan_create refused this configuration");
		free(r);
		return;
	}
	atomic_init(&r->received, 0);
	r->peak = 0;
	memset(&r->prod_t, 0, sizeof(r->prod_t));
	struct chan_costs k = chb_costs(st, 2);
	chan_set_costs(r->ch, &k);
	ct_team *team = ct_team_start(st, 1, 1, growth_producer, r);
	struct chb_tally t = {0};
	uint64_t msg;

	int64_t n = ct_begin(st);
	r->n = n;
	ct_team_go(team);
	while (chan_recv(r->ch, &msg) == CH_OK) {
		chb_tally_add(&t, msg);
		for (int i = 0; i < GROWTH_WORK; i++)
			ct_cpu_relax();
		if ((t.count & 63) == 0)
			atomic_store_explicit(&r->received, t.count, memory_order_relaxed);
	}
	ct_end(st);
	ct_team_join(team);

	if (r->prod_t.errors || r->prod_t.count != (uint64_t)n || t.count != r->prod_t.count ||
	    t.sum != r->prod_t.sum || t.xr != r->prod_t.xr) {
		char err[120];
		snprintf(err, sizeof err, "wrong transfer: sent %llu of %lld, received %llu",
			 (unsigned long long)r->prod_t.count, (long long)n,
			 (unsigned long long)t.count);
		ct_skip_error(st, err);
	} else {
		ct_items_processed(st, n);
		ct_counter(st, "peak_msgs", (double)r->peak, CT_COUNTER_PLAIN);
		ct_counter(st, "peak_bytes", (double)r->peak * (double)chan_msg_footprint(r->ch),
			   CT_COUNTER_PLAIN);
		/* the growth rate: the backlog the producer left when it finished, over the time
		 * it took (a bounded channel's stays below cap / time: it does not grow) */
		double secs = r->t1 > r->t0 ? (double)(r->t1 - r->t0) / 1e9 : 0;
		if (secs > 0) {
			double rate = (double)r->backlog / secs;
			ct_counter(st, "growth_msgs_per_sec", rate, CT_COUNTER_PLAIN);
			ct_counter(st, "growth_bytes_per_sec",
				   rate * (double)chan_msg_footprint(r->ch), CT_COUNTER_PLAIN);
		}
		chb_costs_counters(st, &k, r->ch);
	}
	chan_destroy(r->ch);
	free(r);
}

/* ---- registration ------------------------------------------------------------------------- */

static void reg(const char *workload, ct_fn fn, struct chb_cfg c, int shape, unsigned flags,
		const char *what)
{
	char summary[200];
	struct chb_vals v;
	ct_def d = {.workload = workload,
		    .strategy = chan_kind_name(c.kind),
		    .summary = summary,
		    .fn = fn,
		    .ctx = chb_cfg_dup(c),
		    .flags = CT_REAL_TIME | flags};

	struct chb_cfg named = c;
	named.msz = 8; /* these workloads move 8-byte messages */
	chb_params(&named, shape, &v, d.params);
	snprintf(summary, sizeof summary, "%s over %s channels", what, chan_kind_name(c.kind));
	ct_register(&d);
}

void chb_register_views(void)
{
	ct_register_view(
	    &(ct_view){.workload = "chan_rtt",
		       .section = "Channels",
		       .title = "channel round trip",
		       .question = "Which channel hands one message over and back fastest?",
		       .x = "cap",
		       .x_label = "capacity (messages)",
		       .series = "block",
		       .metric = "real_time",
		       .metric_label = "round trip",
		       .lower_is_better = 1,
		       .baseline = "mutex_ring",
		       .flags = CT_VIEW_OWN_THREADS});
	ct_register_view(&(ct_view){.workload = "chan_select",
				    .section = "Channels",
				    .title = "select over two channels",
				    .question =
					"Which channel serves a receiver that selects over two "
					"channels best?",
				    .x = "cap",
				    .x_label = "capacity (messages)",
				    .series = "block",
				    .metric = "items_per_second",
				    .metric_label = "messages per second",
				    .baseline = "mutex_ring",
				    .flags = CT_VIEW_OWN_THREADS});
	ct_register_view(&(ct_view){.workload = "chan_growth",
				    .section = "Channels",
				    .title = "unbounded growth",
				    .question =
					"How fast does a backlog build when the consumer is "
					"slower than the producer?",
				    .x = "cap",
				    .x_label = "capacity (messages)",
				    .series = "block",
				    .metric = "items_per_second",
				    .metric_label = "messages per second",
				    .baseline = "mutex_ring",
				    .flags = CT_VIEW_OWN_THREADS});
}

static size_t small_cap(int kind, size_t ring)
{
	if (kind == CH_RENDEZVOUS)
		return 0;
	if (kind == CH_MPSC_LIST || kind == CH_MUTEX_LIST)
		return CH_UNBOUNDED;
	return ring;
}

void chb_register_more(void)
{
	static const int blocks[] = {CH_SPIN, CH_SPINPARK, CH_PARK};
	for (int k = 0; k < CH_NKINDS; k++) {
		int nb = chan_kind_has_block(k) ? 3 : 1;
		for (int bi = 0; bi < nb; bi++) {
			struct chb_cfg c = {.kind = k,
					    .block = nb > 1 ? blocks[bi] : CH_PARK,
					    .p = 1,
					    .c = 1,
					    .msz = 8,
					    .cap = small_cap(k, 1)};
			unsigned q = (k == CH_MPMC_RING && c.block == CH_SPIN) || k == CH_MUTEX_RING
					 ? CT_QUICK
					 : 0;
			reg("chan_rtt", bench_rtt, c, 0, q | CT_DEFAULT,
			    "round trip, ping on one channel and pong on another,");

			c.p = 2;
			c.cap = small_cap(k, 64);
			q = k == CH_MPMC_RING && c.block == CH_SPINPARK ? CT_QUICK : 0;
			/* three threads: oversubscribed on 2 PUs, where spinning measures the
			 * scheduler */
			unsigned d = c.block != CH_SPIN &&
					     (c.block != CH_PARK || nb == 1 || k == CH_MPMC_RING)
					 ? CT_DEFAULT
					 : 0;
			reg("chan_select", bench_select, c, 1, q | d,
			    "select over two channels, one producer each,");

			if (k == CH_SPSC_RING || k == CH_RENDEZVOUS || c.block == CH_SPIN)
				continue;
			c.p = 1;
			c.cap = small_cap(k, 1024);
			q = k == CH_MPSC_LIST && c.block == CH_SPINPARK ? CT_QUICK : 0;
			d = c.block != CH_PARK || nb == 1 ? CT_DEFAULT : 0;
			reg("chan_growth", bench_growth, c, 0, q | d,
			    "peak backlog of a fast producer and a slow consumer");
		}
	}
}
