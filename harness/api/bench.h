/*
 * bench.h - the C API every benchmark uses: registration into the one registry, the timed
 * loop, counters, and pinned helper threads.
 *
 * A family lives in benches/<family>/ and defines `void ct_register_<family>(void)`; the
 * build finds the folder and calls it (no list to edit). Inside it, ct_register() adds a
 * benchmark to the registry that `contend list`, `contend run` and the tests all read.
 *
 * The timed loop (never one call into C++ per iteration):
 *
 *	static void bench_foo(ct_state *st, void *ctx)
 *	{
 *		... setup, outside the clock ...
 *		int64_t n = ct_begin(st);     // all threads start together; the clock starts
 *		for (int64_t i = 0; i < n; i++)
 *			work();
 *		ct_end(st);                   // the clock stops
 *		... check the answer; ct_skip_error() if it is wrong ...
 *	}
 *
 * or, in batches (e.g. to look at a stop flag between batches):
 *
 *	int64_t k;
 *	while ((k = ct_batch(st, 1024)) > 0)
 *		for (int64_t i = 0; i < k; i++)
 *			work();
 *
 * Google Benchmark runs the function on `threads` threads at once (thread 0 is the main
 * thread), each with the same iteration count; before it is called the harness has bound
 * the thread to the next PU of the run's placement. Real time is the mean of the per-thread
 * wall times, CPU time the sum: anything that blocks must use CT_REAL_TIME.
 */
#ifndef CONTEND_BENCH_H
#define CONTEND_BENCH_H

#include <stdint.h>

#ifndef __cplusplus
#include "arch.h" /* C only: <stdatomic.h> is not C++ */
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_state ct_state; /* one thread's view of a running benchmark */
typedef void (*ct_fn)(ct_state *st, void *ctx);

/* Flags of a registration. */
enum {
	CT_REAL_TIME = 1u << 0, /* report wall time (anything that blocks or spins on others) */
	CT_MANUAL_TIME =
	    1u << 1,		/* the benchmark reports its own time with ct_set_iteration_time */
	CT_QUICK = 1u << 2,	/* in the --quick profile (CI) */
	CT_DEFAULT = 1u << 3,	/* in the default profile */
	CT_TEST_ONLY = 1u << 4, /* registered only when CONTEND_TEST_BENCHES=1 (fault tests) */
	CT_WINDOWED = 1u << 5,	/* its threads contend and run in one window (window.h) */
	CT_LOCKSTEP = 1u << 6,	/* its two threads advance together (a ping-pong, a litmus
				   trial each): they cannot finish apart, no window needed */
	CT_INDEPENDENT = 1u << 7, /* its threads share nothing (a probe of the API): the mean
				     of the per-thread times is right */
};

#define CT_MAX_THREAD_COUNTS 16
#define CT_WINDOW_MAX_RECORD 1024 /* threads whose window record a result keeps */
#define CT_MAX_ARGS	     4

/*
 * Thread counts. A list ends at the first 0; an empty list means {1}. CT_THREADS_SWEEP as
 * the first entry means 1, 2, 4, ... up to the number of PUs in the placement order, and
 * that number itself, plus where the placement fills a core, L3, NUMA node or package (on
 * more than 64 PUs only 1, 2, 4, those boundaries and the PU count: registry.c);
 * `run --threads LIST` replaces a sweep (and only a sweep).
 */
#define CT_THREADS_SWEEP (-1)
/* The sweep, then twice the PU count: for strategies that behave differently when threads
 * outnumber PUs (spinning against parking). Replaced by `run --threads` like a sweep. */
#define CT_THREADS_SWEEP_2X (-2)

#define CT_MAX_PARAMS 8

/* A named parameter of a benchmark: "cap" = "64". Keys and values hold no '/', keys no ':'. */
typedef struct ct_param {
	const char *key;
	const char *value;
} ct_param;

