/*
 * antipatterns.c - the classic mistakes of concurrent code (a lock held across a blocking
 * wait, blocking inside an event loop, spinning with more threads than PUs), each measured
 * beside its fix.
 *
 * anti_lock_across_wait/{held,copyout}/wait_us:100 - each operation takes a mutex, copies a
 *   64-byte shared record out, and waits 100 µs (a sleep: the stand-in for I/O); "held" waits
 *   inside the critical section, "copyout" unlocks first. Threads 1..8 (the waits are
 *   sleeps, so more threads than PUs is the point, not a flaw). Metric: operations/s
 *   (items_per_second) against threads: held stays at one wait's rate, copyout scales.
 *   Checked: the record's version equals the operations.
 *
 * anti_blocking_in_loop/{inline,worker}/block_us:1000/every:100 - a single-threaded epoll
 *   loop gets an event every 50 µs from a producer thread; every 100th needs a 1 ms blocking
 *   call, made inline or handed to a pool worker (completion through an eventfd). Metric: the
 *   latency of the other events (posted -> handled): event_latency_us (mean),
 *   event_latency_p99_us, event_latency_max_us; one iteration = one event. Checked: events
 *   arrive in order, none dropped, every handed-off call completed.
 *
 * anti_spin_oversub/{spin,park}/threads_per_pu:2 - twice as many threads as the placement's
 *   PUs (the benchmark thread and a team) increment a counter under a TTAS spinlock that
 *   never yields, or under a pthread mutex that parks. A preempted spinlock holder makes every
 *   waiter burn its time slice. Metric: total increments/s (items_per_second) and
 *   cpu_ns_per_op (CPU time of all threads per increment). Checked: the counter is exact.
 *
 * Anti-pattern 4 (a thread with no way to stop) has no benchmark: every thread this suite
 * starts stops on request, and tests/fanout/no_thread_left_test proves it for every family
 * here by counting the process's threads around each benchmark.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "antipatterns/evloop.h"
#include "antipatterns/spinlock.h"
#include "bench.h"
#include "window.h"

/* --- 1. a lock held across a blocking wait ------------------------------------------------- */

static struct {
	pthread_mutex_t m;
	struct {
		uint64_t version;
		char payload[56];
	} rec;
	ct_window win; /* the shared window (window.h) */
} law = {.m = PTHREAD_MUTEX_INITIALIZER};

/* One window for all threads (window.h): with the lock held across the wait the threads
 * take turns and throughput stays at one wait's rate whatever their number; copied out,
 * they wait side by side. */
static void lock_across_wait(ct_state *st, void *ctx)
{
	int held = (int)(intptr_t)ctx;
	const uint64_t wait_ns = 100000;
	const int me = ct_thread_index(st);
	char copy[64];

	if (me == 0) {
		memset(&law.rec, 0, sizeof(law.rec));
		ct_window_setup(&law.win, st);
	}
	int64_t n = ct_begin(st);
	uint64_t done = 0;
	ct_window_start(&law.win, me);
	do {
		pthread_mutex_lock(&law.m);
		law.rec.version++;
		memcpy(copy, &law.rec, sizeof(copy));
		if (held)
			ap_sleep_ns(wait_ns);
		pthread_mutex_unlock(&law.m);
		if (!held)
			ap_sleep_ns(wait_ns);
		ct_do_not_optimize(copy[0]);
		done++;
	} while (!ct_window_tick(&law.win, me, done, n));
	ct_window_finish(&law.win, me, done);
	ct_end(st);
	ct_items_processed(st, (int64_t)done);
	ct_sync(st);
	if (me == 0 && law.rec.version != ct_window_report(&law.win, st))
		ct_skip_error(st, "the record's version lost updates");
}

/* --- 2. a blocking call inside an event loop ----------------------------------------------- */

static ap_evloop evl;

static void evl_team(void *arg, int index)
{
	(void)arg;
	if (index == 0)
		ap_evloop_producer(&evl);
	else
		fo_pool_worker(&evl.pool);
}

