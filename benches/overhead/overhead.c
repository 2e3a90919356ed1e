/*
 * overhead.c - the overhead family: the harness measuring itself, and (test builds only) benchmarks
 * that fail.
 *
 * overhead_null/cpp: Google Benchmark's native `for (auto _ : state)` loop, body one
 * compiler barrier; overhead_null/c: the same through the C API's begin/end. Equal
 * figures mean the C API adds nothing per iteration. Metric: ns per iteration.
 *
 * The overhead_fault/<kind> benchmarks exist only with CONTEND_TEST_BENCHES=1: one never
 * finishes, one crashes, one deadlocks two threads, one reports a wrong answer. The
 * runner's tests check that each is cut off and listed as failed, and nothing else lost.
 */
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include "bench.h"

static void null_c(ct_state *st, void *ctx)
{
	(void)ctx;
	/*
	 * The very instructions of Google Benchmark's range-for, so that only the API around
	 * the loop differs. Its iterator counts a cached total down to 0, testing at every
	 * iteration, and GCC compiles that to two iterations per taken branch: sub/je, sub/jne.
	 * A plain C loop takes a branch per iteration, which on this host runs at one cycle or
	 * two depending on what shares the core (seen: 0.28 and 0.5 ns in alternate
	 * repetitions while the native loop stayed at 0.28). Unrolled by 2 with the count kept
	 * opaque (an empty asm, no instruction), so both decrements and tests stay, it compiles
	 * to the same four instructions.
	 */
#pragma GCC unroll 2
	for (int64_t n = ct_begin(st); n != 0; n--) {
		ct_clobber_memory();
		__asm__ volatile("" : "+r"(n));
	}
	ct_end(st);
}

/* The shim checks every C API path: counters, label, items; the tests read them back. */
static void shim_probe(ct_state *st, void *ctx)
{
	(void)ctx;
	int64_t k, total = 0;
	while ((k = ct_batch(st, 1000)) > 0) {
		if (total == 0) {
			ct_pause(st);
			ct_resume(st);
		}
		for (int64_t i = 0; i < k; i++)
			ct_clobber_memory();
		total += k;
	}
	if (total != ct_iterations(st)) {
		ct_skip_error(st, "batches did not add up to the iteration count");
		return;
	}
	ct_counter(st, "probe_plain", 7, CT_COUNTER_PLAIN);
	ct_counter(st, "probe_avg", 3, CT_COUNTER_AVG_THREADS);
	ct_counter(st, "probe_iters", (double)total, CT_COUNTER_PLAIN);
	ct_items_processed(st, total * 2);
	if (ct_thread_index(st) == 0) {
		ct_counter(st, "probe_threads", ct_threads(st), CT_COUNTER_PLAIN);
		ct_counter(st, "probe_arg", (double)ct_arg(st, 0), CT_COUNTER_PLAIN);
		ct_label(st, "probe label");
	}
}

/* A team of helper threads after the benchmark's own: pinned, gated, recorded. */
struct team_probe {
	ct_gate *go_seen;
	atomic_long sum;
};

static void team_member(void *arg, int index)
{
	struct team_probe *p = arg;
	atomic_fetch_add(&p->sum, index + 1);
}

static void team_probe(ct_state *st, void *ctx)
{
	struct team_probe p = {.sum = 0};
	int k = (int)ct_arg(st, 0);
	(void)ctx;
	ct_team *t = ct_team_start(st, k, ct_threads(st), team_member, &p);
	int64_t n = ct_begin(st);
	ct_team_go(t);
	for (int64_t i = 0; i < n; i++)
		ct_clobber_memory();
	ct_end(st);
	ct_team_join(t);
	if (atomic_load(&p.sum) != (long)k * (k + 1) / 2)
		ct_skip_error(st, "a team member did not run");
}

static void fault_hang(ct_state *st, void *ctx)
{
	(void)ctx;
	ct_begin(st);
	for (;;)
		pause(); /* the runner's deadline is its only way out */
}

