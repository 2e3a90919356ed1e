/*
 * bench_peers.c - rows of the channel throughput workload that are not the family's
 * channels: references measured in the same run.
 *
 * chan_ck_ring_spsc/cap:<C>/p:1/c:1/msg:8/block:spin, chan_ck_ring_mpmc/cap:<C>/p:<P>/c:<Q>/
 * msg:8/block:spin: Concurrency Kit's ck_ring (chan_ck.h), the published form of the
 * designs of spsc_ring and mpmc_ring. A visible skip when the build has no libck.
 *
 * chan_limit_line_publish/cap:<C>/p:1/c:1/msg:8/block:spin: the limit probe of the SPSC
 * shape (spsc_limit.h), a ring that publishes its index once per 64-byte line of slots. It
 * is a ceiling, not a channel (a lone message is never seen): the report draws it as the
 * line the SPSC rows are held against.
 *
 * Same shape, checks and counters as bench_throughput.c: P producers send n messages in
 * all, the benchmark thread is consumer 0, the clock runs over the whole transfer; after
 * it the count, a sum and a hash-xor of the values must equal what was sent and each
 * producer's messages must have arrived in order. These rings have no close and no
 * blocking: both sides spin (ct_spinwait) on full and empty (the limit probe's consumer
 * waits 4 round trips between looks at an empty ring), and the consumers stop when
 * the last producer has set `done` and the ring is empty. Stressed: the rings' index and
 * slot lines moving between the cores. Left out: waiting policies, 64-byte messages (the
 * rings hold pointer-sized values). Metric: messages/s, cpu_ns_per_op (CPU time of all
 * participants per message) and rtt_per_msg (time per message in round trips).
 */
#include "bench_common.h"
#include "chan_ck.h"
#include "spsc_limit.h"

struct peer_run {
	void *q;
	int p, c;
	unsigned slip; /* extra pauses between the consumer's looks at an empty ring */
	int64_t n;
	void (*prod)(struct peer_run *r, int id);
	void (*cons)(struct peer_run *r, int id);
	CT_ALIGNED atomic_int producers_left;
	CT_ALIGNED atomic_int done; /* every producer has sent all (and flushed) */
	CT_ALIGNED atomic_int consumers_done;
	struct chb_tally prod_t[CHB_MAX_SIDE], cons_t[CHB_MAX_SIDE];
};

/* One producer and one consumer per ring, its try operations compiled in (no call
 * through a pointer inside the loops). FLUSH runs once after a producer's last send. */
#define PEER_FNS(NAME, QT, TRY_SEND, TRY_RECV, FLUSH)                                              \
	static void peer_prod_##NAME(struct peer_run *r, int id)                                   \
	{                                                                                          \
		QT *q = r->q;                                                                      \
		int64_t share = r->n / r->p + (id < r->n % r->p);                                  \
		struct chb_tally t = {0};                                                          \
		uint64_t c0 = chb_thread_cpu_ns();                                                 \
		for (int64_t s = 0; s < share; s++) {                                              \
			uint64_t v = chb_value(id, (uint64_t)s);                                   \
			if (!TRY_SEND(q, v)) {                                                     \
				ct_spinwait w = CT_SPINWAIT_INIT;                                  \
				do                                                                 \
					ct_spinwait_step(&w);                                      \
				while (!TRY_SEND(q, v));                                           \
			}                                                                          \
			chb_tally_add(&t, v);                                                      \
		}                                                                                  \
		FLUSH(q);                                                                          \
		t.cpu_ns = chb_thread_cpu_ns() - c0;                                               \
		r->prod_t[id] = t;                                                                 \
		if (atomic_fetch_sub(&r->producers_left, 1) == 1)                                  \
			atomic_store_explicit(&r->done, 1, memory_order_release);                  \
	}                                                                                          \
	static void peer_cons_##NAME(struct peer_run *r, int id)                                   \
	{                                                                                          \
		QT *q = r->q;                                                                      \
		uint64_t next[CHB_MAX_SIDE] = {0}, v;                                              \
		unsigned p = (unsigned)r->p;                                                       \
		struct chb_tally t = {0};                                                          \
		uint64_t c0 = chb_thread_cpu_ns();                                                 \
		for (;;) {                                                                         \
			if (!TRY_RECV(q, &v)) {                                                    \
				ct_spinwait w = CT_SPINWAIT_INIT;                                  \
				int got = 0;                                                       \
				while (!(got = TRY_RECV(q, &v)) &&                                 \
				       !atomic_load_explicit(&r->done, memory_order_acquire)) {    \
					for (unsigned k = r->slip; k; k--)                         \
						ct_cpu_relax();                                    \
					ct_spinwait_step(&w);                                      \
				}                                                                  \
				if (!got && !TRY_RECV(q, &v))                                      \
					break;                                                     \
			}                                                                          \
			unsigned pid = (unsigned)(v >> CHB_ID_SHIFT) - 1;                          \
			uint64_t s = v & ((UINT64_C(1) << CHB_ID_SHIFT) - 1);                      \
			if (pid >= p || s < next[pid])                                             \
				t.errors++;                                                        \
			else                                                                       \
				next[pid] = s + 1;                                                 \
			chb_tally_add(&t, v);                                                      \
		}                                                                                  \
		t.cpu_ns = chb_thread_cpu_ns() - c0;                                               \
		r->cons_t[id] = t;                                                                 \
		atomic_fetch_add_explicit(&r->consumers_done, 1, memory_order_release);            \
	}

