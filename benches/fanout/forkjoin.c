/*
 * forkjoin.c - the cost of one fork-join (registered by ct_register_fanout).
 *
 * forkjoin_spawn/workers:T/elems:E - per scope, T threads are created (pinned to the PUs after
 *   the driver's), each sums its slice of E uint64s, and are joined (Rust's thread::scope).
 * forkjoin_pool/workers:T/elems:E - the same scope on T persistent workers, released by a
 *   barrier and collected by a second (pthread_barrier_t: the waiters block).
 * Stresses thread creation and the wake-up of T parked threads; at E = 1024 the work is
 * ~nothing and the figure is the overhead, at E = 262144 (2 MiB, in cache or not) the work
 * shows. Leaves out work stealing and nested scopes. Metric: µs per scope (wall; also the
 * counter scope_us). Checked: every scope's sum is right. T above the PUs is oversubscribed.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "fanout/forkjoin.h"

void fo_register_forkjoin(void);

struct fj_cfg {
	int pool, t, e;
};

static struct fj_cfg fj_cfgs[32];
static int fj_ncfgs;

static void fj_pin(int idx)
{
	ct_pin_self(1 + idx);
}

static void fj_pool_worker(void *arg, int index)
{
	fo_fj_pool_worker(arg, index);
}

static void forkjoin(ct_state *st, void *ctx)
{
	const struct fj_cfg *c = ctx;
	uint64_t *a = malloc(sizeof(*a) * (size_t)c->e);
	fo_fj_arg *args = malloc(sizeof(*args) * (size_t)c->t);
	fo_fj f;
	ct_team *team = NULL;

	if (!a || !args || fo_fj_init(&f, a, (size_t)c->e, c->t) != 0) {
		free(a);
		free(args);
		ct_skip_error(st, "out of memory");
		return;
	}
	for (int i = 0; i < c->e; i++) /* also faults the pages in before the clock */
		a[i] = (uint64_t)i;
	const uint64_t want = (uint64_t)c->e * (uint64_t)(c->e - 1) / 2;
	f.on_thread_start = fj_pin;
	if (c->pool) {
		team = ct_team_start(st, c->t, 1, fj_pool_worker, &f);
		ct_team_go(team);
	}
	int err = 0;
	int64_t wrong = 0;
	uint64_t t0 = ct_now_ns();
	int64_t n = ct_begin(st);
	for (int64_t i = 0; i < n; i++) {
		uint64_t s = c->pool ? fo_fj_pool_scope(&f) : fo_fj_spawn_scope(&f, args, &err);
		wrong += s != want;
	}
	ct_end(st);
	uint64_t ns = ct_now_ns() - t0;
	if (team) {
		fo_fj_pool_shutdown(&f);
		ct_team_join(team);
	}
	fo_fj_destroy(&f);
	free(a);
	free(args);
	if (err)
		ct_skip_error(st, "cannot start a thread");
	else if (wrong)
		ct_skip_error(st, "a scope's sum was wrong");
	ct_items_processed(st, n);
	ct_counter(st, "scope_us", (double)ns / 1e3 / (double)(n ? n : 1), CT_COUNTER_PLAIN);
}

void fo_register_forkjoin(void)
{
	static const int ts[] = {1, 2, 4, 8}, es[] = {1024, 262144};
	char summary[160];

	for (int p = 0; p < 2; p++)
		for (int a = 0; a < 4; a++)
			for (int b = 0; b < 2; b++) {
				struct fj_cfg *c = &fj_cfgs[fj_ncfgs++];
				*c = (struct fj_cfg){p, ts[a], es[b]};
				snprintf(summary, sizeof(summary),
					 "one fork-join summing %d uint64s on %d %s", es[b], ts[a],
					 p ? "pool workers released by a barrier"
					   : "threads created and joined per scope");
				ct_register(&(ct_def){
				    .workload = "forkjoin",
				    .strategy = p ? "pool" : "spawn",
				    .params = {{"workers", ct_int(ts[a])},
					       {"elems", ct_int(es[b])}},
				    .summary = summary,
				    .fn = forkjoin,
				    .ctx = c,
				    .flags = CT_REAL_TIME | CT_DEFAULT |
					     (ts[a] == 2 && es[b] == 1024 ? CT_QUICK : 0)});
			}
}