static void fault_crash(ct_state *st, void *ctx)
{
	(void)ctx;
	ct_begin(st);
	raise(SIGSEGV);
	ct_end(st);
}

/* Two threads each take one lock, then wait for the other's: a deadlock. */
static pthread_mutex_t dl_a = PTHREAD_MUTEX_INITIALIZER, dl_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t dl_bar;

static void fault_deadlock(ct_state *st, void *ctx)
{
	(void)ctx;
	int me = ct_thread_index(st);
	ct_begin(st);
	pthread_mutex_lock(me ? &dl_b : &dl_a);
	pthread_barrier_wait(&dl_bar);
	pthread_mutex_lock(me ? &dl_a : &dl_b);
	ct_end(st);
}

static void skip_probe(ct_state *st, void *ctx)
{
	(void)ctx;
	ct_skip_error(st, "skipped: test only, stands for a missing optional library");
}

static void fault_wrong(ct_state *st, void *ctx)
{
	(void)ctx;
	int64_t n = ct_begin(st);
	for (int64_t i = 0; i < n; i++)
		ct_clobber_memory();
	ct_end(st);
	ct_skip_error(st, "wrong answer: counted 1 message, sent 2");
}

void ct_register_overhead(void)
{
	ct_register_view(&(ct_view){
	    .workload = "overhead_null",
	    .section = "Harness",
	    .title = "harness overhead",
	    .question = "Does the C API add anything per iteration to Google Benchmark's own "
			"loop?",
	    .metric = "real_time",
	    .metric_label = "time per iteration",
	    .lower_is_better = 1,
	    .baseline = "cpp"});
	ct_register(&(ct_def){
	    .workload = "overhead_null",
	    .strategy = "cpp",
	    .summary = "harness reference: native C++ range-for, body a compiler barrier",
	    .fn = ct__native_null_cpp,
	    .flags = CT_QUICK | CT_DEFAULT,
	});
	ct_register(&(ct_def){
	    .workload = "overhead_null",
	    .strategy = "c",
	    .summary = "the C API's begin/end loop, body a compiler barrier",
	    .fn = null_c,
	    .flags = CT_QUICK | CT_DEFAULT,
	});
	ct_register(&(ct_def){
	    .workload = "overhead_probe",
	    .strategy = "shim",
	    .summary = "every C API call once: batches, counters, label, items (for the tests)",
	    .fn = shim_probe,
	    .threads = {1, 2},
	    .args = {42},
	    .nargs = 1,
	    .flags = CT_INDEPENDENT,
	});
	ct_register(&(ct_def){
	    .workload = "overhead_probe",
	    .strategy = "team",
	    .summary = "one benchmark thread and a team of 1 (for the tests: pinning, pus label)",
	    .fn = team_probe,
	    .args = {1},
	    .nargs = 1,
	    .flags = CT_REAL_TIME,
	});
	pthread_barrier_init(&dl_bar, NULL, 2);
	ct_register(&(ct_def){.workload = "overhead_fault",
			      .strategy = "hang",
			      .summary = "test only: never finishes",
			      .fn = fault_hang,
			      .flags = CT_TEST_ONLY});
	ct_register(&(ct_def){.workload = "overhead_fault",
			      .strategy = "crash",
			      .summary = "test only: crashes",
			      .fn = fault_crash,
			      .flags = CT_TEST_ONLY});
	ct_register(&(ct_def){.workload = "overhead_fault",
			      .strategy = "deadlock",
			      .summary = "test only: two threads deadlock",
			      .fn = fault_deadlock,
			      .threads = {2},
			      .flags = CT_TEST_ONLY | CT_REAL_TIME | CT_LOCKSTEP});
	ct_register(&(ct_def){.workload = "overhead_fault",
			      .strategy = "skip",
			      .summary = "test only: an explicit skip",
			      .fn = skip_probe,
			      .flags = CT_TEST_ONLY});
	ct_register(&(ct_def){.workload = "overhead_fault",
			      .strategy = "wrong",
			      .summary = "test only: reports a wrong answer",
			      .fn = fault_wrong,
			      .flags = CT_TEST_ONLY});
}
