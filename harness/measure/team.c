/*
 * team.c - helper threads for families that start their own (bench.h: ct_team_*): pinned to
 * the next PUs of the placement order, held at a start gate, their PUs recorded.
 * ct_team_start returns only when every thread it started is pinned and at the gate, so a
 * benchmark that starts its clock after it never times a thread's creation or migration.
 */
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "topology.h"

struct member {
	struct ct_team *team;
	int index;
	pthread_t th;
	int started;
};

struct ct_team {
	int k, first;
	ct_team_fn fn;
	void *arg;
	CT_ALIGNED atomic_int open;    /* the start gate: spin briefly, then park on a futex */
	CT_ALIGNED atomic_int arrived; /* members pinned and at the gate */
	struct member *m;
};

/* Spin about as long as a wake-up costs here (tens of µs), then sleep: with many more
 * team threads than PUs, spinning waiters would slow the creation of the rest. */
static void gate_wait(struct ct_team *t)
{
	for (int i = 0; i < 4000; i++) {
		if (atomic_load_explicit(&t->open, memory_order_acquire))
			return;
		ct_cpu_relax();
	}
	while (!atomic_load_explicit(&t->open, memory_order_acquire))
		syscall(SYS_futex, &t->open, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

static void gate_open(struct ct_team *t)
{
	if (atomic_exchange_explicit(&t->open, 1, memory_order_release) == 0)
		syscall(SYS_futex, &t->open, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

static void *member_main(void *p)
{
	struct member *m = p;
	struct ct_team *t = m->team;
	int pos = t->first + m->index;

	ct_pin_self(pos);
	atomic_fetch_add_explicit(&t->arrived, 1, memory_order_release);
	syscall(SYS_futex, &t->arrived, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	gate_wait(t);
	t->fn(t->arg, m->index);
	ct_pus_record(pos, ct_current_pu());
	return NULL;
}

ct_team *ct_team_start(ct_state *st, int k, int first_pu, ct_team_fn fn, void *arg)
{
	size_t sz = (sizeof(struct ct_team) + CT_PAD - 1) / CT_PAD * CT_PAD;
	struct ct_team *t = aligned_alloc(CT_PAD, sz); /* the gate has its own line */

	if (t)
		memset(t, 0, sz);
	if (!t || k < 0 || !(t->m = calloc((size_t)(k > 0 ? k : 1), sizeof(*t->m)))) {
		if (st)
			ct_skip_error(st, "contend: cannot allocate a team");
		free(t);
		return NULL;
	}
	t->k = k;
	t->first = first_pu;
	t->fn = fn;
	t->arg = arg;
	atomic_init(&t->open, 0);
	atomic_init(&t->arrived, 0);
	int started = 0;
	for (int i = 0; i < k; i++) {
		t->m[i].team = t;
		t->m[i].index = i;
		if (pthread_create(&t->m[i].th, NULL, member_main, &t->m[i]) != 0) {
			/* Let the ones started run (their fn must see the failure through the
			 * benchmark's own stop flag); report the error. */
			if (st)
				ct_skip_error(st, "contend: cannot start a team thread");
			break;
		}
		t->m[i].started = 1;
		started++;
	}
	/* wait for every started member to be running, pinned, at the gate (the futex wait
	 * returns at once if arrived moved since it was read, so no wake is lost) */
	for (int a; (a = atomic_load_explicit(&t->arrived, memory_order_acquire)) < started;)
		syscall(SYS_futex, &t->arrived, FUTEX_WAIT_PRIVATE, a, NULL, NULL, 0);
	return t;
}

void ct_team_go(ct_team *t)
{
	if (t)
		gate_open(t);
}

void ct_team_join(ct_team *t)
{
	if (!t)
		return;
	gate_open(t);
	for (int i = 0; i < t->k; i++)
		if (t->m[i].started)
			pthread_join(t->m[i].th, NULL);
	free(t->m);
	free(t);
}

/* ct_sync: a sense-reversing barrier over the benchmark's threads. One instance runs per
 * process and Google Benchmark runs its calls one after another, so one is enough. */
static atomic_int sync_count;
static atomic_int sync_gen;

void ct_sync(ct_state *st)
{
	int n = ct_threads(st);
	int gen = atomic_load_explicit(&sync_gen, memory_order_acquire);

	if (atomic_fetch_add_explicit(&sync_count, 1, memory_order_acq_rel) == n - 1) {
		atomic_store_explicit(&sync_count, 0, memory_order_relaxed);
		atomic_store_explicit(&sync_gen, gen + 1, memory_order_release);
		return;
	}
	ct_spinwait w = CT_SPINWAIT_INIT;
	while (atomic_load_explicit(&sync_gen, memory_order_acquire) == gen)
		ct_spinwait_step(&w);
}