enum peer_ring { PEER_CK_SPSC, PEER_CK_MPMC, PEER_LIMIT, PEER_N };

static const char *const peer_names[PEER_N] = {
    [PEER_CK_SPSC] = "ck_ring_spsc",
    [PEER_CK_MPMC] = "ck_ring_mpmc",
    [PEER_LIMIT] = "limit_line_publish",
};

static const char *const peer_summaries[PEER_N] = {
    [PEER_CK_SPSC] = "Concurrency Kit ck_ring SPSC (reference)",
    [PEER_CK_MPMC] = "Concurrency Kit ck_ring MPMC (reference)",
    [PEER_LIMIT] = "limit probe, NOT a channel: an SPSC ring publishing once per cache line",
};

#define NO_FLUSH(q) ((void)(q))
PEER_FNS(limit, struct spsc_limit, spsc_limit_try_send, spsc_limit_try_recv, spsc_limit_flush)
#if defined(CONTEND_HAVE_CK) && !defined(__SANITIZE_THREAD__)
PEER_FNS(ck_spsc, struct chan_ck, chan_ck_spsc_try_send, chan_ck_spsc_try_recv, NO_FLUSH)
PEER_FNS(ck_mpmc, struct chan_ck, chan_ck_mpmc_try_send, chan_ck_mpmc_try_recv, NO_FLUSH)
#endif

static void peer_member(void *arg, int index)
{
	struct peer_run *r = arg;
	if (index < r->p)
		r->prod(r, index);
	else
		r->cons(r, index - r->p + 1);
}

static struct chb_tally peer_sum(const struct chb_tally *t, int k)
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

