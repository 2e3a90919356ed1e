/*
 * fanout.c - the fanout family: semaphores (sem_), semaphore-limited fan-out (fanout_sem),
 * cross-thread wake-ups (wake_); fork-join (forkjoin_) is in forkjoin.c.
 *
 * sem_<impl>/acq_rel/permits:1 - acquire, increment a plain counter, release, on POSIX sem_t,
 *   a futex semaphore and a mutex+condvar semaphore. threads:1 is the uncontended cost;
 *   2 .. PUs threads contend for the one permit (the semaphore used as a lock). Stresses the
 *   semaphore's fast path and its park/wake path; leaves out try-acquire and timeouts (the
 *   tests cover them). Metric: ns per acquire+release (wall), cpu_ns_per_op. Checked: the
 *   counter equals the operations (one holder at a time).
 *
 * fanout_sem/<sem>/<executor>/<job>/jobs:N/permits:K/work_us:W - a driver submits N jobs;
 *   each acquires a permit, works W µs (cpu: spins for W µs of its own CPU time; sleep:
 *   sleeps W µs, the stand-in for I/O), releases. Executors: a thread per job (started and
 *   joined per fan-out), or a pool of P = min(N, 64) >= K workers started once, so that the
 *   semaphore, not the pool, bounds concurrency. One iteration = one whole fan-out. Leaves
 *   out work stealing and async runtimes (a thread is the unit here). Metrics: makespan_us
 *   (per fan-out), jobs/s (items_per_second), max_concurrency (jobs inside the permit at
 *   once, the highest seen; never above K). Checked: every job ran once per fan-out. CPU
 *   jobs cannot go faster than the PUs allow, so beyond K = PUs their makespan is flat.
 *
 * wake_<mechanism> - ping-pong between two threads on two PUs, each blocking until the
 *   other wakes it: futex, condvar, sem_t, eventfd+epoll, pipe. One iteration = one round
 *   trip (two wake-ups). Leaves out spinning before blocking (every wait parks at once).
 *   Metric: ns per round trip (wall), latency_rtt (that in units of the measured cache-line
 *   round trip). Checked: the partner answered every ping.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "window.h"
#include "fanout/fanout_exec.h"
#include "fanout/wake.h"

void fo_register_forkjoin(void);

/* --- sem_ ------------------------------------------------------------------------------- */

static struct {
	fo_sem sem;
	CT_ALIGNED uint64_t counter; /* protected by the semaphore (one permit) */
	ct_window win;		     /* the shared window (window.h) */
} sem_bench;

#define SEM_CHUNK 16 /* acquire+release pairs between two looks at the window's stop flag */

static inline __attribute__((always_inline)) void sem_acq_rel_body(ct_state *st, int kind)
{
	fo_sem *s = &sem_bench.sem;
	const int me = ct_thread_index(st);
	if (me == 0) {
		if (fo_sem_init(s, kind, 1) != 0)
			ct_skip_error(st, "cannot create the semaphore");
		sem_bench.counter = 0;
		ct_window_setup(&sem_bench.win, st);
	}
	int64_t n = ct_begin(st); /* the start barrier orders the set-up */
	uint64_t done = 0;
	ct_window_start(&sem_bench.win, me);
	do {
		for (int i = 0; i < SEM_CHUNK; i++) {
			switch (kind) { /* a constant: the switch folds away */
			case FO_SEM_POSIX:
				while (sem_wait(&s->u.p) != 0)
					;
				break;
			case FO_SEM_FUTEX:
				fo_fsem_acquire_until(&s->u.f, 0);
				break;
			default:
				fo_csem_acquire_until(&s->u.c, 0);
			}
			sem_bench.counter++;
			ct_clobber_memory();
			switch (kind) {
			case FO_SEM_POSIX:
				sem_post(&s->u.p);
				break;
			case FO_SEM_FUTEX:
				fo_fsem_release(&s->u.f);
				break;
			default:
				fo_csem_release(&s->u.c);
			}
		}
		done += SEM_CHUNK;
	} while (!ct_window_tick(&sem_bench.win, me, done, n));
	ct_window_finish(&sem_bench.win, me, done);
	ct_end(st);
	ct_items_processed(st, (int64_t)done);
	ct_sync(st);
	if (me == 0) {
		uint64_t all = ct_window_report(&sem_bench.win, st);
		if (sem_bench.counter != all)
			ct_skip_error(st, "two holders at once: the counter lost increments");
		else if (!fo_sem_try(s) || fo_sem_try(s))
			ct_skip_error(st, "the semaphore does not hold exactly its one permit");
		fo_sem_destroy(s);
	}
}

