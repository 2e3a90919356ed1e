/*
 * test_park.c - the spin-then-park locks (ttas_park, ticket_park, mcs_park, clh_park)
 * exclude and never lose a wake-up: N threads x M increments of a plain counter end exact,
 * no two holders are ever inside, and every thread finishes (a lost wake-up hangs the
 * test, which ctest's timeout then fails). Each lock runs twice: with a budget of 0, so
 * nearly every wait parks (the futex paths), and with its default budget; and with twice
 * as many threads as CPUs, where holders and waiters are preempted and parking is the
 * point, parking at once and yielding before it. Under TSan a lock that does not exclude also shows
 * as a race on the counter.
 */
#include "lk_test.h"

#include <string.h>

#include "locks/lk_clh.h"
#include "locks/lk_mcs.h"
#include "locks/lk_ticket.h"
#include "locks/lk_ttas.h"

static int M; /* lk_iters(200000), set in main before any thread */

typedef struct {
	int id;
	uint64_t mine;
} arg_t;

static atomic_int inside, gate;
static uint64_t counter;
static atomic_long violations;

#define PARK_TEST(tok)                                                                             \
	static lk_##tok##_t tok##_lock;                                                            \
	/* Nodes outlive every thread (a CLH node migrates to another thread). */                  \
	static lk_##tok##_node_t tok##_nodes[16];                                                  \
	static void *tok##_worker(void *p)                                                         \
	{                                                                                          \
		arg_t *a = p;                                                                      \
		lk_##tok##_node_t *node = &tok##_nodes[a->id];                                     \
		while (!atomic_load(&gate))                                                        \
			ct_cpu_relax();                                                            \
		for (int i = 0; i < M; i++) {                                                      \
			lk_##tok##_lock(&tok##_lock, node);                                        \
			if (atomic_exchange_explicit(&inside, 1, memory_order_relaxed))            \
				atomic_fetch_add(&violations, 1);                                  \
			counter++;                                                                 \
			a->mine++;                                                                 \
			atomic_store_explicit(&inside, 0, memory_order_relaxed);                   \
			lk_##tok##_unlock(&tok##_lock, node);                                      \
		}                                                                                  \
		return NULL;                                                                       \
	}                                                                                          \
	static void tok##_test(int n, uint64_t budget, uint64_t yield)                             \
	{                                                                                          \
		arg_t args[16] = {{0}};                                                            \
		lk_##tok##_init(&tok##_lock);                                                      \
		memset(tok##_nodes, 0, sizeof(tok##_nodes));                                       \
		tok##_lock.spin_ns = budget;                                                       \
		tok##_lock.yield_ns = yield;                                                       \
		counter = 0;                                                                       \
		atomic_store(&violations, 0);                                                      \
		atomic_store(&gate, 0);                                                            \
		pthread_t t[16];                                                                   \
		for (int i = 0; i < n; i++)                                                        \
			args[i].id = i;                                                            \
		for (int i = 0; i < n; i++)                                                        \
			if (pthread_create(&t[i], NULL, tok##_worker, &args[i])) {                 \
				perror("pthread_create");                                          \
				exit(2);                                                           \
			}                                                                          \
		atomic_store(&gate, 1);                                                            \
		for (int i = 0; i < n; i++)                                                        \
			pthread_join(t[i], NULL);                                                  \
		uint64_t sum = 0;                                                                  \
		for (int i = 0; i < n; i++)                                                        \
			sum += args[i].mine;                                                       \
		CHECK(counter == (uint64_t)n * M && sum == counter,                                \
		      "%s: counter %llu after %d x %d increments", #tok,                           \
		      (unsigned long long)counter, n, M);                                          \
		CHECK(atomic_load(&violations) == 0, "%s: %ld times two holders inside", #tok,     \
		      atomic_load(&violations));                                                   \
		lk_##tok##_destroy(&tok##_lock);                                                   \
		printf("%-12s %d threads x %d, spin %llu ns, yield %llu ns: ok\n", #tok, n, M,     \
		       (unsigned long long)budget, (unsigned long long)yield);                     \
	}

PARK_TEST(ttas_park)
PARK_TEST(ticket_park)
PARK_TEST(mcs_park)
PARK_TEST(clh_park)

int main(void)
{
	/* Parking costs a system call per handoff: fewer iterations than test_exclusion, and
	 * the same on one CPU (where parking, not spinning, is what lets the holder run). */
	M = 200000 / LK_TEST_SCALE;
	int cpus = ct_test_cpus();
	int n = lk_test_threads(), over = 2 * cpus > 8 ? 8 : 2 * cpus;
	uint64_t budgets[] = {0, LK_PARK_SPIN_NS};
	for (int b = 0; b < 2; b++) {
		ttas_park_test(n, budgets[b], 0);
		ticket_park_test(n, budgets[b], 0);
		mcs_park_test(n, budgets[b], 0);
		clh_park_test(n, budgets[b], 0);
	}
	/* Oversubscribed, parking at once: the FIFO locks hand over to sleeping threads; then
	 * yielding first, as the benchmarks do there (a short yield, so both paths run). */
	M /= 4;
	for (int y = 0; y < 2; y++) {
		uint64_t yield = y ? LK_PARK_SPIN_NS : 0;
		ttas_park_test(over, 0, yield);
		ticket_park_test(over, 0, yield);
		mcs_park_test(over, 0, yield);
		clh_park_test(over, 0, yield);
	}
	return ct_check_failures ? 1 : 0;
}
