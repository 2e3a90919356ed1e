/*
 * atomics.c - the atomics family: the memory-ordering matrix, and the family's entry point
 * (message passing: mp.c; litmus tests: litmus_bench.c).
 *
 * atomic_<op>/<ordering>/<sharing>: every thread runs one operation n times (ops.h: load,
 * store, exchange, faa, faa_used, cas_strong, cas_weak, fence) under one C11 ordering, on
 *   private        a line of the thread's own stack (first touched by that thread)
 *   shared         one word that every thread uses
 *   false_sharing  thread t uses slot t of an array of 8-byte slots: 8 threads per line
 *   padded         the same array with one padding unit (CT_PAD) per slot: the control
 * Stresses the cost an ordering adds to an operation, alone and with the line moving
 * between cores. Left out: any work between operations (the loop is back to back, so the
 * figure is throughput-bound on a private line and latency-bound on a contended one) and
 * dependent-load chains (consume). Metric: time per iteration as Google Benchmark reports
 * it (the mean thread's wall time over ALL threads' operations), plus `ns_per_op`: the mean
 * over threads of one thread's wall time per operation, the latency a caller sees. With one
 * thread every sharing mode is the same line. Checked after the clock stops: loads read the
 * value stored, stores leave the last value, exchanged values are conserved, fetch_add
 * totals and returned values add up, and the CAS successes equal the counter's growth.
 * `cas_fail_ratio`: failed CAS attempts per attempt.
 *
 * What the hardware makes equal. consume is promoted to acquire by GCC and Clang (no
 * compiler tracks dependencies), so every *_consume row is an acquire row by construction.
 * On x86-64 (TSO), checked with objdump -d on ops.o (GCC 12.2, -O2): all four loads are one
 * plain mov; store relaxed and release are a plain mov, store seq_cst is xchg; every
 * read-modify-write is one lock-prefixed instruction whatever the ordering (exchange: xchg,
 * faa: lock add, faa_used: lock xadd, CAS: lock cmpxchg); fences acquire, release and
 * acq_rel emit nothing (a compiler barrier), fence seq_cst is `lock or $0,(%rsp)` (GCC 12;
 * Clang 14 emits mfence). So on x86-64 only store/seq_cst and fence/seq_cst can
 * differ from their weaker forms: the other rows measure the same instructions and should
 * agree within noise, which is itself the answer. On aarch64 (checked with
 * aarch64-linux-gnu-gcc 12.2 -O2, objdump of ops.o) the orderings are distinct: load
 * relaxed ldr, acquire/consume/seq_cst ldar (ldapr for acquire needs -march=armv8.3-a+rcpc);
 * store relaxed str, release/seq_cst stlr; fence acquire dmb ishld, release/acq_rel/seq_cst
 * dmb ish; read-modify-writes call libgcc's outline atomics (__aarch64_ldadd8_relax, _acq,
 * _rel, _acq_rel, and swp8/cas8 likewise; LSE or LL/SC chosen at run time), with seq_cst
 * the same helper as acq_rel.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "atomics/ops.h"
#include "bench.h"
#include "window.h"

#define MX_MAX_THREADS 512
#define MX_INIT	       1000u /* every slot starts here: loads must read it */
#define MX_PER_LINE    (CT_CACHELINE / (int)sizeof(at_word))

enum sharing { SH_PRIVATE, SH_SHARED, SH_FALSE, SH_PADDED, SH_N };
static const char *const sharing_names[SH_N] = {"private", "shared", "false_sharing", "padded"};

typedef struct {
	alignas(CT_PAD) at_word w[MX_PER_LINE];
} line_slots;
typedef struct {
	alignas(CT_PAD) at_word w;
} padded_slot;

static struct {
	CT_ALIGNED at_word shared;
	line_slots fs[(MX_MAX_THREADS + MX_PER_LINE - 1) / MX_PER_LINE];
	padded_slot pad[MX_MAX_THREADS];
	CT_ALIGNED _Atomic uint64_t sum; /* published per-thread terms, mod 2^64 */
	_Atomic uint64_t bad;		 /* threads whose own check failed */
	_Atomic uint64_t cas_fails;	 /* failed CAS attempts of all threads */
	ct_window win;			 /* the shared window (window.h) */
} mx;