static void sem_posix(ct_state *st, void *ctx)
{
	(void)ctx;
	sem_acq_rel_body(st, FO_SEM_POSIX);
}
static void sem_futex(ct_state *st, void *ctx)
{
	(void)ctx;
	sem_acq_rel_body(st, FO_SEM_FUTEX);
}
static void sem_condvar(ct_state *st, void *ctx)
{
	(void)ctx;
	sem_acq_rel_body(st, FO_SEM_CONDVAR);
}

/* --- fanout_sem --------------------------------------------------------------------------- */

enum { EXEC_THREAD, EXEC_POOL };
static const char *const exec_names[] = {"thread", "pool"};
static const char *const job_names[] = {"cpu", "sleep"};

struct fo_cfg {
	int sem, exec, job, n, k, w_us;
};

#define FO_MAX_CFGS 512
static struct fo_cfg fo_cfgs[FO_MAX_CFGS];
static int fo_ncfgs;

static void fo_pin_job_thread(int idx)
{
	ct_pin_self(1 + idx); /* after the driver (position 0) */
}

static void pool_team_worker(void *arg, int index)
{
	(void)index;
	fo_pool_worker(arg);
}

/*
 * ct_team_start holds its threads at a spinning gate until ct_team_go, so 64 workers on 2 PUs
 * spin while the rest are created (seconds under TSan). Start the pool as teams of one
 * instead, each released at once: still pinned to positions first, first+1, ... and recorded.
 */
static ct_team **start_pool_workers(ct_state *st, int k, int first, fo_pool *pool)
{
	ct_team **t = calloc((size_t)k, sizeof(ct_team *));
	if (!t)
		return NULL;
	for (int i = 0; i < k; i++) {
		t[i] = ct_team_start(st, 1, first + i, pool_team_worker, pool);
		ct_team_go(t[i]);
	}
	return t;
}

static void join_pool_workers(ct_team **t, int k)
{
	for (int i = 0; i < k; i++)
		ct_team_join(t[i]);
	free(t);
}

static void fanout_sem(ct_state *st, void *ctx)
{
	const struct fo_cfg *c = ctx;
	fo_sem sem;
	fo_fanout f;
	fo_pool pool;
	ct_team **team = NULL;
	int p = c->n < 64 ? c->n : 64;

	if (fo_sem_init(&sem, c->sem, c->k) != 0) {
		ct_skip_error(st, "cannot create the semaphore");
		return;
	}
	if (fo_fanout_init(&f, &sem, c->n, c->job, (uint64_t)c->w_us * 1000) != 0) {
		fo_sem_destroy(&sem);
		ct_skip_error(st, "out of memory");
		return;
	}
	f.on_thread_start = fo_pin_job_thread;
	if (c->exec == EXEC_POOL) {
		if (fo_pool_init(&pool, c->n) != 0) {
			fo_fanout_destroy(&f);
			fo_sem_destroy(&sem);
			ct_skip_error(st, "out of memory");
			return;
		}
		team = start_pool_workers(st, p, 1, &pool);
		if (!team) {
			fo_pool_destroy(&pool);
			fo_fanout_destroy(&f);
			fo_sem_destroy(&sem);
			ct_skip_error(st, "out of memory");
			return;
		}
	}

	uint64_t makespan = 0;
	int failed = 0;
	int64_t n = ct_begin(st);
	for (int64_t i = 0; i < n; i++) {
		uint64_t t0 = ct_now_ns();
		if (c->exec == EXEC_POOL)
			fo_fanout_run_pool(&f, &pool);
		else
			failed |= fo_fanout_run_threads(&f);
		makespan += ct_now_ns() - t0;
	}
	ct_end(st);

	if (team) {
		fo_pool_shutdown(&pool);
		join_pool_workers(team, p);
		fo_pool_destroy(&pool);
	}
	int bad = fo_fanout_check_runs(&f, (int)n);
	int maxc = atomic_load(&f.max_inside);
	char msg[128];
	if (failed)
		ct_skip_error(st, "cannot start a job thread");
	else if (bad) {
		snprintf(msg, sizeof(msg), "job %d ran %d times in %lld fan-outs", bad - 1,
			 atomic_load(&f.runs[bad - 1]), (long long)n);
		ct_skip_error(st, msg);
	} else if (maxc > c->k || atomic_load(&f.inside) != 0) {
		snprintf(msg, sizeof(msg), "%d jobs inside %d permits", maxc, c->k);
		ct_skip_error(st, msg);
	} else {
		int left = 0;
		while (left <= c->k && fo_sem_try(&sem))
			left++;
		if (left != c->k) {
			snprintf(msg, sizeof(msg), "%d permits left of %d", left, c->k);
			ct_skip_error(st, msg);
		}
	}
	ct_items_processed(st, n * c->n);
	ct_counter(st, "makespan_us", (double)makespan / 1e3 / (double)(n ? n : 1),
		   CT_COUNTER_PLAIN);
	ct_counter(st, "max_concurrency", maxc, CT_COUNTER_PLAIN);
	fo_fanout_destroy(&f);
	fo_sem_destroy(&sem);
}

