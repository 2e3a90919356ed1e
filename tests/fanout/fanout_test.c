/*
 * fanout_test.c - semaphore-limited fan-out (benches/fanout/fanout_exec.h) on every
 * semaphore and both executors: every job runs exactly once per fan-out, the concurrency
 * inside the permit never exceeds K, and reaches K when jobs block and N >= K. The pool's
 * workers come from ct_team_start, as in the benchmark, and none is left after shutdown.
 */
#define _GNU_SOURCE
#include "bench.h"
#include "fanout/fanout_exec.h"
#include "fanout/testutil.h"

static void pool_worker(void *arg, int index)
{
	(void)index;
	fo_pool_worker(arg);
}

static void one(int kind, int exec, int work, int n, int k, uint64_t work_ns, int hold)
{
	fo_sem sem;
	fo_fanout f;
	fo_pool pool;
	const char *en = exec ? "pool" : "thread";
	int before = ct_test_threads_baseline(), rounds = 2;
	uint64_t t0 = ct_now_ns();

	CHECK(fo_sem_init(&sem, kind, k) == 0, "init");
	CHECK(fo_fanout_init(&f, &sem, n, work, work_ns) == 0, "init");
	if (hold) {
		f.hold_k = k;
		f.hold_deadline_ns = ct_now_ns() + 20 * 1000000000ull;
	}
	ct_team *team = NULL;
	if (exec) {
		CHECK(fo_pool_init(&pool, n) == 0, "pool init");
		/* P >= K, as in the benchmark; small, since idle team threads spin at
		 * ct_team_start's gate */
		team = ct_team_start(NULL, k + 2 < n ? k + 2 : n, 0, pool_worker, &pool);
		ct_team_go(team);
	}
	for (int r = 0; r < rounds; r++)
		if (exec)
			fo_fanout_run_pool(&f, &pool);
		else
			CHECK(fo_fanout_run_threads(&f) == 0, "thread start");
	if (exec) {
		fo_pool_shutdown(&pool);
		ct_team_join(team);
		fo_pool_destroy(&pool);
	}
	int bad = fo_fanout_check_runs(&f, rounds);
	int maxc = atomic_load(&f.max_inside);
	CHECK(!bad, "%s/%s: job %d ran %d times in %d fan-outs", fo_sem_names[kind], en, bad - 1,
	      bad ? atomic_load(&f.runs[bad - 1]) : 0, rounds);
	CHECK(maxc <= k, "%s/%s: %d jobs inside %d permits", fo_sem_names[kind], en, maxc, k);
	if (hold)
		CHECK(maxc == k, "%s/%s: blocking jobs reached only %d of %d permits",
		      fo_sem_names[kind], en, maxc, k);
	int left = 0;
	while (left <= k && fo_sem_try(&sem))
		left++;
	CHECK(left == k, "%s/%s: %d permits left of %d", fo_sem_names[kind], en, left, k);
	CHECK(ct_test_threads() == before, "%s/%s: %d threads before, %d after", fo_sem_names[kind],
	      en, before, ct_test_threads());
	fo_fanout_destroy(&f);
	fo_sem_destroy(&sem);
	printf("%s/%s/%s n=%d k=%d: max %d, %.0f ms\n", fo_sem_names[kind], en,
	       work == FO_WORK_CPU ? "cpu" : "sleep", n, k, maxc, (double)(ct_now_ns() - t0) / 1e6);
}

int main(void)
{
	int n = CT_TSAN ? 32 : 64;
	for (int kind = 0; kind < FO_SEM_KINDS; kind++)
		for (int exec = 0; exec < 2; exec++) {
			static const int ks[] = {1, 4, 8};
			for (int i = 0; i < (CT_TSAN ? 2 : 3); i++) {
				/* blocking jobs: the permits fill up (held until K are in) */
				one(kind, exec, FO_WORK_SLEEP, n, ks[i], 200000, 1);
				/* CPU jobs: never above K */
				one(kind, exec, FO_WORK_CPU, n, ks[i], 20000, 0);
			}
			/* more permits than jobs: all N at once at most */
			one(kind, exec, FO_WORK_SLEEP, 16, 64, 100000, 0);
		}
	return ct_test_done("fanout_exec_test");
}
