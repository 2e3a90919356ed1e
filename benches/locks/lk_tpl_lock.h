/*
 * lk_tpl_lock.h - the workloads of a lock, written once and compiled per strategy:
 *
 *	#define LK_TOK mutex           // the strategy token: uses lk_mutex_t, lk_mutex_lock...
 *	#define LK_SHARED_READS 1      // optional: readers take lk_<tok>_rdlock/rdunlock
 *	#define LK_OWN_RM 1            // optional: lk_<tok>_rm_* come from elsewhere
 *	#define LK_PARKS 1             // optional: a spin-then-park lock, its spin_ns set
 *	                               // from lk_park_budget_ns, counter spin_budget_ns
 *	                               // (and yield_ns from lk_park_yield_ns, counter
 *	                               // yield_budget_ns)
 *	#include "lk_tpl_lock.h"       // defines lock_counter_mutex, lock_cs_mutex and the
 *	                               // lk_mutex_rm_* snapshot for lk_tpl_readmostly.h
 *
 * (then #undef them). Per-thread state (node_t) starts zeroed. Every call is to a static inline
 *function named by the token, so the compiler inlines the lock into the loop: no call through a
 *pointer.
 */
#include "lk_snap.h"
#include "lk_window.h"
#include "lk_work.h"

#if defined(LK_SHARED_READS) && LK_SHARED_READS
#define LK_RD_LOCK   LK_FN(_rdlock)
#define LK_RD_UNLOCK LK_FN(_rdunlock)
#else
#define LK_RD_LOCK   LK_FN(_lock)
#define LK_RD_UNLOCK LK_FN(_unlock)
#endif

static struct {
	LK_FN(_t) lock;
	lk_counted d;
	lk_window w;
	uint64_t c_loops, w_loops; /* lock_cs: work inside and outside, set by thread 0 */
} LK_CAT3(lkc_, LK_TOK, _s);

/*
 * One template for lock_counter (c = w = 0 loops, no work) and lock_cs: take the lock,
 * increment the counter, note a handoff, work c loops, release, work w loops.
 */
static inline void LK_CAT3(lock_run_, LK_TOK, )(ct_state *st, int64_t c_ns, int64_t w_ns)
{
#define S LK_CAT3(lkc_, LK_TOK, _s)
	int me = ct_thread_index(st);
	if (me == 0) {
		lk_window_setup(&S.w, st);
		double per_ns = c_ns || w_ns ? lk_work_loops_per_ns() : 0;
		S.c_loops = (uint64_t)((double)c_ns * per_ns);
		S.w_loops = (uint64_t)((double)w_ns * per_ns);
		LK_FN(_init)(&S.lock);
#if defined(LK_PARKS) && LK_PARKS
		S.lock.spin_ns = lk_park_budget_ns(st);
		S.lock.yield_ns = lk_park_yield_ns(st);
#endif
		S.d.value = 0;
		S.d.owner = -1;
	}
	LK_FN(_node_t) node = {0}; /* valid until every thread has passed ct_sync (clh) */
	uint64_t ops = 0, handoffs = 0, sink = 0;
	int64_t n = ct_begin(st);
	uint64_t c_loops = S.c_loops, w_loops = S.w_loops;
	lk_window_start(&S.w, me);
	for (;;) {
		for (int j = 0; j < LK_CHUNK; j++) {
			LK_FN(_lock)(&S.lock, &node);
			S.d.value++;
			if (S.d.owner != me) {
				S.d.owner = me;
				handoffs++;
			}
			if (c_loops)
				sink += lk_work(c_loops);
			LK_FN(_unlock)(&S.lock, &node);
			if (w_loops)
				sink += lk_work(w_loops);
		}
		ops += LK_CHUNK;
		if (lk_window_tick(&S.w, me, ops, n))
			break;
	}
	lk_window_finish(&S.w, me, ops, handoffs, 0, 0);
	ct_end(st);
	ct_do_not_optimize(sink);
	ct_items_processed(st, (int64_t)ops);
	ct_sync(st);
	if (me == 0) {
		lk_totals t = lk_window_totals(&S.w, ct_threads(st));
		if (S.d.value != t.ops) {
			ct_skip_error(st, "the lock did not exclude: the counter lost increments");
		} else {
			lk_window_report(&S.w, st, LK_REPORT_HANDOFFS);
#if defined(LK_PARKS) && LK_PARKS
			ct_counter(st, "spin_budget_ns", (double)S.lock.spin_ns, CT_COUNTER_PLAIN);
			ct_counter(st, "yield_budget_ns", (double)S.lock.yield_ns,
				   CT_COUNTER_PLAIN);
#endif
		}
		LK_FN(_destroy)(&S.lock);
	}
#undef S
}

__attribute__((unused)) static void LK_CAT3(lock_counter_, LK_TOK, )(ct_state *st, void *ctx)
{
	(void)ctx;
	LK_CAT3(lock_run_, LK_TOK, )(st, 0, 0);
}

/* args: ns inside, ns outside. */
__attribute__((unused)) static void LK_CAT3(lock_cs_, LK_TOK, )(ct_state *st, void *ctx)
{
	(void)ctx;
	LK_CAT3(lock_run_, LK_TOK, )(st, ct_arg(st, 0), ct_arg(st, 1));
}

#if !defined(LK_OWN_RM)
/* The read-mostly snapshot behind this lock, for lk_tpl_readmostly.h (a strategy with its
 * own read side, like the seqlock, defines LK_OWN_RM and brings its own). */
typedef struct {
	LK_FN(_t) lock;
	CT_ALIGNED lk_snap_t s;
} LK_FN(_rm_t);

static inline void LK_FN(_rm_init)(LK_FN(_rm_t) * r, int max_threads)
{
	(void)max_threads;
	LK_FN(_init)(&r->lock);
	lk_snap_fill(r->s.f, 0);
}
static inline void LK_FN(_rm_destroy)(LK_FN(_rm_t) * r)
{
	LK_FN(_destroy)(&r->lock);
}
static inline void LK_FN(_rm_read)(LK_FN(_rm_t) * r, LK_FN(_node_t) * n, uint64_t *out)
{
	LK_RD_LOCK(&r->lock, n);
	for (int i = 0; i < LK_SNAP_WORDS; i++)
		out[i] = r->s.f[i];
	LK_RD_UNLOCK(&r->lock, n);
}
static inline void LK_FN(_rm_write)(LK_FN(_rm_t) * r, LK_FN(_node_t) * n)
{
	LK_FN(_lock)(&r->lock, n);
	lk_snap_fill(r->s.f, r->s.f[0] + 1);
	LK_FN(_unlock)(&r->lock, n);
}
static inline uint64_t LK_FN(_rm_version)(LK_FN(_rm_t) * r)
{
	return r->s.f[0];
}
static inline void LK_FN(_rm_enter)(LK_FN(_rm_t) * r, LK_FN(_node_t) * n, int tid)
{
	(void)r, (void)n, (void)tid;
}
static inline void LK_FN(_rm_quiescent)(LK_FN(_rm_t) * r, LK_FN(_node_t) * n)
{
	(void)r, (void)n;
}
static inline void LK_FN(_rm_leave)(LK_FN(_rm_t) * r, LK_FN(_node_t) * n)
{
	(void)r, (void)n;
}

#endif

#undef LK_RD_LOCK
#undef LK_RD_UNLOCK
