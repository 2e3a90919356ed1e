/*
 * bench_throughput.c - the channels family: messages per second through one channel.
 *
 * chan_<impl>/cap:<C>/p:<P>/c:<Q>/msg:<B>[/block:<policy>]: P producers send n messages in
 * all (each its share, as fast as the channel takes them) while Q consumers receive until
 * the channel is closed and drained; the last producer closes it. The benchmark thread is
 * consumer 0; the other P+Q-1 are a pinned team, so p:1/c:1 uses two PUs and anything
 * larger is oversubscribed on a 2-PU machine (the result says so). The clock runs over the
 * whole transfer. Stressed: the channel's handoff, its indices' cache lines moving between
 * producer and consumer cores, and waiting when it is full or empty (the blocking policy).
 * Left out: any work per message, allocation outside the channel (the lists allocate a
 * node per message, which is their real cost). Metric: messages/s (items_per_second),
 * cpu_ns_per_op, the CPU time of all participants per message, which shows what spinning
 * costs beyond the wall clock, and rtt_per_msg, the time per message in round trips
 * (rtt_before_ns). Each result also records spin_budget_ns and wake_ns (bench_costs.c). After the
 * clock stops every message is checked: the count, a sum and a hash-xor of the values equal what
 * the producers sent, each producer's messages arrived in order at each consumer, and 64-byte
 * messages arrived whole. Where the hardware makes variants cost the same: spin and spin-then-park
 * differ only by the full fence each operation pays to see parked waiters (an mfence-class barrier
 * on x86, dmb on Arm) until a wait outlasts the spin budget (spin_budget_ns: chan_set_costs
 * from the measured wake-up, round trip and oversubscription); after that, spin-then-park
 * costs what park costs. The mutex kinds have no policy segment: they always park.
 */
#include "bench_common.h"

struct tput_run;
typedef void (*tput_fn)(struct tput_run *r, int id);

struct tput_run {
	chan *ch;
	const struct chb_cfg *cfg;
	int64_t n;
	tput_fn prod, cons;
	CT_ALIGNED atomic_int producers_left;
	CT_ALIGNED atomic_int consumers_done;
	struct chb_tally prod_t[CHB_MAX_SIDE], cons_t[CHB_MAX_SIDE];
};

CH_INLINE void produce(int kind, size_t msz, struct tput_run *r, int id)
{
	uint64_t msg[CH_MSG_MAX / 8] = {0};
	int p = r->cfg->p;
	int64_t share = r->n / p + (id < r->n % p);
	struct chb_tally t = {0};
	uint64_t c0 = chb_thread_cpu_ns();
	for (int64_t s = 0; s < share; s++) {
		uint64_t v = chb_value(id, (uint64_t)s);
		msg[0] = v;
		if (msz > 8)
			msg[msz / 8 - 1] = ~v;
		if (ch_send_k(kind, msz, r->ch, msg, CH_FOREVER) != CH_OK) {
			t.errors++;
			break;
		}
		chb_tally_add(&t, v);
	}
	t.cpu_ns = chb_thread_cpu_ns() - c0;
	r->prod_t[id] = t;
	if (atomic_fetch_sub(&r->producers_left, 1) == 1)
		chan_close(r->ch);
}

CH_INLINE void consume(int kind, size_t msz, struct tput_run *r, int id)
{
	uint64_t msg[CH_MSG_MAX / 8] = {0}; /* zeroed: a false -Wmaybe-uninitialized */
	uint64_t next[CHB_MAX_SIDE] = {0};  /* lowest sequence number still allowed */
	unsigned p = (unsigned)r->cfg->p;
	struct chb_tally t = {0};
	uint64_t c0 = chb_thread_cpu_ns();
	while (ch_recv_k(kind, msz, r->ch, msg, CH_FOREVER) == CH_OK) {
		uint64_t v = msg[0];
		unsigned pid = (unsigned)(v >> CHB_ID_SHIFT) - 1;
		uint64_t s = v & ((UINT64_C(1) << CHB_ID_SHIFT) - 1);
		if (pid >= p || s < next[pid] || (msz > 8 && msg[msz / 8 - 1] != ~v))
			t.errors++;
		else
			next[pid] = s + 1;
		chb_tally_add(&t, v);
	}
	t.cpu_ns = chb_thread_cpu_ns() - c0;
	r->cons_t[id] = t;
	atomic_fetch_add_explicit(&r->consumers_done, 1, memory_order_release);
}

/* One producer and one consumer function per kind and message size, each compiled with
 * both as constants and everything they call compiled into them (flatten): the loops run
 * the channel's own code with a fixed-size copy, nothing through a pointer. (Left to
 * itself gcc kept one outlined copy of a kind's receive for both sizes, whose copy was
 * a rep movs: a tenth of the rendezvous receiver's time.) */
