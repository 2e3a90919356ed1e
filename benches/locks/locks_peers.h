/*
 * locks_peers.h - how a strategy is registered (shared by locks.c and the optional
 * comparison rows in locks_peers.c: Concurrency Kit ck_* and liburcu urcu_*).
 *
 * The peer rows are registered whether or not the library was found; without it each row
 * fails at once with "skipped: built without libck" (or liburcu), so the gap is visible in
 * `contend list` and as a failed result with that message in every results file.
 */
#ifndef CONTEND_LOCKS_PEERS_H
#define CONTEND_LOCKS_PEERS_H

#include "bench.h"

/* One row per strategy: its token, what it is, and which workloads it runs (NULL: not). */
typedef struct {
	const char *tok, *what;
	ct_fn counter, readmostly, cs;
	unsigned quick; /* LK_Q_*: the workloads this strategy shows in --quick */
} lk_strategy;

enum {
	LK_Q_COUNTER = 1,    /* in --quick (and default): lock_counter */
	LK_Q_READMOSTLY = 2, /* ... lock_readmostly at the default read ratio */
	LK_Q_CS = 4,	     /* ... lock_cs at the default point */
	LK_FULL_ONLY = 8,    /* in neither the default profile nor --quick */
};

#define LK_ROW(tok, what, q)                                                                       \
	{                                                                                          \
#tok, what, lock_counter_##tok, lock_readmostly_##tok, lock_cs_##tok, q            \
	}

/* Registers lock_counter/<tok>, lock_readmostly/<tok>/read:*, lock_cs/<tok>/c:*\/w:* for the
 * workloads the row has. Call from ct_register_locks (after its thread lists are set). */
void lk_register_strategy(const lk_strategy *s);
void lk_register_peers(void);

#endif
