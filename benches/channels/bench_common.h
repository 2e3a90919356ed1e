/*
 * bench_common.h - what the channel benchmarks share: their configuration, the message
 * format they check, per-thread CPU time, and the name each registration gets.
 */
#ifndef CONTEND_CHAN_BENCH_COMMON_H
#define CONTEND_CHAN_BENCH_COMMON_H

#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "chan_ops.h"

#define CHB_MAX_SIDE 8 /* producers or consumers */

struct chb_cfg {
	int kind, block, p, c;
	size_t cap, msz;
};

/* A message from producer id (0-based) with sequence number s: word 0 carries both; a
 * 64-byte message also carries the complement in its last word, so a torn copy shows. */
#define CHB_ID_SHIFT 40
static inline uint64_t chb_value(int id, uint64_t s)
{
	return ((uint64_t)(id + 1) << CHB_ID_SHIFT) | s;
}

static inline uint64_t chb_thread_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* What one side saw: counted locally, published once. */
struct chb_tally {
	CT_ALIGNED uint64_t count, sum, xr, errors, cpu_ns;
};

static inline void chb_tally_add(struct chb_tally *t, uint64_t v)
{
	t->count++;
	t->sum += v;
	t->xr ^= v * UINT64_C(0x9e3779b97f4a7c15);
}

/* Text of a channel benchmark's parameter values (ct_register copies them). */
struct chb_vals {
	char cap[24], p[12], c[12], msg[24];
};

/*
 * The parameters of a channel benchmark, in name order: cap (a count, 0 for rendezvous,
 * "unbounded"), then p and c (producers, consumers) when shape is set, msg (bytes), and
 * block (the waiting policy) where the kind takes one. out has room for CT_MAX_PARAMS.
 */
static inline void chb_params(const struct chb_cfg *c, int shape, struct chb_vals *v, ct_param *out)
{
	int n = 0;

	if (c->cap == CH_UNBOUNDED)
		snprintf(v->cap, sizeof(v->cap), "unbounded");
	else
		snprintf(v->cap, sizeof(v->cap), "%zu", c->cap);
	out[n++] = (ct_param){"cap", v->cap};
	if (shape) {
		snprintf(v->p, sizeof(v->p), "%d", c->p);
		snprintf(v->c, sizeof(v->c), "%d", c->c);
		out[n++] = (ct_param){"p", v->p};
		out[n++] = (ct_param){"c", v->c};
	}
	snprintf(v->msg, sizeof(v->msg), "%zu", c->msz);
	out[n++] = (ct_param){"msg", v->msg};
	if (chan_kind_has_block(c->kind))
		out[n++] = (ct_param){"block", chan_block_name(c->block)};
	out[n] = (ct_param){NULL, NULL};
}

static inline struct chb_cfg *chb_cfg_dup(struct chb_cfg c)
{
	struct chb_cfg *p = malloc(sizeof(*p));
	if (!p)
		abort();
	*p = c;
	return p; /* lives as long as the process: the registry holds it */
}

/* bench_costs.c: the costs a channel's spin budget comes from, measured in setup (the
 * first call in a process starts a thread on the second PU for a few ms), and the
 * counters that record them. threads: how many threads the benchmark runs. */
struct chan_costs chb_costs(ct_state *st, int threads);
void chb_costs_counters(ct_state *st, const struct chan_costs *k, const chan *c);
/* Counter rtt_per_msg: ns per message in units of the round trip measured before the run,
 * (1e9 / msgs_per_sec) / rtt_before_ns. */
void chb_rtt_per_msg(ct_state *st, double ns_per_msg);

void chb_register_more(void);  /* bench_more.c: rtt, select, growth */
void chb_register_views(void); /* bench_more.c: their report views */
void chb_register_peers(void); /* bench_peers.c: ck_ring and the limit probe */

#endif
