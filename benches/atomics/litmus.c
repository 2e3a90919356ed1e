/*
 * litmus.c - see litmus.h. The trial body is always inlined with constant orderings, one
 * copy per (test, ordering), so each compiles to that ordering's own instructions.
 */
#include "atomics/litmus.h"

#include "atomics/spin.h"

/* ThreadSanitizer does not model atomic_thread_fence (GCC warns: -Wtsan). Every access in
 * this file is atomic, so TSan has no data race to miss here: it may only fail to see an
 * ordering that a fence provides, which cannot produce a false report. */
#if defined(__SANITIZE_THREAD__) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic ignored "-Wtsan"
#endif

#define RLX memory_order_relaxed
#define ACQ memory_order_acquire
#define REL memory_order_release
#define SC  memory_order_seq_cst

const char *at_litmus_test_name(enum at_litmus_test t)
{
	return t == AT_LT_SB ? "sb" : t == AT_LT_MP ? "mp" : "?";
}

const char *at_litmus_order_name(enum at_litmus_order o)
{
	static const char *const names[AT_LO_NORDERS] = {"relaxed", "release_acquire", "seq_cst",
							 "fence"};
	return o < AT_LO_NORDERS ? names[o] : "?";
}

int at_litmus_forbidden(enum at_litmus_test t)
{
	return t == AT_LT_SB ? 0 : 2;
}

int at_litmus_c11_allows(enum at_litmus_test t, enum at_litmus_order o)
{
	if (t == AT_LT_SB)
		return o == AT_LO_RELAXED || o == AT_LO_RELEASE_ACQUIRE;
	return o == AT_LO_RELAXED;
}

void at_litmus_init(at_litmus *l, enum at_litmus_test t, enum at_litmus_order o)
{
	atomic_init(&l->arrive[0].v, 0);
	atomic_init(&l->arrive[1].v, 0);
	atomic_init(&l->x.v, 0);
	atomic_init(&l->y.v, 0);
	atomic_init(&l->res[0].v, 0);
	atomic_init(&l->res[1].v, 0);
	ct_stop_init(&l->stop);
	l->test = t;
	l->order = o;
	for (int i = 0; i < 4; i++)
		l->counts[i] = 0;
}

/* One side's part of one trial (value v); returns its result: side 0 r1, side 1 r2 (SB)
 * or side 1 r1 * 2 + r2 (MP; side 0 of MP reads nothing). */
static inline __attribute__((always_inline)) unsigned
trial(at_litmus *l, int side, uint64_t v, int test, memory_order st, memory_order ld, int fence)
{
	if (test == AT_LT_SB) {
		_Atomic uint64_t *mine = side ? &l->y.v : &l->x.v,
				 *theirs = side ? &l->x.v : &l->y.v;
		atomic_store_explicit(mine, v, st);
		if (fence)
			atomic_thread_fence(SC);
		return atomic_load_explicit(theirs, ld) == v;
	}
	/* MP: x is the data, y the flag */
	if (side == 0) {
		atomic_store_explicit(&l->x.v, v, st == SC ? SC : RLX);
		if (fence)
			atomic_thread_fence(REL);
		atomic_store_explicit(&l->y.v, v, st);
		return 0;
	}
	unsigned r1 = atomic_load_explicit(&l->y.v, ld) == v;
	if (fence)
		atomic_thread_fence(ACQ);
	unsigned r2 = atomic_load_explicit(&l->x.v, ld == SC ? SC : RLX) == v;
	return r1 * 2 + r2;
}

/* MP's stagger: 0-7 iterations of an empty loop, from a hash of the trial and the side. */
static inline __attribute__((always_inline)) void stagger(uint64_t v, int side)
{
	uint64_t h = (v + (uint64_t)side * 0x9e3779b97f4a7c15ull) * 0xbf58476d1ce4e5b9ull;
	for (unsigned d = (unsigned)(h >> 61); d > 0; d--)
		__asm__ __volatile__("" ::: "memory");
}

static inline __attribute__((always_inline)) int run(at_litmus *l, int side, int64_t n, int test,
						     memory_order st, memory_order ld, int fence)
{
	_Atomic uint64_t *me = &l->arrive[side].v, *other = &l->arrive[!side].v;
	unsigned r0 = 0; /* side 0's own result of the previous trial */

	for (int64_t i = 0; i <= n; i++) {
		uint64_t v = (uint64_t)i + 1;
		/* the barrier; it also publishes side 1's result of trial i - 1 */
		atomic_store_explicit(me, v, REL);
		if (AT_AWAIT_GE(other, v, ACQ, &l->stop))
			return -1;
		if (side == 0 && i > 0) {
			unsigned r1 = atomic_load_explicit(&l->res[(i - 1) & 1].v, RLX);
			l->counts[test == AT_LT_SB ? r0 * 2 + r1 : r1]++;
		}
		if (i == n)
			break;
		if (test == AT_LT_MP)
			stagger(v, side);
		unsigned r = trial(l, side, v, test, st, ld, fence);
		if (side)
			atomic_store_explicit(&l->res[i & 1].v, r, RLX);
		else
			r0 = r;
	}
	return 0;
}

int at_litmus_run(at_litmus *l, int side, int64_t n)
{
	side = !!side;
	if (l->test == AT_LT_SB) {
		switch (l->order) {
		case AT_LO_RELAXED:
			return run(l, side, n, AT_LT_SB, RLX, RLX, 0);
		case AT_LO_RELEASE_ACQUIRE:
			return run(l, side, n, AT_LT_SB, REL, ACQ, 0);
		case AT_LO_SEQ_CST:
			return run(l, side, n, AT_LT_SB, SC, SC, 0);
		case AT_LO_FENCE:
			return run(l, side, n, AT_LT_SB, RLX, RLX, 1);
		default:
			return -1;
		}
	}
	switch (l->order) {
	case AT_LO_RELAXED:
		return run(l, side, n, AT_LT_MP, RLX, RLX, 0);
	case AT_LO_RELEASE_ACQUIRE:
		return run(l, side, n, AT_LT_MP, REL, ACQ, 0);
	case AT_LO_SEQ_CST:
		return run(l, side, n, AT_LT_MP, SC, SC, 0);
	case AT_LO_FENCE:
		return run(l, side, n, AT_LT_MP, RLX, RLX, 1);
	default:
		return -1;
	}
}
