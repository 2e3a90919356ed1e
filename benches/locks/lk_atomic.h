/*
 * lk_atomic.h - the lock-free strategies of lock_counter: an atomic fetch_add and a
 * compare-and-swap loop, each under a C11 ordering named in its token (faa_<ordering>,
 * cas_<ordering>). On x86-64 both are one locked instruction, a full barrier whatever
 * the ordering, so the orderings cost the same there; on Arm they differ.
 */
#ifndef CONTEND_LK_ATOMIC_H
#define CONTEND_LK_ATOMIC_H

#include "arch.h"

/* fetch_add: every ordering is valid for a read-modify-write. */
#define LK_FAA(c, ord) atomic_fetch_add_explicit(c, 1, memory_order_##ord)
/*
 * CAS loop: load, then compare-exchange (weak, it is in a loop) until it succeeds. The
 * token names the success ordering; the failure ordering is the strongest one C11 allows
 * with it (no release part): relaxed for relaxed and release, acquire for acquire and
 * acq_rel, seq_cst for seq_cst.
 */
#define LK_CAS(c, succ, fail)                                                                      \
	do {                                                                                       \
		uint64_t v_ = atomic_load_explicit(c, memory_order_relaxed);                       \
		while (!atomic_compare_exchange_weak_explicit(c, &v_, v_ + 1, memory_order_##succ, \
							      memory_order_##fail))                \
			;                                                                          \
	} while (0)
#endif