static void blocking_in_loop(ct_state *st, void *ctx)
{
	int handoff = (int)(intptr_t)ctx;

	if (ap_evloop_init(&evl, handoff, 100, 50000, 1000000) != 0) {
		ap_evloop_destroy(&evl);
		ct_skip_error(st, "cannot create the event loop");
		return;
	}
	/* producer, then (worker variant) the pool's one worker, on the PUs after the loop's */
	ct_team *t = ct_team_start(st, handoff ? 2 : 1, ct_threads(st), evl_team, NULL);
	ct_team_go(t);
	int64_t n = ct_begin(st);
	int rc = ap_evloop_run(&evl, n);
	ct_end(st);
	ap_evloop_stop(&evl);
	ap_evloop_drain_completions(&evl);
	fo_pool_shutdown(&evl.pool);
	ct_team_join(t);

	char msg[160] = "";
	if (rc != 0)
		snprintf(msg, sizeof(msg), "the loop failed (%ld events could not be posted)",
			 atomic_load(&evl.overflow));
	else if (evl.errors)
		snprintf(msg, sizeof(msg), "%ld events out of order or lost", evl.errors);
	else if (evl.completed != evl.handed)
		snprintf(msg, sizeof(msg), "%ld handed-off calls, %ld completed", evl.handed,
			 evl.completed);
	if (msg[0]) {
		ct_skip_error(st, msg);
	} else if (evl.lat_n) {
		ct_counter(st, "event_latency_us", (double)evl.lat_sum_ns / 1e3 / (double)evl.lat_n,
			   CT_COUNTER_PLAIN);
		ct_counter(st, "event_latency_p99_us", ap_evloop_quantile_ns(&evl, 0.99) / 1e3,
			   CT_COUNTER_PLAIN);
		ct_counter(st, "event_latency_max_us", (double)evl.lat_max_ns / 1e3,
			   CT_COUNTER_PLAIN);
		ct_counter(st, "blocking_calls", (double)evl.blocking, CT_COUNTER_PLAIN);
	}
	ct_items_processed(st, n);
	ap_evloop_destroy(&evl);
}

/* --- 3. a spinning lock when threads outnumber PUs ------------------------------------------ */

static struct {
	ap_spinlock spin;
	pthread_mutex_t mutex;
	CT_ALIGNED uint64_t counter; /* under the lock */
	ct_stop stop;
	CT_ALIGNED atomic_uint_fast64_t team_ops, team_cpu_ns;
	int use_spin;
} so = {.mutex = PTHREAD_MUTEX_INITIALIZER};

static inline void so_op(void)
{
	if (so.use_spin)
		ap_spin_lock(&so.spin);
	else
		pthread_mutex_lock(&so.mutex);
	so.counter++;
	for (int k = 0; k < 20; k++) /* a short critical section */
		ct_clobber_memory();
	if (so.use_spin)
		ap_spin_unlock(&so.spin);
	else
		pthread_mutex_unlock(&so.mutex);
	for (int k = 0; k < 50; k++) /* a little work outside */
		ct_clobber_memory();
}

static void so_team(void *arg, int index)
{
	(void)arg;
	(void)index;
	uint64_t ops = 0, cpu0 = fo_thread_cpu_ns();
	while (!ct_stop_seen(&so.stop)) {
		for (int i = 0; i < 64; i++)
			so_op();
		ops += 64;
	}
	atomic_fetch_add(&so.team_cpu_ns, fo_thread_cpu_ns() - cpu0);
	atomic_fetch_add(&so.team_ops, ops);
}