/* Operations between two looks at the window's stop flag: long enough that the look (a
 * read of a line nobody writes until the end) is noise, short enough that the threads
 * stop within microseconds of each other. */
#define MX_CHUNK 256

typedef struct mx_ctx {
	const at_variant *v;
	enum sharing sh;
} mx_ctx;

/* n (n - 1) / 2 mod 2^64 */
static uint64_t tri(uint64_t n)
{
	return n % 2 ? n * ((n - 1) / 2) : (n / 2) * (n - 1);
}

static void matrix_bench(ct_state *st, void *vctx)
{
	const mx_ctx *c = vctx;
	const int t = ct_thread_index(st), nt = ct_threads(st);
	const int owned = c->sh != SH_SHARED;
	CT_ALIGNED at_word mine;
	at_word *slot;

	if (nt > MX_MAX_THREADS) { /* every thread takes this path: none waits for another */
		ct_skip_error(st, "atomics matrix: more threads than its slots (512)");
		ct_begin(st);
		return;
	}
	atomic_init(&mine, MX_INIT);
	switch (c->sh) {
	case SH_PRIVATE:
		slot = &mine;
		break;
	case SH_SHARED:
		slot = &mx.shared;
		break;
	case SH_FALSE:
		slot = &mx.fs[t / MX_PER_LINE].w[t % MX_PER_LINE];
		break;
	default:
		slot = &mx.pad[t].w;
		break;
	}
	if (t == 0) { /* the start barrier inside ct_begin orders this before every thread */
		atomic_store(&mx.shared, MX_INIT);
		for (int i = 0; i < nt; i++) {
			atomic_store(&mx.fs[i / MX_PER_LINE].w[i % MX_PER_LINE], MX_INIT);
			atomic_store(&mx.pad[i].w, MX_INIT);
		}
		atomic_store(&mx.sum, 0);
		atomic_store(&mx.bad, 0);
		atomic_store(&mx.cas_fails, 0);
		ct_window_setup(&mx.win, st);
	}
	const uint64_t base = (uint64_t)(t + 1) << 40; /* values stored by thread t */

	/* One window for all threads (window.h): each runs chunks until the first has done
	 * n operations; chunk k stores base + (values after the done ones), so the values a
	 * thread stores run on as in one call. */
	int64_t n = ct_begin(st);
	uint64_t acc = 0, done = 0;
	ct_window_start(&mx.win, t);
	do {
		acc += c->v->kernel(slot, MX_CHUNK, base + done);
		done += MX_CHUNK;
	} while (!ct_window_tick(&mx.win, t, done, n));
	ct_window_finish(&mx.win, t, done);
	ct_end(st);

	/* The check: owned slots locally, the shared word through sums over all threads. */
	const uint64_t un = done;
	const uint64_t mfin = owned ? atomic_load(slot) : 0;
	int bad = 0;
	uint64_t term = 0; /* this thread's part of a sum that must come to 0 (shared) */
	switch (c->v->op) {
	case AT_LOAD:
		bad = acc != un * MX_INIT;
		break;
	case AT_STORE:
	case AT_FENCE:
		bad = owned && mfin != base + un;
		break;
	case AT_EXCHANGE: {
		uint64_t stored = base * un + tri(un + 1);
		if (owned)
			bad = acc - stored != MX_INIT - mfin;
		else
			term = acc - stored;
		break;
	}
	case AT_FAA:
		bad = owned && mfin != MX_INIT + un;
		break;
	case AT_FAA_USED:
		if (owned)
			bad = mfin != MX_INIT + un || acc != un * MX_INIT + tri(un);
		else
			term = acc;
		break;
	case AT_CAS_STRONG:
	case AT_CAS_WEAK:
		if (owned)
			bad = mfin != MX_INIT + acc ||
			      (c->v->op == AT_CAS_STRONG && acc != un); /* nobody interferes */
		else
			term = acc;
		break;
	default:
		bad = 1;
	}
	atomic_fetch_add(&mx.sum, term);
	atomic_fetch_add(&mx.bad, (uint64_t)bad);
	if (c->v->op == AT_CAS_STRONG || c->v->op == AT_CAS_WEAK)
		atomic_fetch_add(&mx.cas_fails, un - acc);
	ct_items_processed(st, (int64_t)done);
	ct_sync(st);
	if (t != 0)
		return;

	const char *why = NULL;
	const uint64_t all = ct_window_report(&mx.win, st), sum = atomic_load(&mx.sum);
	if (c->v->op == AT_CAS_STRONG || c->v->op == AT_CAS_WEAK)
		ct_counter(st, "cas_fail_ratio", (double)atomic_load(&mx.cas_fails) / (double)all,
			   CT_COUNTER_PLAIN);
	const uint64_t fin = atomic_load(slot); /* every thread is done with it now */
	if (atomic_load(&mx.bad))
		why = "a thread's own check failed (value read, left, or counted wrong)";
	else if (!owned) {
		switch (c->v->op) {
		case AT_STORE:
		case AT_FENCE: {
			uint64_t w = fin >> 40; /* the thread whose store was last: its last */
			if (w < 1 || w > (uint64_t)nt || fin - (w << 40) != mx.win.th[w - 1].ops)
				why = "the shared word does not hold any thread's last store";
			break;
		}
		case AT_EXCHANGE:
			if (sum != MX_INIT - fin)
				why = "exchanged values were not conserved";
			break;
		case AT_FAA:
			if (fin != MX_INIT + all)
				why = "the counter lost increments";
			break;
		case AT_FAA_USED:
			if (fin != MX_INIT + all || sum != all * MX_INIT + tri(all))
				why = "fetch_add returned values that do not add up";
			break;
		case AT_CAS_STRONG:
		case AT_CAS_WEAK:
			if (fin != MX_INIT + sum)
				why = "CAS successes do not match the counter";
			break;
		default:
			break;
		}
	}
	if (why) {
		char msg[160];
		snprintf(msg, sizeof(msg), "%s/%s/%s: %s", c->v->op_name, c->v->ordering,
			 sharing_names[c->sh], why);
		ct_skip_error(st, msg);
	}
}

