/*
 * mp.c - see mp.h. One always-inlined body with the orderings as constants, so each
 * ordering compiles to its own instructions (a non-constant order would become seq_cst).
 */
#include "atomics/mp.h"

#include "atomics/spin.h"

const char *at_mp_order_name(enum at_mp_order o)
{
	static const char *const names[AT_MP_NORDERS] = {"relaxed_unsafe", "release_acquire",
							 "seq_cst"};
	return o < AT_MP_NORDERS ? names[o] : "?";
}

void at_mp_init(at_mp *m)
{
	atomic_init(&m->flag, 0);
	atomic_init(&m->payload, 0);
	ct_stop_init(&m->stop);
}

static inline __attribute__((always_inline)) int64_t run(at_mp *m, int side, int64_t n,
							 memory_order pst, memory_order fst,
							 memory_order fld, memory_order pld)
{
	int64_t stale = 0;

	for (int64_t i = 0; i < n; i++) {
		uint64_t sent = 2 * (uint64_t)i + 1, answered = sent + 1;
		if (side == 0) {
			atomic_store_explicit(&m->payload, sent, pst);
			atomic_store_explicit(&m->flag, sent, fst);
			if (AT_AWAIT_GE(&m->flag, answered, fld, &m->stop))
				return -1;
			stale += atomic_load_explicit(&m->payload, pld) < answered;
		} else {
			if (AT_AWAIT_GE(&m->flag, sent, fld, &m->stop))
				return -1;
			stale += atomic_load_explicit(&m->payload, pld) < sent;
			atomic_store_explicit(&m->payload, answered, pst);
			atomic_store_explicit(&m->flag, answered, fst);
		}
	}
	return stale;
}

int64_t at_mp_run(at_mp *m, int side, int64_t n, enum at_mp_order o)
{
	switch (o) {
	case AT_MP_RELAXED_UNSAFE:
		return run(m, side, n, memory_order_relaxed, memory_order_relaxed,
			   memory_order_relaxed, memory_order_relaxed);
	case AT_MP_RELEASE_ACQUIRE:
		return run(m, side, n, memory_order_relaxed, memory_order_release,
			   memory_order_acquire, memory_order_relaxed);
	case AT_MP_SEQ_CST:
		return run(m, side, n, memory_order_seq_cst, memory_order_seq_cst,
			   memory_order_seq_cst, memory_order_seq_cst);
	default:
		return -1;
	}
}