/* --- wake_ ------------------------------------------------------------------------------ */

static struct {
	fo_wake ping, pong;
	ct_stop stop;
	CT_ALIGNED atomic_int_fast64_t answered;
	atomic_int error;
} wk;

static void wake_partner(void *arg, int index)
{
	(void)arg;
	(void)index;
	int64_t answered = 0;
	for (;;) {
		if (fo_wake_wait(&wk.ping) != 0) {
			atomic_store(&wk.error, 1);
			break;
		}
		if (ct_stop_seen(&wk.stop))
			break;
		answered++;
		if (fo_wake_signal(&wk.pong) != 0) {
			atomic_store(&wk.error, 1);
			break;
		}
	}
	atomic_store(&wk.answered, answered);
}

static void wake_pingpong(ct_state *st, void *ctx)
{
	int kind = (int)(intptr_t)ctx;

	if (fo_wake_init(&wk.ping, kind) != 0 || fo_wake_init(&wk.pong, kind) != 0) {
		ct_skip_error(st, "cannot create the wake-up objects");
		return;
	}
	ct_stop_init(&wk.stop);
	atomic_store(&wk.answered, -1);
	atomic_store(&wk.error, 0);
	ct_team *t = ct_team_start(st, 1, ct_threads(st), wake_partner, NULL);
	ct_team_go(t);

	int err = 0;
	int64_t n = ct_begin(st);
	uint64_t t0 = ct_now_ns();
	for (int64_t i = 0; i < n && !err; i++)
		err = fo_wake_signal(&wk.ping) || fo_wake_wait(&wk.pong);
	uint64_t ns = ct_now_ns() - t0;
	ct_end(st);

	ct_stop_set(&wk.stop);
	fo_wake_signal(&wk.ping); /* the partner wakes, sees the stop, returns */
	ct_team_join(t);
	fo_wake_destroy(&wk.ping);
	fo_wake_destroy(&wk.pong);
	if (err || atomic_load(&wk.error)) {
		ct_skip_error(st, "a wake-up call failed");
		return;
	}
	if (atomic_load(&wk.answered) != n) {
		ct_skip_error(st, "the partner did not answer every ping exactly once");
		return;
	}
	double rtt = ct_rtt_before_ns();
	if (rtt > 0 && n > 0)
		ct_counter(st, "latency_rtt", (double)ns / (double)n / rtt, CT_COUNTER_PLAIN);
	ct_items_processed(st, n);
}

/* --- registration --------------------------------------------------------------------------- */

static void register_fanout_sem(int sem, int exec, int job, int n, int k, int w, unsigned flags)
{
	char summary[200];

	if (fo_ncfgs == FO_MAX_CFGS)
		abort(); /* a bug: raise FO_MAX_CFGS */
	struct fo_cfg *c = &fo_cfgs[fo_ncfgs++];
	*c = (struct fo_cfg){sem, exec, job, n, k, w};
	snprintf(summary, sizeof(summary),
		 "%d %s jobs of %d us, at most %d at once (%s semaphore), on %s", n, job_names[job],
		 w, k, fo_sem_names[sem],
		 exec == EXEC_POOL ? "a pool of min(N,64)" : "a thread per job");
	ct_register(&(ct_def){.workload = "fanout_sem",
			      .strategy = fo_sem_names[sem],
			      .params = {{"exec", exec_names[exec]},
					 {"job", job_names[job]},
					 {"jobs", ct_int(n)},
					 {"permits", ct_int(k)},
					 {"work_us", ct_int(w)}},
			      .summary = summary,
			      .fn = fanout_sem,
			      .ctx = c,
			      .flags = CT_REAL_TIME | flags});
}

/*
 * Profiles. Full: every combination (3 x 2 x 2 x 2 x 6 x 2 = 288). Default: the K sweep at
 * N = 64, W = 100 for sleep jobs (every semaphore and executor) and for CPU jobs (futex,
 * pool), plus the futex pool at N = 1024 for sleep jobs. Quick: futex, pool, sleep, N = 64,
 * W = 100 at K = 1, 8, 64, and the thread executor at K = 8.
 */
