/*
 * locks.c - the locks family: "a mutex, a reader-writer lock, or atomics?" answered with
 * every strategy on the same workloads, so rows compare.
 *
 * Workloads (each a fixed-duration window, see lk_window.h):
 *   lock_counter/<s>                     increment one shared 64-bit counter (the
 *                                        Arc<Mutex<u64>> example). Every strategy that can:
 *                                        the locks, the seqlock's write side, and atomic
 *                                        fetch_add / CAS loops under every ordering. Not
 *                                        rcu: every operation would be a copy and publish.
 *   lock_readmostly/<s>/read:<pct>       a 64-byte configuration snapshot (the
 *                                        RwLock<Config> example) read by pct % of the
 *                                        operations and replaced by the rest; every read is
 *                                        checked for a torn snapshot. Locks, rwlocks,
 *                                        seqlock and rcu (no single atomic holds 64 bytes).
 *   lock_cs/<s>/c:<C>/w:<W>              C ns of work inside the lock, W ns outside, so the
 *                                        spin-versus-park trade-off shows; threads up to
 *                                        twice the PU count. Locks (and the
 *                                        seqlock's write side) only.
 * Stressed: the line(s) of the lock and the data moving between cores, and what a waiter
 * does meanwhile (spin, back off, queue, park). Left out: priority inversion, lock
 * nesting, memory allocation (the rcu writer reuses reclaimed snapshots).
 * Metrics: ops_per_sec, ns_per_op, cpu_ns_per_op, fair_maxmin, fair_cv, handoff_pct and
 * handoff_rtt (the round-trip unit), defined in lk_window.h; answers are checked after the
 * clock stops (exact count, no torn read, no lost write) and a wrong one fails the result.
 * Hardware: on x86-64 every atomic read-modify-write is a locked instruction, a full
 * barrier whatever the ordering asked, so faa_* cost the same across orderings, as do
 * cas_*; on Arm (LSE) relaxed and acq_rel differ.
 * Optional peers: ck_* (Concurrency Kit) and urcu_* (liburcu) rows are always registered;
 * a build without the library reports them as failed with "skipped: built without ...".
 * Each spinning design has a ck reference row of the same design (lk_ck.h): tas/ttas/
 * ttas_eb - ck_fas, ck_fas_eb, ck_cas_eb; ticket/ticket_pb - ck_ticket, ck_ticket_pb; mcs -
 * ck_mcs; clh - ck_clh.
 *
 * Lock forms. Each algorithm as first written and in its published tuned form, and a _park
 * form of each spinning lock (spin at most spin_budget_ns, derived from the round trip
 * measured before the run, then sleep on a futex: lk_park.h) so that lock_cs with more
 * threads than PUs compares like with like against the mutex:
 *   tas; ttas (backoff restarted per acquisition); ttas_eb (libslock's: per-thread backoff
 *   kept across acquisitions); ttas_park. ticket; ticket_pb (proportional backoff);
 *   ticket_park. mcs; mcs_park. clh; clh_park.
 * Reached here (AMD EPYC, 2 vCPUs, KVM, 2026-12, lock_counter at 2 threads, medians of 7
 * interleaved runs, the round trip ~70 or ~420 ns as the host moves the vCPUs): ttas_eb
 * 0.12 round trips per operation at ~70 ns, 0.02-0.03 at ~420 (long streaks: 73 % of its
 * own 1-thread rate, 5.4x the mutex, fair_maxmin 1.1); the FIFO locks are bound by a
 * handoff per operation: ticket 0.9 and clh 0.9 round trips per operation at ~70 ns
 * (0.67 and 0.43 at ~420), mcs 1.4 (the ck rows 0.65-1.05), so they stay below a mutex that
 * re-acquires in streaks (fair_maxmin 1.1-1.5). The _park forms pay an atomic exchange in
 * every release (to see a sleeper) and, in ticket_park, a seq_cst store; with twice as many
 * threads as PUs (lock_cs) they keep fair_maxmin near 1 where the spinning FIFO locks
 * starve threads, but each handoff to a sleeper costs a wake-up.
 * On an AMD EPYC family 25 model 1 (2026-12-03, round trip ~100-115 ns, two runs of 7):
 * mutex 18.2-20.3 M/s (fair_maxmin 1.13-1.23), ttas_eb 266-281 (13.9-14.6x), clh
 * 13.8-14.7 (0.72-0.76x), ticket and ticket_pb 14.2 in their one-word form (0.70x), mcs
 * 11.7-12.9; each above its ck row in both runs but mcs (ck_mcs 12.1-12.2: below it in one
 * run, above in the other). In 105 runs of each, binned by the round trip around each run
 * (2026-12-03): at 85-150 ns the mutex 26.3 M/s, ticket 13.8, ticket_pb 13.7, clh 15.6,
 * mcs 12.9, ttas_eb 318 (ck_ticket 13.6, ck_ticket_pb 13.7, ck_clh 11.9, ck_mcs 12.9,
 * ck_fas_eb 252; fair_maxmin 1.01-1.03 for the FIFO locks, 1.2-1.3 for the mutex and the
 * backoff locks); below 76 ns, a rarer placement, the FIFO locks reach 29-35 M/s and the
 * mutex 19.4: there ticket and clh pass the mutex, which they trail at every other round
 * trip measured here (lk_ticket.h). With the ticket release no longer reading the word
 * (2026-12-03, 4 runs of 21, the undisturbed runs at 76-160 ns, 36-48 of each): mutex 23.8
 * M/s, ticket 15.0 and ticket_pb 15.3 (ck_ticket 14.4, ck_ticket_pb 14.5: ticket 0.99-1.11
 * of ck_ticket per run), clh 14.7 (ck_clh 11.6), mcs 12.5 (ck_mcs 12.6, 0.97-1.03 of it per
 * run), ttas_eb 278 (ck_fas_eb 258); limit_handoff 26.8, limit_handoff_apart 12.7.
 * Limit probes, NOT locks (lk_limit.h): limit_handoff passes a turn round the threads in
 * the counter's line, one line per increment, the ceiling of any lock that hands off on
 * every acquisition; limit_handoff_apart keeps the counter on its own line, as here for
 * every lock. The report draws them as ceilings and never names them the answer.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "lk_atomic.h"
#include "lk_clh.h"
#include "lk_limit.h"
#include "lk_mcs.h"
#include "lk_mutex.h"
#include "lk_rcu.h"
#include "lk_rwlock.h"
#include "lk_seqlock.h"
#include "lk_spin.h"
#include "lk_tas.h"
#include "lk_ticket.h"
#include "lk_ttas.h"
#include "locks_peers.h"

#define LK_TOK mutex
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_TOK mutex_adaptive
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_TOK spin
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_TOK tas
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_TOK ttas
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_TOK ttas_eb
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_TOK ticket
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_TOK ticket_pb
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_TOK mcs
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_TOK clh
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_PARKS 1
#define LK_TOK	 ttas_park
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_TOK ticket_park
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_TOK mcs_park
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_TOK clh_park
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#undef LK_PARKS
#define LK_SHARED_READS 1
#define LK_TOK		rwlock_rd
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_TOK rwlock_wr
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#undef LK_SHARED_READS
#define LK_OWN_RM 1
#define LK_TOK	  seqlock
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#undef LK_OWN_RM
#define LK_TOK rcu
#include "lk_tpl_readmostly.h"
#undef LK_TOK

#define LK_TOK	    faa_relaxed
#define LK_ASTEP(c) LK_FAA(c, relaxed)
#include "lk_tpl_atomic.h"
#undef LK_TOK
#undef LK_ASTEP
#define LK_TOK	    faa_acquire
#define LK_ASTEP(c) LK_FAA(c, acquire)
#include "lk_tpl_atomic.h"
#undef LK_TOK
#undef LK_ASTEP
#define LK_TOK	    faa_release
#define LK_ASTEP(c) LK_FAA(c, release)
#include "lk_tpl_atomic.h"
#undef LK_TOK
#undef LK_ASTEP
#define LK_TOK	    faa_acq_rel
#define LK_ASTEP(c) LK_FAA(c, acq_rel)
#include "lk_tpl_atomic.h"
#undef LK_TOK
#undef LK_ASTEP
#define LK_TOK	    faa_seq_cst
#define LK_ASTEP(c) LK_FAA(c, seq_cst)
#include "lk_tpl_atomic.h"
#undef LK_TOK
#undef LK_ASTEP

#define LK_TOK	    cas_relaxed
#define LK_ASTEP(c) LK_CAS(c, relaxed, relaxed)
#include "lk_tpl_atomic.h"
#undef LK_TOK
#undef LK_ASTEP
#define LK_TOK	    cas_acquire
#define LK_ASTEP(c) LK_CAS(c, acquire, acquire)
#include "lk_tpl_atomic.h"
#undef LK_TOK
#undef LK_ASTEP
#define LK_TOK	    cas_release
#define LK_ASTEP(c) LK_CAS(c, release, relaxed)
#include "lk_tpl_atomic.h"
#undef LK_TOK
#undef LK_ASTEP
#define LK_TOK	    cas_acq_rel
#define LK_ASTEP(c) LK_CAS(c, acq_rel, acquire)
#include "lk_tpl_atomic.h"
#undef LK_TOK
#undef LK_ASTEP
#define LK_TOK	    cas_seq_cst
#define LK_ASTEP(c) LK_CAS(c, seq_cst, seq_cst)
#include "lk_tpl_atomic.h"
#undef LK_TOK
#undef LK_ASTEP

#define LK_ATOMIC_ROW(tok, what, q)                                                                \
	{                                                                                          \
#tok, what, lock_counter_##tok, NULL, NULL, q                                      \
	}

static const lk_strategy lk_strategies[] = {
    LK_ROW(mutex, "pthread mutex (default)", LK_Q_COUNTER),
    LK_ROW(mutex_adaptive, "pthread mutex, PTHREAD_MUTEX_ADAPTIVE_NP", LK_Q_COUNTER),
    LK_ROW(spin, "pthread spinlock", LK_Q_COUNTER),
    LK_ROW(tas, "test-and-set spinlock", LK_Q_COUNTER),
    LK_ROW(ttas, "test-and-test-and-set, exponential backoff restarted per acquisition",
	   LK_Q_COUNTER),
    LK_ROW(ttas_eb,
	   "test-and-test-and-set, per-thread exponential backoff kept across acquisitions",
	   LK_Q_COUNTER),
    LK_ROW(ticket, "ticket lock", LK_Q_COUNTER),
    LK_ROW(ticket_pb, "ticket lock, proportional backoff", LK_Q_COUNTER),
    LK_ROW(mcs, "MCS queue lock", LK_Q_COUNTER),
    LK_ROW(clh, "CLH queue lock", LK_Q_COUNTER),
    LK_ROW(ttas_park, "ttas_eb spinning a bounded time, then parking on a futex", LK_Q_CS),
    LK_ROW(ticket_park, "ticket_pb spinning a bounded time, then parking on a futex", LK_Q_CS),
    LK_ROW(mcs_park, "MCS spinning a bounded time, then parking on a futex", LK_Q_CS),
    LK_ROW(clh_park, "CLH spinning a bounded time, then parking on a futex", LK_Q_CS),
    LK_ROW(rwlock_rd, "pthread rwlock, reader-preferring (default)", LK_Q_READMOSTLY),
    LK_ROW(rwlock_wr, "pthread rwlock, writer-preferring", LK_Q_READMOSTLY),
    LK_ROW(seqlock, "sequence lock (writers: the sequence as a spinlock)", LK_Q_READMOSTLY),
    {"rcu", "read-copy-update snapshot, quiescent-state reclamation", NULL, lock_readmostly_rcu,
     NULL, LK_Q_READMOSTLY},
    LK_ATOMIC_ROW(faa_relaxed, "atomic fetch_add, relaxed", LK_Q_COUNTER),
    LK_ATOMIC_ROW(faa_acquire, "atomic fetch_add, acquire", LK_Q_COUNTER),
    LK_ATOMIC_ROW(faa_release, "atomic fetch_add, release", LK_Q_COUNTER),
    LK_ATOMIC_ROW(faa_acq_rel, "atomic fetch_add, acq_rel", LK_Q_COUNTER),
    LK_ATOMIC_ROW(faa_seq_cst, "atomic fetch_add, seq_cst", LK_Q_COUNTER),
    LK_ATOMIC_ROW(cas_relaxed, "CAS loop, relaxed", LK_Q_COUNTER),
    LK_ATOMIC_ROW(cas_acquire, "CAS loop, acquire", LK_Q_COUNTER),
    LK_ATOMIC_ROW(cas_release, "CAS loop, release (failure relaxed)", LK_Q_COUNTER),
    LK_ATOMIC_ROW(cas_acq_rel, "CAS loop, acq_rel (failure acquire)", LK_Q_COUNTER),
    LK_ATOMIC_ROW(cas_seq_cst, "CAS loop, seq_cst", LK_Q_COUNTER),
    {"limit_handoff", "limit probe, NOT a lock: a turn passed round, one line per increment",
     lock_counter_limit_handoff, NULL, NULL, 0},
    {"limit_handoff_apart",
     "limit probe, NOT a lock: a turn passed round, the counter on its own line",
     lock_counter_limit_handoff_apart, NULL, NULL, 0},
};

/* Read ratios in per mille; the name carries the percentage itself. */
static const int lk_read_pm[] = {500, 900, 990, 999, 1000};
#define LK_READ_DEFAULT 990
static const int lk_cs_in[] = {0, 50, 500}, lk_cs_out[] = {0, 100, 1000};
#define LK_CS_DEFAULT_IN  50
#define LK_CS_DEFAULT_OUT 100