static void bench_peer(ct_state *st, void *ctx)
{
	const struct chb_cfg *cfg = ctx;
	enum peer_ring ring = (enum peer_ring)cfg->kind;
	struct peer_run *r = aligned_alloc(CT_PAD, (sizeof(*r) + CT_PAD - 1) / CT_PAD * CT_PAD);
	if (!r) {
		ct_skip_error(st, "out of memory");
		return;
	}
	memset(r, 0, sizeof(*r));
	r->p = cfg->p;
	r->c = cfg->c;
	atomic_init(&r->producers_left, cfg->p);
	atomic_init(&r->done, 0);
	atomic_init(&r->consumers_done, 0);
	if (ring == PEER_LIMIT) {
		r->q = spsc_limit_create(cfg->cap);
		/* at its best: a consumer that found the ring empty waits 4 round trips before
		 * it looks again, so it never sits on the line the producer is filling */
		double rtt = ct_rtt_before_ns() > 0 ? ct_rtt_before_ns() : 200;
		r->slip = (unsigned)(4 * rtt / ch_pause_ns());
		r->prod = peer_prod_limit;
		r->cons = peer_cons_limit;
	} else {
#if defined(CONTEND_HAVE_CK) && defined(__SANITIZE_THREAD__)
		ct_skip_error(st, "skipped: ck_ring's atomics are inline assembly, which "
				  "ThreadSanitizer cannot see");
		free(r);
		return;
#elif defined(CONTEND_HAVE_CK)
		r->q = chan_ck_create(cfg->cap);
		r->prod = ring == PEER_CK_SPSC ? peer_prod_ck_spsc : peer_prod_ck_mpmc;
		r->cons = ring == PEER_CK_SPSC ? peer_cons_ck_spsc : peer_cons_ck_mpmc;
#else
		ct_skip_error(st, "skipped: built without libck (apt-get install libck-dev)");
		free(r);
		return;
#endif
	}
	if (!r->q) {
		ct_skip_error(st, "the ring refused this capacity");
		free(r);
		return;
	}
	ct_team *team = ct_team_start(st, cfg->p + cfg->c - 1, 1, peer_member, r);

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

	struct chb_tally p = peer_sum(r->prod_t, cfg->p), c = peer_sum(r->cons_t, cfg->c);
	if (p.errors || c.errors || p.count != (uint64_t)n || c.count != p.count ||
	    c.sum != p.sum || c.xr != p.xr) {
		char err[200];
		snprintf(err, sizeof err,
			 "wrong transfer: sent %llu of %lld, received %llu, checksums %s, "
			 "%llu bad or out-of-order messages",
			 (unsigned long long)p.count, (long long)n, (unsigned long long)c.count,
			 c.sum == p.sum && c.xr == p.xr ? "equal" : "differ",
			 (unsigned long long)c.errors);
		ct_skip_error(st, err);
	} else {
		ct_items_processed(st, n);
		ct_counter(st, "cpu_ns_per_op", n ? (double)(p.cpu_ns + c.cpu_ns) / (double)n : 0,
			   CT_COUNTER_PLAIN);
		chb_rtt_per_msg(st, n ? (double)(t1 - t0) / (double)n : 0);
		if (ring == PEER_LIMIT)
			ct_label(st, "limit probe: a ceiling, not a channel");
	}
	if (ring == PEER_LIMIT)
		spsc_limit_destroy(r->q);
#ifdef CONTEND_HAVE_CK
	else
		chan_ck_destroy(r->q);
#endif
	free(r);
}

static void reg_peer(enum peer_ring ring, size_t cap, int p, int c, unsigned flags)
{
	char vcap[24], vp[12], vc[12];
	snprintf(vcap, sizeof vcap, "%zu", cap);
	snprintf(vp, sizeof vp, "%d", p);
	snprintf(vc, sizeof vc, "%d", c);
	/* the same workload and parameters as the channels they are held against */
	ct_register(&(ct_def){
	    .workload = "chan_throughput",
	    .strategy = peer_names[ring],
	    .params = {{"cap", vcap}, {"p", vp}, {"c", vc}, {"msg", "8"}, {"block", "spin"}},
	    .summary = peer_summaries[ring],
	    .fn = bench_peer,
	    .ctx = chb_cfg_dup((struct chb_cfg){
		.kind = ring, .block = CH_SPIN, .p = p, .c = c, .cap = cap, .msz = 8}),
	    .flags = CT_REAL_TIME | flags,
	});
}

void chb_register_peers(void)
{
	static const size_t caps[] = {64, 1024};
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		unsigned d = caps[i] == 1024 ? CT_DEFAULT : 0;
		reg_peer(PEER_LIMIT, caps[i], 1, 1, d);
		reg_peer(PEER_CK_SPSC, caps[i], 1, 1, d);
		reg_peer(PEER_CK_MPMC, caps[i], 1, 1, d);
	}
	reg_peer(PEER_CK_MPMC, 64, 2, 2, 0);
}
