/*
 * ops.c - the ordering-matrix kernels (see ops.h), one non-inlined function each, named
 * at_k_<op>_<ordering>, so `objdump -d` shows what every ordering compiles to.
 */
#include "atomics/ops.h"

/* ThreadSanitizer does not model atomic_thread_fence (GCC warns: -Wtsan). Every access in
 * this file is atomic, so TSan has no data race to miss here: it may only fail to see an
 * ordering that a fence provides, which cannot produce a false report. */
#if defined(__SANITIZE_THREAD__) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic ignored "-Wtsan"
#endif

#define MO(o) memory_order_##o

/* The failure ordering of a CAS: the success ordering without its release part. */
#define FAIL_relaxed relaxed
#define FAIL_consume consume
#define FAIL_acquire acquire
#define FAIL_release relaxed
#define FAIL_acq_rel acquire
#define FAIL_seq_cst seq_cst
#define FAIL_(o)     MO(o)
#define FAIL(o)	     FAIL_(FAIL_##o)

#define KERNEL(op, o)                                                                              \
	__attribute__((noinline)) static uint64_t at_k_##op##_##o(at_word *p, int64_t n,           \
								  uint64_t base)

#define BODY_load(o)                                                                               \
	uint64_t acc = 0;                                                                          \
	(void)base;                                                                                \
	for (int64_t i = 0; i < n; i++)                                                            \
		acc += atomic_load_explicit(p, MO(o));                                             \
	return acc;
#define BODY_store(o)                                                                              \
	for (int64_t i = 0; i < n; i++)                                                            \
		atomic_store_explicit(p, base + (uint64_t)i + 1, MO(o));                           \
	return 0;
#define BODY_exchange(o)                                                                           \
	uint64_t acc = 0;                                                                          \
	for (int64_t i = 0; i < n; i++)                                                            \
		acc += atomic_exchange_explicit(p, base + (uint64_t)i + 1, MO(o));                 \
	return acc;
#define BODY_faa(o)                                                                                \
	(void)base;                                                                                \
	for (int64_t i = 0; i < n; i++)                                                            \
		atomic_fetch_add_explicit(p, 1, MO(o));                                            \
	return 0;
#define BODY_faa_used(o)                                                                           \
	uint64_t acc = 0;                                                                          \
	(void)base;                                                                                \
	for (int64_t i = 0; i < n; i++)                                                            \
		acc += atomic_fetch_add_explicit(p, 1, MO(o));                                     \
	return acc;
#define BODY_cas_strong(o)                                                                         \
	uint64_t ok = 0, e = atomic_load_explicit(p, memory_order_relaxed);                        \
	(void)base;                                                                                \
	for (int64_t i = 0; i < n; i++)                                                            \
		if (atomic_compare_exchange_strong_explicit(p, &e, e + 1, MO(o), FAIL(o))) {       \
			ok++;                                                                      \
			e++;                                                                       \
		}                                                                                  \
	return ok;
#define BODY_cas_weak(o)                                                                           \
	uint64_t ok = 0, e = atomic_load_explicit(p, memory_order_relaxed);                        \
	(void)base;                                                                                \
	for (int64_t i = 0; i < n; i++)                                                            \
		if (atomic_compare_exchange_weak_explicit(p, &e, e + 1, MO(o), FAIL(o))) {         \
			ok++;                                                                      \
			e++;                                                                       \
		}                                                                                  \
	return ok;
#define BODY_fence(o)                                                                              \
	for (int64_t i = 0; i < n; i++) {                                                          \
		atomic_store_explicit(p, base + (uint64_t)i + 1, memory_order_relaxed);            \
		atomic_thread_fence(MO(o));                                                        \
	}                                                                                          \
	return 0;

#define DEFINE(op, OP, o)                                                                          \
	KERNEL(op, o)                                                                              \
	{                                                                                          \
		BODY_##op(o)                                                                       \
	}
/* cppcheck cannot expand this X-macro list (its limitation, not a bug): */
// cppcheck-suppress unknownMacro
AT_VARIANTS(DEFINE)

#define ROW(op, OP, o) {OP, #op, #o, at_k_##op##_##o},
static const at_variant variants[] = {AT_VARIANTS(ROW)};

const at_variant *at_variants(int *n)
{
	*n = (int)(sizeof(variants) / sizeof(variants[0]));
	return variants;
}

const char *at_op_name(enum at_op op)
{
	static const char *const names[AT_NOPS] = {"load",     "store",	     "exchange", "faa",
						   "faa_used", "cas_strong", "cas_weak", "fence"};
	return op >= 0 && op < AT_NOPS ? names[op] : "?";
}