void lk_register_strategy(const lk_strategy *s)
{
	char summary[256], read[16];
	/* Profile flags for the default point of a workload; other points are --full only. */
	unsigned dflt = s->quick & LK_FULL_ONLY ? 0 : CT_DEFAULT;
	if (s->counter) {
		snprintf(summary, sizeof(summary), "%s: increment one shared counter", s->what);
		ct_register(&(ct_def){
		    .workload = "lock_counter",
		    .strategy = s->tok,
		    .summary = summary,
		    .fn = s->counter,
		    .threads = {CT_THREADS_SWEEP},
		    .flags = CT_REAL_TIME | CT_WINDOWED | dflt |
			     (s->quick & LK_Q_COUNTER ? CT_QUICK : 0),
		});
	}
	for (size_t i = 0; s->readmostly && i < sizeof(lk_read_pm) / sizeof(lk_read_pm[0]); i++) {
		int pm = lk_read_pm[i];
		if (pm % 10)
			snprintf(read, sizeof(read), "%d.%d", pm / 10, pm % 10);
		else
			snprintf(read, sizeof(read), "%d", pm / 10);
		snprintf(summary, sizeof(summary),
			 "%s: 64-byte snapshot, %s%% reads, the rest replace it", s->what, read);
		unsigned f = CT_REAL_TIME | CT_WINDOWED;
		if (pm == LK_READ_DEFAULT)
			f |= dflt | (s->quick & LK_Q_READMOSTLY ? CT_QUICK : 0);
		ct_register(&(ct_def){.workload = "lock_readmostly",
				      .strategy = s->tok,
				      .params = {{"read", read}},
				      .summary = summary,
				      .fn = s->readmostly,
				      .threads = {CT_THREADS_SWEEP},
				      .args = {pm},
				      .nargs = 1,
				      .flags = f});
	}
	for (size_t i = 0; s->cs && i < 3; i++)
		for (size_t j = 0; j < 3; j++) {
			snprintf(summary, sizeof(summary),
				 "%s: %d ns inside the lock, %d ns outside, up to 2x PUs threads",
				 s->what, lk_cs_in[i], lk_cs_out[j]);
			unsigned f = CT_REAL_TIME | CT_WINDOWED;
			if (lk_cs_in[i] == LK_CS_DEFAULT_IN && lk_cs_out[j] == LK_CS_DEFAULT_OUT)
				f |= dflt | (s->quick & LK_Q_CS ? CT_QUICK : 0);
			ct_register(&(ct_def){
			    .workload = "lock_cs",
			    .strategy = s->tok,
			    .params = {{"c", ct_int(lk_cs_in[i])}, {"w", ct_int(lk_cs_out[j])}},
			    .summary = summary,
			    .fn = s->cs,
			    .threads = {CT_THREADS_SWEEP_2X},
			    .args = {lk_cs_in[i], lk_cs_out[j]},
			    .nargs = 2,
			    .flags = f});
		}
}

