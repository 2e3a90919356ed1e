/*
 * ops.h - the kernels of the ordering matrix: one timed loop per (operation, ordering),
 * generated from the single list below, so every valid C11 combination exists exactly once
 * and no invalid one (an acquire store, a release load, a relaxed fence) can be named.
 *
 * Each kernel runs n operations on one 64-bit atomic and returns what the post-clock check
 * needs (a sum of the values read, or the number of successful CASes). Plain C11
 * <stdatomic.h> only (TSan understands it; it builds for aarch64): includes only arch.h.
 *
 *   load        acc += atomic_load(p)                     (the check: acc == n * value)
 *   store       atomic_store(p, base + i + 1)
 *   exchange    acc += atomic_exchange(p, base + i + 1)   (values are conserved)
 *   faa         atomic_fetch_add(p, 1), result unused     (x86: lock add)
 *   faa_used    acc += atomic_fetch_add(p, 1)             (x86: lock xadd)
 *   cas_strong  one compare_exchange_strong(p, &e, e + 1) attempt per op; e is refreshed
 *   cas_weak    on failure, so the next attempt uses the current value; acc = successes
 *   fence       a relaxed store of base + i + 1, then atomic_thread_fence(order): a fence
 *               alone has nothing to order, and a seq_cst fence's cost is draining the
 *               store before it (compare with store/relaxed on the same sharing mode)
 *
 * A CAS's failure ordering is the success ordering without its release part (release ->
 * relaxed, acq_rel -> acquire), the strongest C11 allows.
 */
#ifndef CONTEND_ATOMICS_OPS_H
#define CONTEND_ATOMICS_OPS_H

#include <stdint.h>

#include "arch.h"

typedef _Atomic uint64_t at_word;

enum at_op {
	AT_LOAD,
	AT_STORE,
	AT_EXCHANGE,
	AT_FAA,
	AT_FAA_USED,
	AT_CAS_STRONG,
	AT_CAS_WEAK,
	AT_FENCE,
	AT_NOPS
};

/* What a kernel returns: acc (sum of values read, or CAS successes). */
typedef uint64_t (*at_kernel)(at_word *p, int64_t n, uint64_t base);

typedef struct at_variant {
	enum at_op op;
	const char *op_name;  /* as in the benchmark name: load, faa_used, ... */
	const char *ordering; /* relaxed, consume, acquire, release, acq_rel, seq_cst */
	at_kernel kernel;
} at_variant;

/* Every valid (operation, ordering) pair, in a fixed order; *n is set to the count. */
const at_variant *at_variants(int *n);
const char *at_op_name(enum at_op op);

/*
 * The list. X(op, OP_ENUM, ordering). C11 allows: load - relaxed, consume, acquire,
 * seq_cst; store - relaxed, release, seq_cst; read-modify-write - all six; fence -
 * acquire, release, acq_rel, seq_cst (a relaxed fence does nothing; consume as a fence is
 * an acquire fence, so it is left out).
 */
#define AT_RMW(X, op, OP)                                                                          \
	X(op, OP, relaxed)                                                                         \
	X(op, OP, consume)                                                                         \
	X(op, OP, acquire)                                                                         \
	X(op, OP, release)                                                                         \
	X(op, OP, acq_rel)                                                                         \
	X(op, OP, seq_cst)
#define AT_VARIANTS(X)                                                                             \
	X(load, AT_LOAD, relaxed)                                                                  \
	X(load, AT_LOAD, consume)                                                                  \
	X(load, AT_LOAD, acquire)                                                                  \
	X(load, AT_LOAD, seq_cst)                                                                  \
	X(store, AT_STORE, relaxed)                                                                \
	X(store, AT_STORE, release)                                                                \
	X(store, AT_STORE, seq_cst)                                                                \
	AT_RMW(X, exchange, AT_EXCHANGE)                                                           \
	AT_RMW(X, faa, AT_FAA)                                                                     \
	AT_RMW(X, faa_used, AT_FAA_USED)                                                           \
	AT_RMW(X, cas_strong, AT_CAS_STRONG)                                                       \
	AT_RMW(X, cas_weak, AT_CAS_WEAK)                                                           \
	X(fence, AT_FENCE, acquire)                                                                \
	X(fence, AT_FENCE, release)                                                                \
	X(fence, AT_FENCE, acq_rel)                                                                \
	X(fence, AT_FENCE, seq_cst)

#endif
