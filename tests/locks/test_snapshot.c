/*
 * test_snapshot.c - the read sides of lock_readmostly: under the rwlocks, the seqlock and
 * the RCU snapshot no reader ever sees a torn snapshot while a writer replaces it, and no
 * write is lost; readers really share the rwlocks (observed: two readers inside at once,
 * while a mutex as control never lets them); RCU reclamation reuses snapshots, and never
 * one a reader can still reach.
 */
#include "lk_test.h" /* first: it defines _GNU_SOURCE */

#include <string.h>

#include "locks/lk_mutex.h"
#include "locks/lk_rcu.h"
#include "locks/lk_rwlock.h"
#include "locks/lk_seqlock.h"

#define LK_SHARED_READS 1
#define LK_TOK		rwlock_rd
#include "locks/lk_tpl_lock.h"
#undef LK_TOK
#define LK_TOK rwlock_wr
#include "locks/lk_tpl_lock.h"
#undef LK_TOK
#undef LK_SHARED_READS

/* The writer replaces the snapshot at least WRITES times, and goes on until the readers
 * (the other threads) have read READS times while it writes: no timing assumption. */
static uint64_t WRITES; /* lk_iters(100000), both set in main before any thread */
static long READS;

static ct_stop stop;
static atomic_long reader_reads;
static atomic_int gate;

typedef struct {
	int id;
	uint64_t reads, torn, writes;
} arg_t;