typedef struct ct_def {
	/*
	 * What the benchmark is, declared; the registry composes its name from these, in one
	 * grammar: <workload>/<strategy>[/<key>:<value>]... (then Google Benchmark's
	 * /real_time and /threads:N), and every result carries them beside the name.
	 */
	const char *workload;		/* what is done: the family prefix, _, the task; copied */
	const char *strategy;		/* how it is done, e.g. "mutex"; copied */
	ct_param params[CT_MAX_PARAMS]; /* in name order; the list ends at a NULL key; copied */
	const char *summary;		/* one line for `contend list`; copied */
	ct_fn fn;
	void *ctx; /* passed to fn; must outlive the process (static storage) */
	int threads[CT_MAX_THREAD_COUNTS];
	int64_t args[CT_MAX_ARGS]; /* read with ct_arg(); not added to the name */
	int nargs;
	unsigned flags;
	const char *name; /* set by the registry (the composed name); leave unset */
} ct_def;

/*
 * A parameter value from an integer, for a ct_def initializer ({"cap", ct_int(64)}): the
 * string lives until 16 more calls (ct_register copies what it keeps).
 */
const char *ct_int(long long v);

/* Add a benchmark. Composed names must be unique; a duplicate, or a workload, strategy or
 * parameter that breaks the grammar, aborts at start-up (a bug). */
void ct_register(const ct_def *def);

/*
 * A workload's report view, declared by its family beside its benchmarks: everything the
 * report, compare and history need to know of the workload, so that they know no family.
 * The run writes every view of the workloads it ran into the results
 * (context.contend_views, keyed by workload). Only workload is required.
 */
#define CT_MAX_EQUIV 4
typedef struct ct_equiv {
	const char *arch;	/* "x86_64", "aarch64" (uname -m) */
	const char *strategies; /* space-separated: the same machine instructions there */
	const char *why;	/* e.g. "one locked instruction whatever the ordering" */
} ct_equiv;

typedef struct ct_view {
	const char *workload;	  /* the workload this view describes */
	const char *section;	  /* the report section: the family in words */
	const char *title;	  /* the workload in words, e.g. "shared counter" */
	const char *question;	  /* the question it answers, one sentence */
	const char *x;		  /* x axis: "threads" or a parameter key; NULL: bars */
	const char *x_label;	  /* e.g. "capacity (messages)" */
	const char *series;	  /* parameter keys that belong to the series (space-separated) */
	const char *cluster;	  /* workloads of one cluster share one bar chart, one group of
				     bars per workload (e.g. the atomics matrix) */
	const char *metric;	  /* the figure that decides: a result key (items_per_second,
				     real_time, a counter) */
	const char *metric_label; /* e.g. "operations per second" */
	int lower_is_better;	  /* the metric's direction */
	const char *baseline;	  /* the strategy every other is held against */
	const char *limits;	  /* space-separated strategies that are limit probes, not
				     contenders (limit_line_publish): drawn as a ceiling, never a
				     winner; the winner line gives the best's share of one */
	const char *limit_bound;  /* what the limit probes bound, in words ("a lock that hands
				     off on every acquisition"): a strategy outside that class
				     may pass them */
	ct_equiv same[CT_MAX_EQUIV]; /* instruction-equivalence classes, per architecture */
	const char *notes;	     /* a paragraph for the report */
	unsigned flags;		     /* CT_VIEW_* */
} ct_view;

enum {
	CT_VIEW_TABLE = 1u << 0,       /* counts in a table, no chart and no winner (litmus) */
	CT_VIEW_OWN_THREADS = 1u << 1, /* starts its own threads: the thread count says nothing */
};

/* Declare a workload's view (once per workload; a second one aborts: a bug). */
void ct_register_view(const ct_view *v);

/* The timed loop. ct_begin waits for every thread, starts the clock and returns the
 * iteration count; ct_end stops the clock. Call each exactly once per call of fn. */
int64_t ct_begin(ct_state *st);
void ct_end(ct_state *st);

/* Batch form: returns how many iterations to run next (at most max), 0 when done (the
 * clock has then stopped). Use instead of ct_begin/ct_end, not with them. */
int64_t ct_batch(ct_state *st, int64_t max);

/* A barrier across the benchmark's own threads (all ct_threads(st) of them), e.g. so that
 * thread 0 checks the answer once every thread has published its count. */