/* Profiles. quick: a handful that show the essentials; default: each operation's weakest
 * and strongest ordering (and acquire/release for loads, stores and fences) on a private
 * and a shared line, and the false-sharing pair; full: everything. */
static unsigned profile_of(const at_variant *v, enum sharing sh)
{
	const char *o = v->ordering;
	int quick = 0, dflt = 0;
#define IS(s) (!__builtin_strcmp(o, s))
	if (v->op == AT_FAA && IS("relaxed"))
		quick = sh == SH_SHARED || sh == SH_FALSE || sh == SH_PADDED;
	if (v->op == AT_STORE && sh == SH_PRIVATE && (IS("relaxed") || IS("seq_cst")))
		quick = 1;
	if (sh == SH_PRIVATE || sh == SH_SHARED) {
		switch (v->op) {
		case AT_LOAD:
			dflt = IS("relaxed") || IS("acquire") || IS("seq_cst");
			break;
		case AT_STORE:
			dflt = 1;
			break;
		case AT_FENCE:
			dflt = IS("release") || IS("seq_cst");
			break;
		default:
			dflt = IS("relaxed") || IS("seq_cst");
			break;
		}
	} else {
		dflt = (v->op == AT_FAA || v->op == AT_STORE) && IS("relaxed");
	}
#undef IS
	return (quick ? CT_QUICK : 0) | (quick || dflt ? CT_DEFAULT : 0);
}

/*
 * The report's view: one bar chart per sharing mode, a group of bars (one per ordering)
 * per operation. What costs the same on x86-64: every load is a plain mov, relaxed and
 * release stores a plain mov, every read-modify-write a locked instruction whatever the
 * ordering, acquire/release/acq_rel fences no instruction at all.
 */