static unsigned fo_profile(int sem, int exec, int job, int n, int k, int w)
{
	unsigned f = 0;
	if (n == 64 && w == 100 && job == FO_WORK_SLEEP)
		f |= CT_DEFAULT;
	if (n == 64 && w == 100 && job == FO_WORK_CPU && sem == FO_SEM_FUTEX && exec == EXEC_POOL)
		f |= CT_DEFAULT;
	if (n == 1024 && w == 100 && job == FO_WORK_SLEEP && sem == FO_SEM_FUTEX &&
	    exec == EXEC_POOL && (k == 1 || k == 8 || k == 64))
		f |= CT_DEFAULT;
	if (n == 64 && w == 100 && job == FO_WORK_SLEEP && sem == FO_SEM_FUTEX &&
	    ((exec == EXEC_POOL && (k == 1 || k == 8 || k == 64)) ||
	     (exec == EXEC_THREAD && k == 8)))
		f |= CT_QUICK;
	return f;
}

void ct_register_fanout(void)
{
	static const ct_fn sem_fns[FO_SEM_KINDS] = {sem_posix, sem_futex, sem_condvar};
	char summary[160];

	ct_register_view(&(ct_view){
	    .workload = "sem_acq_rel",
	    .section = "Semaphores",
	    .title = "semaphore acquire+release",
	    .question = "Which semaphore is cheapest to acquire and release, by thread count?",
	    .x = "threads",
	    .x_label = "threads",
	    .metric = "ops_per_sec",
	    .metric_label = "acquire+release pairs per second",
	    .baseline = "posix"});
	ct_register_view(&(ct_view){
	    .workload = "fanout_sem",
	    .section = "Fan-out",
	    .title = "semaphore-limited fan-out",
	    .question = "How many permits should a fan-out of N jobs allow, and over which "
			"semaphore and executor?",
	    .x = "permits",
	    .x_label = "permits",
	    .series = "exec",
	    .metric = "makespan_us",
	    .metric_label = "makespan",
	    .lower_is_better = 1,
	    .baseline = "posix",
	    .flags = CT_VIEW_OWN_THREADS,
	    .notes = "N jobs, at most K at once; max_concurrency is checked never to exceed "
		     "K."});
	ct_register_view(
	    &(ct_view){.workload = "wake",
		       .section = "Wake-up latency",
		       .title = "wake-up round trip",
		       .question = "Which mechanism wakes a thread blocked on another PU fastest?",
		       .metric = "real_time",
		       .metric_label = "round trip",
		       .lower_is_better = 1,
		       .baseline = "condvar",
		       .flags = CT_VIEW_OWN_THREADS});
	ct_register_view(
	    &(ct_view){.workload = "forkjoin",
		       .section = "Fork-join",
		       .title = "fork-join",
		       .question = "Is a persistent pool cheaper than threads created per scope?",
		       .x = "workers",
		       .x_label = "workers",
		       .metric = "real_time",
		       .metric_label = "time per fork-join",
		       .lower_is_better = 1,
		       .baseline = "spawn",
		       .flags = CT_VIEW_OWN_THREADS});

	for (int s = 0; s < FO_SEM_KINDS; s++) {
		snprintf(summary, sizeof(summary),
			 "%s semaphore, one permit: acquire+release (1 thread: uncontended)",
			 fo_sem_names[s]);
		ct_register(&(ct_def){.workload = "sem_acq_rel",
				      .strategy = fo_sem_names[s],
				      .params = {{"permits", "1"}},
				      .summary = summary,
				      .fn = sem_fns[s],
				      .threads = {CT_THREADS_SWEEP},
				      .flags = CT_REAL_TIME | CT_WINDOWED | CT_QUICK | CT_DEFAULT});
	}

	static const int ns[] = {64, 1024}, ks[] = {1, 2, 4, 8, 16, 64}, ws[] = {10, 100};
	for (int s = 0; s < FO_SEM_KINDS; s++)
		for (int e = 0; e < 2; e++)
			for (int j = 0; j < 2; j++)
				for (int a = 0; a < 2; a++)
					for (int b = 0; b < 6; b++)
						for (int c = 0; c < 2; c++)
							register_fanout_sem(
							    s, e, j, ns[a], ks[b], ws[c],
							    fo_profile(s, e, j, ns[a], ks[b],
								       ws[c]));

	for (int w = 0; w < FO_WAKE_KINDS; w++) {
		snprintf(summary, sizeof(summary),
			 "round trip: block on %s, woken by a thread on another PU, and back",
			 fo_wake_names[w]);
		ct_register(&(ct_def){.workload = "wake",
				      .strategy = fo_wake_names[w],
				      .summary = summary,
				      .fn = wake_pingpong,
				      .ctx = (void *)(intptr_t)w,
				      .flags = CT_REAL_TIME | CT_QUICK | CT_DEFAULT});
	}
	fo_register_forkjoin();
}