void ct_register_locks(void)
{
	/* The report's view of each workload (bench.h). On x86-64 every atomic RMW is a
	 * locked instruction whatever the ordering asked. */
	static const ct_equiv rmw[] = {
	    {"x86_64", "faa_relaxed faa_acquire faa_release faa_acq_rel faa_seq_cst",
	     "fetch_add, any ordering: one lock xadd on x86-64"},
	    {"x86_64", "cas_relaxed cas_acquire cas_release cas_acq_rel cas_seq_cst",
	     "a CAS loop, any ordering: lock cmpxchg on x86-64"},
	};
	ct_register_view(&(ct_view){
	    .workload = "lock_counter",
	    .section = "Locks",
	    .title = "shared counter",
	    .question = "Which strategy increments one shared 64-bit counter fastest?",
	    .x = "threads",
	    .x_label = "threads",
	    .metric = "ops_per_sec",
	    .metric_label = "increments per second",
	    .baseline = "mutex",
	    .limits = "limit_handoff limit_handoff_apart",
	    .limit_bound = "a lock that hands off on every acquisition",
	    .same = {rmw[0], rmw[1]},
	    .notes = "Every thread increments one shared counter: the Arc<Mutex<u64>> case. "
		     "Atomics need no lock at all; the locks show what a critical section of "
		     "one increment costs."});
	ct_register_view(&(ct_view){
	    .workload = "lock_readmostly",
	    .section = "Locks",
	    .title = "read-mostly snapshot",
	    .question = "Which strategy serves a read-mostly 64-byte configuration best, by "
			"read ratio?",
	    .x = "read",
	    .x_label = "reads (% of operations)",
	    .metric = "ops_per_sec",
	    .metric_label = "operations per second",
	    .baseline = "mutex",
	    .notes = "A 64-byte snapshot read by read:% of the operations and replaced by the "
		     "rest (the RwLock<Config> case); every read is checked for a torn "
		     "snapshot."});
	ct_register_view(&(ct_view){
	    .workload = "lock_cs",
	    .section = "Locks",
	    .title = "critical section",
	    .question = "Which lock is best for a critical section of c ns with w ns of work "
			"outside it, by thread count?",
	    .x = "threads",
	    .x_label = "threads",
	    .metric = "ops_per_sec",
	    .metric_label = "critical sections per second",
	    .baseline = "mutex",
	    .notes = "c ns of work inside the lock, w ns outside; threads up to twice the PUs, "
		     "so spinning against parking shows."});
	for (size_t i = 0; i < sizeof(lk_strategies) / sizeof(lk_strategies[0]); i++)
		lk_register_strategy(&lk_strategies[i]);
	lk_register_peers();
}
