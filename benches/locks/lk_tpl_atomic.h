/*
 * lk_tpl_atomic.h - lock_counter with no lock: the counter itself is atomic. Compiled per
 * strategy:
 *
 *	#define LK_TOK faa_relaxed
 *	#define LK_ASTEP(c) atomic_fetch_add_explicit(c, 1, memory_order_relaxed)
 *	#include "lk_tpl_atomic.h"       // defines lock_counter_faa_relaxed
 *
 * No owner, so no handoff counters; fairness and throughput as for the locks.
 */
#include "lk_window.h"

static struct {
	CT_ALIGNED atomic_uint_fast64_t c;
	lk_window w;
} LK_CAT3(lka_, LK_TOK, _s);

static void LK_CAT3(lock_counter_, LK_TOK, )(ct_state *st, void *ctx)
{
#define S LK_CAT3(lka_, LK_TOK, _s)
	(void)ctx;
	int me = ct_thread_index(st);
	if (me == 0) {
		lk_window_setup(&S.w, st);
		atomic_store(&S.c, 0);
	}
	uint64_t ops = 0;
	int64_t n = ct_begin(st);
	lk_window_start(&S.w, me);
	for (;;) {
		for (int j = 0; j < LK_CHUNK; j++)
			LK_ASTEP(&S.c);
		ops += LK_CHUNK;
		if (lk_window_tick(&S.w, me, ops, n))
			break;
	}
	lk_window_finish(&S.w, me, ops, 0, 0, 0);
	ct_end(st);
	ct_items_processed(st, (int64_t)ops);
	ct_sync(st);
	if (me == 0) {
		lk_totals t = lk_window_totals(&S.w, ct_threads(st));
		if (atomic_load(&S.c) != t.ops)
			ct_skip_error(st, "the atomic counter lost increments");
		else
			lk_window_report(&S.w, st, 0);
	}
#undef S
}