void ct_sync(ct_state *st);

/* Stop and restart the clock inside the timed region (costly: ~100s of ns). */
void ct_pause(ct_state *st);
void ct_resume(ct_state *st);

int ct_thread_index(const ct_state *st);
int ct_threads(const ct_state *st);
int64_t ct_arg(const ct_state *st, int i);
int64_t ct_iterations(const ct_state *st); /* iterations done so far (after the loop: all) */

/* Counter flags (Google Benchmark sums every counter over threads, then applies these). */
enum {
	CT_COUNTER_PLAIN = 0,
	CT_COUNTER_RATE = 1u << 0,	     /* divided by the run's time: per second */
	CT_COUNTER_AVG_THREADS = 1u << 1,    /* divided by the thread count */
	CT_COUNTER_AVG_ITERATIONS = 1u << 2, /* divided by the iteration count: per op */
};

/* Set a counter from this thread. Because counters are summed over threads, a maximum,
 * a flag or any figure the whole run shares must be set by thread 0 only. */
void ct_counter(ct_state *st, const char *name, double value, unsigned flags);
void ct_items_processed(ct_state *st, int64_t items);
/* The family's part of the label; the harness writes "pus:<list>; <text>". Thread 0 only. */
void ct_label(ct_state *st, const char *text);
/* Fail this run with a message (e.g. a wrong answer); call outside the timed loop. A
 * message that starts with "skipped: " marks an explicit skip instead (a primitive or an
 * optional library this build lacks): listed as skipped, not counted as a failure. */
void ct_skip_error(ct_state *st, const char *msg);
/* For CT_MANUAL_TIME: the time of this iteration (or batch), in seconds. */
void ct_set_iteration_time(ct_state *st, double seconds);

/*
 * Helper threads for families that start their own (producers and consumers, pools, litmus
 * and ping-pong partners). ct_team_start starts k threads, pins the i-th to the PU at
 * position first_pu + i of the placement order (wrapping, and counted as oversubscription
 * when the order is exhausted), records the PU it ran on, and holds each before fn until
 * ct_team_go; it returns once every thread it started is running, pinned and at that gate,
 * so a clock started after it times no thread creation or migration. Pass first_pu =
 * ct_threads(st) to continue after the benchmark's own threads.
 * Every fn must return once its work is done or a stop flag it watches is set: ct_team_join
 * waits for all. Call both from one benchmark thread (usually thread 0).
 */
typedef struct ct_team ct_team;
typedef void (*ct_team_fn)(void *arg, int index);
ct_team *ct_team_start(ct_state *st, int k, int first_pu, ct_team_fn fn, void *arg);
void ct_team_go(ct_team *t);
void ct_team_join(ct_team *t);

/*
 * Pin the calling thread to position pos of the placement order (no-op for placement none)
 * and return the OS index of the PU it then runs on (-1 if unknown). Benchmark threads and
 * team threads are pinned already; this is for threads a primitive starts itself.
 */
int ct_pin_self(int pos);
/*
 * For a thread a primitive creates per job (fork-join scopes, thread-per-job executors):
 * set attr's CPU affinity to position pos of the placement order, so the thread starts on
 * its PU and no migration falls inside the clock (no-op for placement none). The thread
 * still calls ct_pin_self(pos), which then only records its PU. 0, or -1 on an error.
 */
int ct_attr_bind(void *pthread_attr, int pos);
/*
 * The cache-line round trip (ns) the harness measured between the first two PUs of the
 * placement just before this benchmark started (the result's rtt_before_ns): the unit of
 * every "in units of the round trip" counter (handoff_rtt, latency_rtt). -1 if unmeasured.
 */
double ct_rtt_before_ns(void);

/* The overhead family's reference: a function the shim replaces with Google Benchmark's own
 * native C++ loop, so the C loop's cost can be held against it. */
void ct__native_null_cpp(ct_state *st, void *ctx);

/* Number of PUs in the placement order (the PUs of the machine for placement none). */
int ct_placement_pus(void);

#ifdef __cplusplus
}
#endif

#endif
