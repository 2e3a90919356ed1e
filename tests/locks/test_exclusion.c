/*
 * test_exclusion.c - every lock of the locks family excludes: N threads x M increments of
 * a plain (non-atomic) counter under the lock end exact, and an "inside" flag set by the
 * holder is never found set by a second holder. Under TSan a lock that does not exclude
 * also shows as a data race on the counter.
 */
#include "lk_test.h"

#include <string.h>

#include "locks/lk_clh.h"
#include "locks/lk_mcs.h"
#include "locks/lk_mutex.h"
#include "locks/lk_rwlock.h"
#include "locks/lk_seqlock.h"
#include "locks/lk_spin.h"
#include "locks/lk_tas.h"
#include "locks/lk_ticket.h"
#include "locks/lk_ttas.h"

static int M; /* lk_iters(500000), set in main before any thread */

typedef struct {
	int id;
	uint64_t mine;
} arg_t;

static atomic_int inside, gate;
static uint64_t counter;
static atomic_long violations;

/* One test per strategy token: its own lock, worker and check. */
#define EXCLUSION_TEST(tok)                                                                        \
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
			/* relaxed: the flag must not order anything itself */                     \
			if (atomic_exchange_explicit(&inside, 1, memory_order_relaxed))            \
				atomic_fetch_add(&violations, 1);                                  \
			counter++;                                                                 \
			a->mine++;                                                                 \
			atomic_store_explicit(&inside, 0, memory_order_relaxed);                   \
			lk_##tok##_unlock(&tok##_lock, node);                                      \
		}                                                                                  \
		return NULL;                                                                       \
	}                                                                                          \
	static void tok##_test(void)                                                               \
	{                                                                                          \
		int n = lk_test_threads();                                                         \
		arg_t args[16] = {{0}};                                                            \
		lk_##tok##_init(&tok##_lock);                                                      \
		memset(tok##_nodes, 0, sizeof(tok##_nodes));                                       \
		counter = 0;                                                                       \
		atomic_store(&violations, 0);                                                      \
		atomic_store(&gate, 0);                                                            \
		for (int i = 0; i < n; i++)                                                        \
			args[i].id = i;                                                            \
		pthread_t t[16];                                                                   \
		for (int i = 0; i < n; i++)                                                        \
			pthread_create(&t[i], NULL, tok##_worker, &args[i]);                       \
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
		printf("%-16s %d threads x %d: ok\n", #tok, n, M);                                 \
	}

EXCLUSION_TEST(mutex)
EXCLUSION_TEST(mutex_adaptive)
EXCLUSION_TEST(spin)
EXCLUSION_TEST(tas)
EXCLUSION_TEST(ttas)
EXCLUSION_TEST(ttas_eb)
EXCLUSION_TEST(ticket)
EXCLUSION_TEST(ticket_pb)
EXCLUSION_TEST(mcs)
EXCLUSION_TEST(clh)
EXCLUSION_TEST(rwlock_rd)
EXCLUSION_TEST(rwlock_wr)
EXCLUSION_TEST(seqlock)

/*
 * The one-word ticket lock keeps the owner in the word's low 16 bits: past 65535
 * acquisitions the owner wraps, and its carry must not reach the next ticket in the high
 * half (the lock would then look held forever). One thread takes it 65536 + 3 times; after
 * every release the two halves must agree, so a wrong carry fails here instead of hanging
 * the next lock call.
 */
static int ticket_wrap_test(void)
{
	lk_ticket_t l;
	lk_ticket_node_t n = {0};
	lk_ticket_init(&l);
	unsigned k, bad = 0;
	for (k = 1; k <= 0x10000u + 3 && !bad; k++) {
		lk_ticket_lock(&l, &n);
		lk_ticket_unlock(&l, &n);
		unsigned w = atomic_load(&l.word);
		if (w != ((k & LK_TICKET_MASK) << 16 | (k & LK_TICKET_MASK)))
			bad = k;
	}
	CHECK(!bad, "ticket: after %u acquisitions the word is %#x", bad, atomic_load(&l.word));
	printf("%-16s wraps past %u acquisitions: %s\n", "ticket", k - 1, bad ? "FAILED" : "ok");
	return bad ? -1 : 0;
}

int main(void)
{
	if (ticket_wrap_test()) /* the threaded ticket tests would wait forever */
		return 1;
	M = lk_iters(500000);
	mutex_test();
	mutex_adaptive_test();
	spin_test();
	tas_test();
	ttas_test();
	ttas_eb_test();
	ticket_test();
	ticket_pb_test();
	mcs_test();
	clh_test();
	rwlock_rd_test();
	rwlock_wr_test();
	seqlock_test();
	return ct_check_failures ? 1 : 0;
}
