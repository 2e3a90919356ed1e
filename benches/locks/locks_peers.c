/*
 * locks_peers.c - the optional comparison rows (see locks_peers.h): Concurrency Kit's
 * ck_fas, ck_fas_eb, ck_cas_eb, ck_ticket, ck_ticket_pb, ck_mcs, ck_clh and ck_rwlock on all
 * three workloads (lk_ck.h says which CK call each is) and ck_sequence on lock_readmostly;
 * liburcu's urcu_memb on lock_readmostly. Same templates, same checks and counters as the family's
 * own strategies, so the rows compare. In the full profile only.
 */
#include "locks_peers.h"

#include <stddef.h>

#include "lk_window.h"

#ifdef CONTEND_HAVE_CK
#include "lk_ck.h"
#define LK_TOK ck_fas
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_TOK ck_fas_eb
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_TOK ck_cas_eb
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_TOK ck_ticket
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_TOK ck_ticket_pb
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_TOK ck_mcs
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_TOK ck_clh
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#define LK_SHARED_READS 1
#define LK_TOK		ck_rwlock
#include "lk_tpl_lock.h"
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#undef LK_SHARED_READS
#define LK_TOK ck_sequence
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#else
static void lk_no_ck(ct_state *st, void *ctx)
{
	(void)ctx;
	ct_skip_error(st, "skipped: built without libck (apt-get install libck-dev)");
}
#define lock_counter_ck_fas	     lk_no_ck
#define lock_readmostly_ck_fas	     lk_no_ck
#define lock_cs_ck_fas		     lk_no_ck
#define lock_counter_ck_fas_eb	     lk_no_ck
#define lock_readmostly_ck_fas_eb    lk_no_ck
#define lock_cs_ck_fas_eb	     lk_no_ck
#define lock_counter_ck_cas_eb	     lk_no_ck
#define lock_readmostly_ck_cas_eb    lk_no_ck
#define lock_cs_ck_cas_eb	     lk_no_ck
#define lock_counter_ck_ticket	     lk_no_ck
#define lock_readmostly_ck_ticket    lk_no_ck
#define lock_cs_ck_ticket	     lk_no_ck
#define lock_counter_ck_ticket_pb    lk_no_ck
#define lock_readmostly_ck_ticket_pb lk_no_ck
#define lock_cs_ck_ticket_pb	     lk_no_ck
#define lock_counter_ck_mcs	     lk_no_ck
#define lock_readmostly_ck_mcs	     lk_no_ck
#define lock_cs_ck_mcs		     lk_no_ck
#define lock_counter_ck_clh	     lk_no_ck
#define lock_readmostly_ck_clh	     lk_no_ck
#define lock_cs_ck_clh		     lk_no_ck
#define lock_counter_ck_rwlock	     lk_no_ck
#define lock_readmostly_ck_rwlock    lk_no_ck
#define lock_cs_ck_rwlock	     lk_no_ck
#define lock_readmostly_ck_sequence  lk_no_ck
#endif

#ifdef CONTEND_HAVE_URCU
#include "lk_urcu.h"
#define LK_TOK urcu_memb
#include "lk_tpl_readmostly.h"
#undef LK_TOK
#else
static void lk_no_urcu(ct_state *st, void *ctx)
{
	(void)ctx;
	ct_skip_error(st, "skipped: built without liburcu (apt-get install liburcu-dev)");
}
#define lock_readmostly_urcu_memb lk_no_urcu
#endif

static const lk_strategy lk_peers[] = {
    LK_ROW(ck_fas, "Concurrency Kit ck_spinlock_fas", LK_FULL_ONLY),
    LK_ROW(ck_fas_eb, "Concurrency Kit ck_spinlock_fas_lock_eb (exponential backoff)",
	   LK_FULL_ONLY),
    LK_ROW(ck_cas_eb, "Concurrency Kit ck_spinlock_cas_lock_eb (exponential backoff)",
	   LK_FULL_ONLY),
    LK_ROW(ck_ticket, "Concurrency Kit ck_spinlock_ticket", LK_FULL_ONLY),
    LK_ROW(ck_ticket_pb, "Concurrency Kit ck_spinlock_ticket_lock_pb (proportional backoff)",
	   LK_FULL_ONLY),
    LK_ROW(ck_mcs, "Concurrency Kit ck_spinlock_mcs", LK_FULL_ONLY),
    LK_ROW(ck_clh, "Concurrency Kit ck_spinlock_clh", LK_FULL_ONLY),
    LK_ROW(ck_rwlock, "Concurrency Kit ck_rwlock", LK_FULL_ONLY),
    {"ck_sequence", "Concurrency Kit ck_sequence (writers: ck_spinlock_fas)", NULL,
     lock_readmostly_ck_sequence, NULL, LK_FULL_ONLY},
    {"urcu_memb", "liburcu memb RCU, synchronize_rcu per write", NULL, lock_readmostly_urcu_memb,
     NULL, 0},
};

void lk_register_peers(void)
{
	for (size_t i = 0; i < sizeof(lk_peers) / sizeof(lk_peers[0]); i++)
		lk_register_strategy(&lk_peers[i]);
}