static void at_register_views(const at_variant *v, int nv)
{
	static char workloads[16][32];
	int k = 0;

	for (int i = 0; i < nv && k < 16; i++) {
		char w[32];
		snprintf(w, sizeof(w), "atomic_%s", v[i].op_name);
		int seen = 0;
		for (int j = 0; j < k; j++)
			seen |= !strcmp(workloads[j], w);
		if (seen)
			continue;
		snprintf(workloads[k], sizeof(workloads[k]), "%s", w);
		const char *op = v[i].op_name;
		ct_equiv same = {0};
		if (!strcmp(op, "load"))
			same = (ct_equiv){"x86_64", "relaxed consume acquire seq_cst",
					  "a load, any ordering: a plain mov on x86-64"};
		else if (!strcmp(op, "store"))
			same = (ct_equiv){"x86_64", "relaxed release",
					  "a relaxed or release store: a plain mov on x86-64"};
		else if (!strcmp(op, "fence"))
			same = (ct_equiv){"x86_64", "acquire release acq_rel",
					  "an acquire, release or acq_rel fence: no instruction on "
					  "x86-64"};
		else
			same =
			    (ct_equiv){"x86_64", "relaxed consume acquire release acq_rel seq_cst",
				       "a read-modify-write, any ordering: one locked instruction "
				       "on x86-64"};
		ct_register_view(&(ct_view){
		    .workload = workloads[k],
		    .section = "Atomics",
		    .title = "atomic operations",
		    .question = "What does each memory ordering cost for this operation, on a "
				"private, shared, falsely shared or padded line?",
		    .cluster = "atomic",
		    .metric = "ns_per_op",
		    .metric_label = "wall time per operation, all threads together",
		    .lower_is_better = 1,
		    .baseline = "seq_cst",
		    .same = {same},
		    .notes = "On x86-64 every load is a plain mov and every read-modify-write a "
			     "locked instruction whatever the ordering; only a seq_cst store "
			     "(xchg) and a seq_cst fence (mfence) differ from the weaker forms. "
			     "On AArch64 acquire loads and release stores are their own "
			     "instructions (ldar/ldapr, stlr) and fences are dmb, so the orderings "
			     "can differ."});
		k++;
	}
	ct_register_view(&(ct_view){
	    .workload = "atomic_mp",
	    .section = "Atomics",
	    .title = "message passing round trip",
	    .question = "What does a payload-then-flag handoff cost under each ordering?",
	    .metric = "rtt_ns",
	    .metric_label = "round trip",
	    .lower_is_better = 1,
	    .baseline = "seq_cst",
	    .flags = CT_VIEW_OWN_THREADS});
	for (int t = 0; t < 2; t++)
		ct_register_view(&(ct_view){
		    .workload = t ? "atomic_litmus_mp" : "atomic_litmus_sb",
		    .section = "Atomics",
		    .title = t ? "litmus: message passing" : "litmus: store buffering",
		    .question = "Which outcomes does each ordering let the hardware show?",
		    .flags = CT_VIEW_TABLE | CT_VIEW_OWN_THREADS,
		    .notes = "Outcome counts (r1 r2): the outcome sequential consistency forbids, "
			     "seen under relaxed or acquire/release, is allowed by C11; under "
			     "seq_cst it is a bug."});
}

void at_register_mp(void);
void at_register_litmus(void);

void ct_register_atomics(void)
{
	static mx_ctx ctxs[64 * SH_N];
	static char workloads[64][32], summaries[64 * SH_N][128];
	int nv, k = 0;
	const at_variant *v = at_variants(&nv);

	for (int i = 0; i < nv && k + SH_N <= 64 * SH_N; i++) {
		snprintf(workloads[i], sizeof(workloads[i]), "atomic_%s", v[i].op_name);
		for (int sh = 0; sh < SH_N; sh++, k++) {
			ctxs[k] = (mx_ctx){.v = &v[i], .sh = (enum sharing)sh};
			snprintf(summaries[k], sizeof(summaries[k]),
				 "%s %s on a %s line, 1 to N threads", v[i].ordering, v[i].op_name,
				 sh == SH_PRIVATE  ? "private"
				 : sh == SH_SHARED ? "shared"
				 : sh == SH_FALSE  ? "falsely shared"
						   : "padded");
			ct_register(&(ct_def){
			    .workload = workloads[i],
			    .strategy = v[i].ordering,
			    .params = {{"sharing", sharing_names[sh]}},
			    .summary = summaries[k],
			    .fn = matrix_bench,
			    .ctx = &ctxs[k],
			    .threads = {CT_THREADS_SWEEP},
			    .flags =
				CT_REAL_TIME | CT_WINDOWED | profile_of(&v[i], (enum sharing)sh),
			});
		}
	}
	at_register_views(v, nv);
	at_register_mp();
	at_register_litmus();
}
