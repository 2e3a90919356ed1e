/*
 * lk_tpl_readmostly.h - lock_readmostly, written once and compiled per strategy:
 *
 *	#define LK_TOK rcu
 *	#include "lk_tpl_readmostly.h"   // defines lock_readmostly_rcu
 *
 * The strategy brings lk_<tok>_rm_t and lk_<tok>_rm_{init,destroy,enter,quiescent,leave,
 * read,write,version} (lk_tpl_lock.h makes them for any lock). Each operation is a read
 * (copy the 64-byte snapshot, check it is not torn) with probability read-per-mille/1000
 * (ct_arg 0), else a write (replace it with the next version). Checked after the clock:
 * no torn read, and the final version equals the number of writes.
 */
#include "lk_snap.h"
#include "lk_window.h"

static struct {
	LK_FN(_rm_t) r;
	lk_window w;
} LK_CAT3(lkr_, LK_TOK, _s);

__attribute__((unused)) static void LK_CAT3(lock_readmostly_, LK_TOK, )(ct_state *st, void *ctx)
{
#define S LK_CAT3(lkr_, LK_TOK, _s)
	(void)ctx;
	int me = ct_thread_index(st);
	uint64_t read_pm = (uint64_t)ct_arg(st, 0);
	if (me == 0) {
		lk_window_setup(&S.w, st);
		LK_FN(_rm_init)(&S.r, ct_threads(st));
#if defined(LK_PARKS) && LK_PARKS
		S.r.lock.spin_ns = lk_park_budget_ns(st);
		S.r.lock.yield_ns = lk_park_yield_ns(st);
#endif
	}
	LK_FN(_node_t) node = {0}; /* valid until every thread has passed ct_sync (clh) */
	uint64_t ops = 0, torn = 0, writes = 0, rng = 0x9E3779B97F4A7C15u * (uint64_t)(me + 1);
	int64_t n = ct_begin(st);
	LK_FN(_rm_enter)(&S.r, &node, me);
	lk_window_start(&S.w, me);
	for (;;) {
		for (int j = 0; j < LK_CHUNK; j++) {
			if ((lk_rng(&rng) >> 32) % 1000 < read_pm) {
				uint64_t f[LK_SNAP_WORDS];
				LK_FN(_rm_read)(&S.r, &node, f);
				torn += (uint64_t)lk_snap_torn(f);
			} else {
				LK_FN(_rm_write)(&S.r, &node);
				writes++;
			}
		}
		ops += LK_CHUNK;
		LK_FN(_rm_quiescent)(&S.r, &node);
		if (lk_window_tick(&S.w, me, ops, n))
			break;
	}
	lk_window_finish(&S.w, me, ops, 0, torn, writes);
	LK_FN(_rm_leave)(&S.r, &node);
	ct_end(st);
	ct_items_processed(st, (int64_t)ops);
	ct_sync(st);
	if (me == 0) {
		lk_totals t = lk_window_totals(&S.w, ct_threads(st));
		char msg[160];
		if (t.torn) {
			snprintf(
			    msg, sizeof(msg), "torn snapshot: %llu of %llu reads mixed versions",
			    (unsigned long long)t.torn, (unsigned long long)(t.ops - t.writes));
			ct_skip_error(st, msg);
		} else if (LK_FN(_rm_version)(&S.r) != t.writes) {
			snprintf(msg, sizeof(msg), "lost writes: version %llu after %llu writes",
				 (unsigned long long)LK_FN(_rm_version)(&S.r),
				 (unsigned long long)t.writes);
			ct_skip_error(st, msg);
		} else {
			lk_window_report(&S.w, st, 0);
			ct_counter(st, "writes", (double)t.writes, CT_COUNTER_PLAIN);
#if defined(LK_PARKS) && LK_PARKS
			ct_counter(st, "spin_budget_ns", (double)S.r.lock.spin_ns,
				   CT_COUNTER_PLAIN);
			ct_counter(st, "yield_budget_ns", (double)S.r.lock.yield_ns,
				   CT_COUNTER_PLAIN);
#endif
		}
		LK_FN(_rm_destroy)(&S.r);
	}
#undef S
}
