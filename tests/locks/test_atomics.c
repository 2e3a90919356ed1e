/*
 * test_atomics.c - the lock-free strategies of lock_counter (lk_atomic.h): fetch_add and
 * the CAS loop end exact under every ordering, N threads x M increments.
 */
#include "lk_test.h"
#include "locks/lk_atomic.h"

static int M; /* lk_iters(500000), set in main before any thread */

static atomic_uint_fast64_t c;
static atomic_int gate;

#define ATOMIC_TEST(tok, step)                                                                     \
	static void *tok##_worker(void *p)                                                         \
	{                                                                                          \
		(void)p;                                                                           \
		while (!atomic_load(&gate))                                                        \
			ct_cpu_relax();                                                            \
		for (int i = 0; i < M; i++)                                                        \
			step;                                                                      \
		return NULL;                                                                       \
	}                                                                                          \
	static void tok##_test(void)                                                               \
	{                                                                                          \
		int n = lk_test_threads();                                                         \
		pthread_t t[16];                                                                   \
		atomic_store(&c, 0);                                                               \
		atomic_store(&gate, 0);                                                            \
		for (int i = 0; i < n; i++)                                                        \
			pthread_create(&t[i], NULL, tok##_worker, NULL);                           \
		atomic_store(&gate, 1);                                                            \
		for (int i = 0; i < n; i++)                                                        \
			pthread_join(t[i], NULL);                                                  \
		CHECK(atomic_load(&c) == (uint64_t)n * M, "%s: %llu after %d x %d", #tok,          \
		      (unsigned long long)atomic_load(&c), n, M);                                  \
		printf("%-12s %d threads x %d: ok\n", #tok, n, M);                                 \
	}

ATOMIC_TEST(faa_relaxed, LK_FAA(&c, relaxed))
ATOMIC_TEST(faa_acquire, LK_FAA(&c, acquire))
ATOMIC_TEST(faa_release, LK_FAA(&c, release))
ATOMIC_TEST(faa_acq_rel, LK_FAA(&c, acq_rel))
ATOMIC_TEST(faa_seq_cst, LK_FAA(&c, seq_cst))
ATOMIC_TEST(cas_relaxed, LK_CAS(&c, relaxed, relaxed))
ATOMIC_TEST(cas_acquire, LK_CAS(&c, acquire, acquire))
ATOMIC_TEST(cas_release, LK_CAS(&c, release, relaxed))
ATOMIC_TEST(cas_acq_rel, LK_CAS(&c, acq_rel, acquire))
ATOMIC_TEST(cas_seq_cst, LK_CAS(&c, seq_cst, seq_cst))

int main(void)
{
	M = lk_iters(500000);
	faa_relaxed_test();
	faa_acquire_test();
	faa_release_test();
	faa_acq_rel_test();
	faa_seq_cst_test();
	cas_relaxed_test();
	cas_acquire_test();
	cas_release_test();
	cas_acq_rel_test();
	cas_seq_cst_test();
	return ct_check_failures ? 1 : 0;
}