#define TPUT_FNS(K, M)                                                                             \
	__attribute__((flatten)) static void prod_##K##_##M(struct tput_run *r, int id)            \
	{                                                                                          \
		produce(K, M, r, id);                                                              \
	}                                                                                          \
	__attribute__((flatten)) static void cons_##K##_##M(struct tput_run *r, int id)            \
	{                                                                                          \
		consume(K, M, r, id);                                                              \
	}
#define TPUT_KIND(K) TPUT_FNS(K, 8) TPUT_FNS(K, 64)
TPUT_KIND(CH_MUTEX_RING)
TPUT_KIND(CH_MPMC_RING)
TPUT_KIND(CH_SPSC_RING)
TPUT_KIND(CH_MPSC_LIST)
TPUT_KIND(CH_MUTEX_LIST)
TPUT_KIND(CH_RENDEZVOUS)

#define TPUT_ROW(K) [K] = {{prod_##K##_8, cons_##K##_8}, {prod_##K##_64, cons_##K##_64}}
static const tput_fn tput_fns[CH_NKINDS][2][2] = {
    TPUT_ROW(CH_MUTEX_RING), TPUT_ROW(CH_MPMC_RING),  TPUT_ROW(CH_SPSC_RING),
    TPUT_ROW(CH_MPSC_LIST),  TPUT_ROW(CH_MUTEX_LIST), TPUT_ROW(CH_RENDEZVOUS),
};

static void tput_member(void *arg, int index)
{
	struct tput_run *r = arg;
	if (index < r->cfg->p)
		r->prod(r, index);
	else
		r->cons(r, index - r->cfg->p + 1);
}

static struct chb_tally tally_sum(const struct chb_tally *t, int k)
{
	struct chb_tally s = {0};
	for (int i = 0; i < k; i++) {
		s.count += t[i].count;
		s.sum += t[i].sum;
		s.xr ^= t[i].xr;
		s.errors += t[i].errors;
		s.cpu_ns += t[i].cpu_ns;
	}
	return s;
}

static void bench_tput(ct_state *st, void *ctx)
{
	const struct chb_cfg *cfg = ctx;
	struct tput_run *r = aligned_alloc(CT_PAD, (sizeof(*r) + CT_PAD - 1) / CT_PAD * CT_PAD);
	if (!r) {
		ct_skip_error(st, "out of memory");
		return;
	}
	memset(r, 0, sizeof(*r));
	r->cfg = cfg;
	r->prod = tput_fns[cfg->kind][cfg->msz == 64][0];
	r->cons = tput_fns[cfg->kind][cfg->msz == 64][1];
	atomic_init(&r->producers_left, cfg->p);
	atomic_init(&r->consumers_done, 0);
	if (!(r->ch = chan_create(cfg->kind, cfg->cap, cfg->msz, cfg->block))) {
		ct_skip_error(st, "chan_create refused this configuration");
		free(r);
		return;
	}
	struct chan_costs k = chb_costs(st, cfg->p + cfg->c);
	chan_set_costs(r->ch, &k);
	ct_team *team = ct_team_start(st, cfg->p + cfg->c - 1, 1, tput_member, r);

	int64_t n = ct_begin(st);
	uint64_t t0 = ct_now_ns();
	r->n = n; /* the team reads it after the gate opens (release/acquire) */
	ct_team_go(team);
	r->cons(r, 0);
	ct_spinwait w = CT_SPINWAIT_INIT;
	while (atomic_load_explicit(&r->consumers_done, memory_order_acquire) < cfg->c)
		ct_spinwait_step(&w);
	uint64_t t1 = ct_now_ns();
	ct_end(st);
	ct_team_join(team);

	struct chb_tally p = tally_sum(r->prod_t, cfg->p), c = tally_sum(r->cons_t, cfg->c);
	char err[200];
	if (p.errors || c.errors || p.count != (uint64_t)n || c.count != p.count ||
	    c.sum != p.sum || c.xr != p.xr) {
		snprintf(err, sizeof err,
			 "wrong transfer: sent %llu of %lld, received %llu, checksums %s, "
			 "%llu send errors, %llu bad or out-of-order messages",
			 (unsigned long long)p.count, (long long)n, (unsigned long long)c.count,
			 c.sum == p.sum && c.xr == p.xr ? "equal" : "differ",
			 (unsigned long long)p.errors, (unsigned long long)c.errors);
		ct_skip_error(st, err);
	} else {
		ct_items_processed(st, n);
		ct_counter(st, "cpu_ns_per_op", n ? (double)(p.cpu_ns + c.cpu_ns) / (double)n : 0,
			   CT_COUNTER_PLAIN);
		chb_costs_counters(st, &k, r->ch);
		chb_rtt_per_msg(st, n ? (double)(t1 - t0) / (double)n : 0);
	}
	chan_destroy(r->ch);
	free(r);
}

/* ---- the sweep and the profiles --------------------------------------------------------- */

static const size_t ring_caps[] = {1, 16, 64, 256, 1024};
static const int shapes[][2] = {{1, 1}, {2, 1}, {2, 2}};