static void spin_oversub(ct_state *st, void *ctx)
{
	int pus = ct_placement_pus();
	if (pus <= 0)
		pus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	int threads = 2 * (pus > 0 ? pus : 1);

	so.use_spin = (int)(intptr_t)ctx;
	ap_spin_init(&so.spin);
	so.counter = 0;
	ct_stop_init(&so.stop);
	atomic_store(&so.team_ops, 0);
	atomic_store(&so.team_cpu_ns, 0);
	/* the benchmark thread is one of the 2 x PUs; the team is the rest */
	ct_team *t = ct_team_start(st, threads - 1, 1, so_team, NULL);
	ct_team_go(t);
	int64_t n = ct_begin(st);
	uint64_t cpu0 = fo_thread_cpu_ns();
	for (int64_t i = 0; i < n; i++)
		so_op();
	uint64_t cpu = fo_thread_cpu_ns() - cpu0;
	ct_end(st);
	ct_stop_set(&so.stop);
	ct_team_join(t);
	uint64_t total = (uint64_t)n + atomic_load(&so.team_ops);
	if (so.counter != total) {
		ct_skip_error(st, "the counter lost increments: the lock did not exclude");
		return;
	}
	/* the team ran a little before and after the clock; per-op figures use all of it */
	ct_items_processed(st, (int64_t)total);
	ct_counter(st, "cpu_ns_per_op",
		   (double)(cpu + atomic_load(&so.team_cpu_ns)) / (double)total, CT_COUNTER_PLAIN);
	ct_counter(st, "lock_threads", threads, CT_COUNTER_PLAIN);
}

void ct_register_antipatterns(void)
{
	ct_register_view(&(ct_view){
	    .workload = "anti_lock_across_wait",
	    .section = "Anti-patterns",
	    .title = "lock held across a blocking wait",
	    .question = "What does holding a lock across a blocking wait cost, against copying "
			"out and waiting unlocked?",
	    .x = "threads",
	    .x_label = "threads",
	    .metric = "ops_per_sec",
	    .metric_label = "operations per second",
	    .baseline = "held"});
	ct_register_view(&(ct_view){
	    .workload = "anti_blocking_in_loop",
	    .section = "Anti-patterns",
	    .title = "blocking call inside an event loop",
	    .question = "What does a blocking call inside an event loop do to event latency, "
			"against handing it to a worker?",
	    .metric = "event_latency_us",
	    .metric_label = "event latency",
	    .lower_is_better = 1,
	    .baseline = "inline",
	    .flags = CT_VIEW_OWN_THREADS});
	ct_register_view(&(ct_view){.workload = "anti_spin_oversub",
				    .section = "Anti-patterns",
				    .title = "spinning with more threads than PUs",
				    .question = "Spin or park when threads outnumber PUs?",
				    .metric = "items_per_second",
				    .metric_label = "operations per second",
				    .baseline = "spin",
				    .flags = CT_VIEW_OWN_THREADS});
	for (int held = 1; held >= 0; held--) {
		ct_register(
		    &(ct_def){.workload = "anti_lock_across_wait",
			      .strategy = held ? "held" : "copyout",
			      .params = {{"wait_us", "100"}},
			      .summary = held ? "mutex held across a 100 us wait (anti-pattern)"
					      : "copy out, unlock, then wait 100 us (the fix)",
			      .fn = lock_across_wait,
			      .ctx = (void *)(intptr_t)held,
			      .threads = {1, 2, 4, 8},
			      .flags = CT_REAL_TIME | CT_WINDOWED | CT_DEFAULT});
	}
	for (int h = 0; h < 2; h++) {
		ct_register(&(ct_def){
		    .workload = "anti_blocking_in_loop",
		    .strategy = h ? "worker" : "inline",
		    .params = {{"block_us", "1000"}, {"every", "100"}},
		    .summary = h ? "event loop hands a 1 ms blocking call to a worker (the fix)"
				 : "event loop makes a 1 ms blocking call itself (anti-pattern)",
		    .fn = blocking_in_loop,
		    .ctx = (void *)(intptr_t)h,
		    .flags = CT_REAL_TIME | CT_QUICK | CT_DEFAULT});
	}
	for (int s = 1; s >= 0; s--) {
		ct_register(
		    &(ct_def){.workload = "anti_spin_oversub",
			      .strategy = s ? "spin" : "park",
			      .params = {{"threads_per_pu", "2"}},
			      .summary = s ? "TTAS spinlock, 2 threads per PU (anti-pattern)"
					   : "pthread mutex (parks), 2 threads per PU (the fix)",
			      .fn = spin_oversub,
			      .ctx = (void *)(intptr_t)s,
			      .flags = CT_REAL_TIME | CT_QUICK | CT_DEFAULT});
	}
}