/* Thread 0 writes WRITES times (and reads between), the others read until it is done. */
#define SNAPSHOT_TEST(tok)                                                                         \
	static lk_##tok##_rm_t tok##_rm;                                                           \
	static void *tok##_worker(void *p)                                                         \
	{                                                                                          \
		arg_t *a = p;                                                                      \
		lk_##tok##_node_t node;                                                            \
		uint64_t f[LK_SNAP_WORDS];                                                         \
		while (!atomic_load(&gate))                                                        \
			ct_cpu_relax();                                                            \
		lk_##tok##_rm_enter(&tok##_rm, &node, a->id);                                      \
		while (a->id == 0 ? a->writes < WRITES || atomic_load(&reader_reads) < READS       \
				  : !ct_stop_seen(&stop)) {                                        \
			if (a->id == 0) {                                                          \
				lk_##tok##_rm_write(&tok##_rm, &node);                             \
				a->writes++;                                                       \
				for (int k = 0; k < 16; k++) /* room for readers */                \
					ct_cpu_relax();                                            \
			}                                                                          \
			lk_##tok##_rm_read(&tok##_rm, &node, f);                                   \
			a->reads++;                                                                \
			if (a->id)                                                                 \
				atomic_fetch_add_explicit(&reader_reads, 1, memory_order_relaxed); \
			a->torn += (uint64_t)lk_snap_torn(f);                                      \
			lk_##tok##_rm_quiescent(&tok##_rm, &node);                                 \
		}                                                                                  \
		if (a->id == 0)                                                                    \
			ct_stop_set(&stop);                                                        \
		lk_##tok##_rm_leave(&tok##_rm, &node);                                             \
		return NULL;                                                                       \
	}                                                                                          \
	static void tok##_test(void)                                                               \
	{                                                                                          \
		int n = lk_test_threads() + 1;                                                     \
		arg_t args[16] = {{0}};                                                            \
		pthread_t t[16];                                                                   \
		lk_##tok##_rm_init(&tok##_rm, n);                                                  \
		ct_stop_init(&stop);                                                               \
		atomic_store(&gate, 0);                                                            \
		atomic_store(&reader_reads, 0);                                                    \
		for (int i = 0; i < n; i++) {                                                      \
			args[i].id = i;                                                            \
			pthread_create(&t[i], NULL, tok##_worker, &args[i]);                       \
		}                                                                                  \
		atomic_store(&gate, 1);                                                            \
		uint64_t reads = 0, torn = 0;                                                      \
		for (int i = 0; i < n; i++) {                                                      \
			pthread_join(t[i], NULL);                                                  \
			reads += args[i].reads;                                                    \
			torn += args[i].torn;                                                      \
		}                                                                                  \
		uint64_t writes = args[0].writes;                                                  \
		CHECK(torn == 0, "%s: %llu of %llu reads torn", #tok, (unsigned long long)torn,    \
		      (unsigned long long)reads);                                                  \
		CHECK(lk_##tok##_rm_version(&tok##_rm) == writes,                                  \
		      "%s: version %llu after %llu writes", #tok,                                  \
		      (unsigned long long)lk_##tok##_rm_version(&tok##_rm),                        \
		      (unsigned long long)writes);                                                 \
		lk_##tok##_rm_destroy(&tok##_rm);                                                  \
		printf("%-10s %d threads, %llu writes, %llu reads: none torn\n", #tok, n,          \
		       (unsigned long long)writes, (unsigned long long)reads);                     \
	}

SNAPSHOT_TEST(rwlock_rd)
SNAPSHOT_TEST(rwlock_wr)
SNAPSHOT_TEST(seqlock)
SNAPSHOT_TEST(rcu)

/* Readers share: each, holding the read lock, waits (up to a limit) for a second reader. */
static atomic_int readers_in, readers_max;
static uint64_t share_wait_ns;

#define SHARE_TEST(tok, rd, rdun)                                                                  \
	static lk_##tok##_t tok##_share;                                                           \
	static void *tok##_reader(void *p)                                                         \
	{                                                                                          \
		(void)p;                                                                           \
		lk_nonode_t node;                                                                  \
		rd(&tok##_share, &node);                                                           \
		int now = atomic_fetch_add(&readers_in, 1) + 1;                                    \
		int m = atomic_load(&readers_max);                                                 \
		while (now > m && !atomic_compare_exchange_weak(&readers_max, &m, now))            \
			;                                                                          \
		uint64_t t0 = ct_now_ns();                                                         \
		while (atomic_load(&readers_max) < 2 && ct_now_ns() - t0 < share_wait_ns)          \
			ct_cpu_relax();                                                            \
		atomic_fetch_sub(&readers_in, 1);                                                  \
		rdun(&tok##_share, &node);                                                         \
		return NULL;                                                                       \
	}                                                                                          \
	static int tok##_share_max(uint64_t wait_ns)                                               \
	{                                                                                          \
		share_wait_ns = wait_ns;                                                           \
		atomic_store(&readers_in, 0);                                                      \
		atomic_store(&readers_max, 0);                                                     \
		lk_##tok##_init(&tok##_share);                                                     \
		pthread_t t[2];                                                                    \
		for (int i = 0; i < 2; i++)                                                        \
			pthread_create(&t[i], NULL, tok##_reader, NULL);                           \
		for (int i = 0; i < 2; i++)                                                        \
			pthread_join(t[i], NULL);                                                  \
		lk_##tok##_destroy(&tok##_share);                                                  \
		return atomic_load(&readers_max);                                                  \
	}

SHARE_TEST(rwlock_rd, lk_rwlock_rd_rdlock, lk_rwlock_rd_rdunlock)
SHARE_TEST(rwlock_wr, lk_rwlock_wr_rdlock, lk_rwlock_wr_rdunlock)
SHARE_TEST(mutex, lk_mutex_lock, lk_mutex_unlock)

static void share_tests(void)
{
	/* Generous wait: a busy machine may start the second reader late; it never fails
	 * a sharing lock, only makes it slower. */
	int rd = rwlock_rd_share_max(10000000000u), wr = rwlock_wr_share_max(10000000000u);
	CHECK(rd >= 2, "rwlock_rd: readers never inside together (max %d)", rd);
	CHECK(wr >= 2, "rwlock_wr: readers never inside together (max %d)", wr);
	/* The control: a mutex must never show two (so the check above can fail). */
	int mx = mutex_share_max(20000000u);
	CHECK(mx == 1, "control: a mutex let %d readers in together", mx);
	printf("readers inside at once: rwlock_rd %d, rwlock_wr %d, mutex (control) %d\n", rd, wr,
	       mx);
}

/* RCU reclamation, single-threaded and deterministic: slot 1 plays a reader. */
static void rcu_reclaim_test(void)
{
	lk_rcu_t r;
	lk_rcu_init(&r, 2);
	lk_rcu_online(&r, 1);
	const lk_snap_t *held = lk_rcu_deref(&r); /* the reader holds version 0 */
	for (int i = 0; i < 100; i++)
		LK_RCU_UPDATE(&r, 0, s, lk_snap_fill(s->f, s->f[0] + 1));
	/* Nothing could be reused while the reader lags: version 0 must be intact. */
	CHECK(!lk_snap_torn(held->f) && held->f[0] == 0,
	      "rcu: a snapshot a reader holds was reused");
	CHECK(r.allocated == 101, "rcu: %llu snapshots for 100 writes and a lagging reader",
	      (unsigned long long)r.allocated);
	lk_rcu_quiescent(&r, 1); /* the reader lets go */
	uint64_t before = r.allocated;
	for (int i = 0; i < 1000; i++) {
		LK_RCU_UPDATE(&r, 0, s, lk_snap_fill(s->f, s->f[0] + 1));
		lk_rcu_quiescent(&r, 1);
	}
	CHECK(r.allocated == before, "rcu: %llu new snapshots although the reader keeps up",
	      (unsigned long long)(r.allocated - before));
	CHECK(lk_rcu_deref(&r)->f[0] == 1100, "rcu: version %llu after 1100 writes",
	      (unsigned long long)lk_rcu_deref(&r)->f[0]);
	lk_rcu_offline(&r, 1);
	lk_rcu_destroy(&r);
	printf("rcu reclamation: held snapshot kept, %llu snapshots for 1100 writes\n",
	       (unsigned long long)before);
}

int main(void)
{
	WRITES = (uint64_t)lk_iters(100000);
	READS = lk_iters(100000);
	rwlock_rd_test();
	rwlock_wr_test();
	seqlock_test();
	rcu_test();
	share_tests();
	rcu_reclaim_test();
	return ct_check_failures ? 1 : 0;
}