static unsigned tput_profile(const struct chb_cfg *c)
{
	int k = c->kind, b = c->block, one = c->p == 1 && c->c == 1;
	int m8 = c->msz == 8, cap64 = c->cap == 64;
	unsigned f = 0;

	/* quick: each implementation once, the SPSC ring at 1024 against the mutex ring, and
	 * one contended MPMC shape */
	if (m8 && one &&
	    ((k == CH_MUTEX_RING && (cap64 || c->cap == 1024)) ||
	     (k == CH_MPMC_RING &&
	      ((cap64 && b == CH_SPINPARK) || (c->cap == 1024 && b == CH_SPIN))) ||
	     (k == CH_SPSC_RING && c->cap == 1024 && b == CH_SPIN) || (k == CH_MUTEX_LIST) ||
	     (k == CH_RENDEZVOUS && b == CH_SPINPARK)))
		f |= CT_QUICK;
	if (m8 && k == CH_MPSC_LIST && c->p == 2 && b == CH_SPINPARK)
		f |= CT_QUICK;
	if (m8 && k == CH_MPMC_RING && cap64 && c->p == 2 && c->c == 2 && b == CH_SPINPARK)
		f |= CT_QUICK;

	/* default: the capacity sweep at 1:1 for the rings, shapes and 64-byte messages at
	 * capacity 64, every policy where it decides the result */
	int d = 0;
	switch (k) {
	case CH_MUTEX_RING:
		d = (m8 && one) || cap64;
		break;
	case CH_MPMC_RING:
		d = (m8 && one && b != CH_PARK) || (cap64 && b == CH_SPINPARK) ||
		    (m8 && one && b == CH_PARK && (cap64 || c->cap == 1024));
		break;
	case CH_SPSC_RING:
		d = (m8 && b != CH_PARK) || (cap64 && b == CH_PARK) || (cap64 && b == CH_SPIN);
		break;
	case CH_RENDEZVOUS:
	case CH_MPSC_LIST:
		d = m8 && (one || b == CH_SPINPARK);
		break;
	case CH_MUTEX_LIST:
		d = m8;
		break;
	}
	return d || (f & CT_QUICK) ? f | CT_DEFAULT : f;
}

static void reg_tput(struct chb_cfg c)
{
	char summary[200];
	struct chb_vals v;
	ct_def d = {
	    .workload = "chan_throughput",
	    .strategy = chan_kind_name(c.kind),
	    .summary = summary,
	    .fn = bench_tput,
	    .ctx = chb_cfg_dup(c),
	    .flags = CT_REAL_TIME | tput_profile(&c),
	};
	chb_params(&c, 1, &v, d.params);
	snprintf(summary, sizeof summary,
		 "%s channel throughput, %d producer(s) to %d consumer(s), %zu-byte messages",
		 chan_kind_name(c.kind), c.p, c.c, c.msz);
	ct_register(&d);
}

void ct_register_channels(void)
{
	ct_register_view(&(ct_view){
	    .workload = "chan_throughput",
	    .section = "Channels",
	    .title = "channel throughput",
	    .question = "Which channel moves messages fastest for this shape (producers, "
			"consumers, message size), by capacity?",
	    .x = "cap",
	    .x_label = "capacity (messages)",
	    .series = "block",
	    .metric = "items_per_second",
	    .metric_label = "messages per second",
	    .baseline = "mutex_ring",
	    .limits = "limit_line_publish",
	    .limit_bound = "a ring that publishes every message to its receiver",
	    .flags = CT_VIEW_OWN_THREADS,
	    .notes = "Producers and consumers are the benchmark's own pinned threads; every "
		     "message is checked after the clock stops (count, sum, order per "
		     "producer). block: is how a side waits: spin, spin then park, or park."});
	chb_register_views();
	static const size_t sizes[] = {8, 64};
	static const int blocks[] = {CH_SPIN, CH_SPINPARK, CH_PARK};
	for (int k = 0; k < CH_NKINDS; k++) {
		int nb = chan_kind_has_block(k) ? 3 : 1;
		for (size_t ci = 0; ci < sizeof ring_caps / sizeof ring_caps[0]; ci++) {
			size_t cap = ring_caps[ci];
			if (k == CH_RENDEZVOUS || k == CH_MPSC_LIST || k == CH_MUTEX_LIST) {
				if (ci > 0)
					break;
				cap = k == CH_RENDEZVOUS ? 0 : CH_UNBOUNDED;
			}
			for (size_t si = 0; si < 3; si++) {
				int p = shapes[si][0], q = shapes[si][1];
				if ((p > 1 && !chan_kind_multi_producer(k)) ||
				    (q > 1 && !chan_kind_multi_consumer(k)))
					continue;
				for (int mi = 0; mi < 2; mi++)
					for (int bi = 0; bi < nb; bi++)
						reg_tput((struct chb_cfg){
						    .kind = k,
						    .block = nb > 1 ? blocks[bi] : CH_PARK,
						    .p = p,
						    .c = q,
						    .cap = cap,
						    .msz = sizes[mi]});
			}
		}
	}
	chb_register_more();
	chb_register_peers();
}
