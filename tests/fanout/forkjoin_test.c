/*
 * forkjoin_test.c - fork-join (benches/fanout/forkjoin.h): threads per scope and the
 * barrier pool both compute the right sum for several worker counts and sizes (including
 * sizes that do not divide evenly and fewer elements than workers); the pool's workers all
 * return at shutdown (no thread left).
 */
#define _GNU_SOURCE
#include "bench.h"
#include "fanout/forkjoin.h"
#include "fanout/testutil.h"

static void worker(void *arg, int index)
{
	fo_fj_pool_worker(arg, index);
}

int main(void)
{
	static const int ts[] = {1, 2, 3, 4, 8};
	static const int es[] = {0, 3, 1000, 4096, 100003};
	int before = ct_test_threads_baseline();

	for (int a = 0; a < 5; a++)
		for (int b = 0; b < 5; b++) {
			int t = ts[a], e = es[b];
			uint64_t *arr = malloc(sizeof(*arr) * (size_t)(e ? e : 1));
			fo_fj_arg args[8];
			fo_fj f;
			uint64_t want = 0;
			for (int i = 0; i < e; i++)
				want += arr[i] = (uint64_t)i * 7 + 3;
			CHECK(fo_fj_init(&f, arr, (size_t)e, t) == 0, "init");
			int err = 0;
			for (int r = 0; r < 3; r++) {
				uint64_t s = fo_fj_spawn_scope(&f, args, &err);
				CHECK(s == want, "spawn t=%d e=%d: %llu, want %llu", t, e,
				      (unsigned long long)s, (unsigned long long)want);
			}
			CHECK(!err, "spawn t=%d: a thread did not start", t);
			ct_team *team = ct_team_start(NULL, t, 0, worker, &f);
			ct_team_go(team);
			for (int r = 0; r < CT_SCALE(50); r++) {
				uint64_t s = fo_fj_pool_scope(&f);
				CHECK(s == want, "pool t=%d e=%d: %llu, want %llu", t, e,
				      (unsigned long long)s, (unsigned long long)want);
			}
			fo_fj_pool_shutdown(&f);
			ct_team_join(team);
			fo_fj_destroy(&f);
			free(arr);
			CHECK(ct_test_threads() == before, "t=%d: %d threads before, %d after", t,
			      before, ct_test_threads());
		}
	return ct_test_done("fanout_forkjoin_test");
}
