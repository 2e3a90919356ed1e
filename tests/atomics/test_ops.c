/*
 * test_ops.c - the ordering-matrix kernels: every valid (operation, ordering) pair exists
 * exactly once and nothing else does; each kernel does what its check assumes, alone and
 * (for the read-modify-writes) with two threads on one word.
 */
#include "tsan.h" /* first: it defines _GNU_SOURCE */

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "atomics/ops.h"
#include "lib/check.h"

static const char *const orders[] = {"relaxed", "consume", "acquire",
				     "release", "acq_rel", "seq_cst"};
/* Which orderings C11 allows per operation (bit i: orders[i]). */
static unsigned allowed(enum at_op op)
{
	switch (op) {
	case AT_LOAD:
		return 1u << 0 | 1u << 1 | 1u << 2 | 1u << 5;
	case AT_STORE:
		return 1u << 0 | 1u << 3 | 1u << 5;
	case AT_FENCE:
		return 1u << 2 | 1u << 3 | 1u << 4 | 1u << 5;
	default:
		return 0x3f;
	}
}

static void test_list(void)
{
	int n, seen[AT_NOPS][6] = {{0}};
	const at_variant *v = at_variants(&n);

	for (int i = 0; i < n; i++) {
		int o = -1;
		for (int k = 0; k < 6; k++)
			if (!strcmp(v[i].ordering, orders[k]))
				o = k;
		CHECK(o >= 0, "unknown ordering %s", v[i].ordering);
		CHECK(v[i].op >= 0 && v[i].op < AT_NOPS, "bad op");
		if (o < 0 || v[i].op < 0 || v[i].op >= AT_NOPS)
			continue;
		CHECK(!strcmp(v[i].op_name, at_op_name(v[i].op)), "op name %s", v[i].op_name);
		CHECK(allowed(v[i].op) >> o & 1, "invalid: %s/%s", v[i].op_name, v[i].ordering);
		seen[v[i].op][o]++;
	}
	for (int op = 0; op < AT_NOPS; op++)
		for (int o = 0; o < 6; o++)
			CHECK(seen[op][o] == (int)(allowed(op) >> o & 1),
			      "%s/%s registered %d times", at_op_name(op), orders[o], seen[op][o]);
	CHECK(n == 4 + 3 + 5 * 6 + 4, "%d variants, expected 41", n);
}

/* One thread, one word: what each kernel returns and leaves. */
static void test_single(void)
{
	int nv;
	const at_variant *v = at_variants(&nv);
	const int64_t n = 1000;
	const uint64_t init = 1000, base = 7ull << 40;

	for (int i = 0; i < nv; i++) {
		at_word w;
		atomic_init(&w, init);
		uint64_t acc = v[i].kernel(&w, n, base), fin = atomic_load(&w);
		const char *name = v[i].op_name, *o = v[i].ordering;
		switch (v[i].op) {
		case AT_LOAD:
			CHECK(acc == init * n && fin == init, "load/%s", o);
			break;
		case AT_STORE:
		case AT_FENCE:
			CHECK(fin == base + n, "%s/%s left %llu", name, o, (unsigned long long)fin);
			break;
		case AT_EXCHANGE:
			/* returned: init, base+1 .. base+n-1 */
			CHECK(acc == init + base * (n - 1) + (uint64_t)(n - 1) * n / 2 &&
				  fin == base + n,
			      "exchange/%s", o);
			break;
		case AT_FAA:
			CHECK(fin == init + n, "faa/%s", o);
			break;
		case AT_FAA_USED:
			CHECK(fin == init + n && acc == init * n + (uint64_t)n * (n - 1) / 2,
			      "faa_used/%s", o);
			break;
		case AT_CAS_STRONG:
			CHECK(acc == (uint64_t)n && fin == init + n,
			      "cas_strong/%s: %llu successes", o, (unsigned long long)acc);
			break;
		case AT_CAS_WEAK: /* may fail spuriously (LL/SC), never wrongly */
			CHECK(acc > 0 && fin == init + acc, "cas_weak/%s", o);
			break;
		default:
			CHECK(0, "unknown op");
		}
	}
}

/* Two threads on one word: increments are never lost, CAS successes match. */
struct shared_arg {
	const at_variant *v;
	at_word *w;
	int64_t n;
	uint64_t acc;
};
static void *shared_thread(void *p)
{
	struct shared_arg *a = p;
	a->acc = a->v->kernel(a->w, a->n, 0);
	return NULL;
}

static void test_shared(void)
{
	int nv;
	const at_variant *v = at_variants(&nv);
	const int64_t n = SCALE(200000);

	for (int i = 0; i < nv; i++) {
		enum at_op op = v[i].op;
		if (op != AT_FAA && op != AT_FAA_USED && op != AT_CAS_STRONG && op != AT_CAS_WEAK)
			continue;
		at_word w;
		atomic_init(&w, 0);
		struct shared_arg a[2] = {{&v[i], &w, n, 0}, {&v[i], &w, n, 0}};
		pthread_t th;
		pthread_create(&th, NULL, shared_thread, &a[1]);
		shared_thread(&a[0]);
		pthread_join(th, NULL);
		uint64_t fin = atomic_load(&w), all = 2 * (uint64_t)n;
		if (op == AT_FAA)
			CHECK(fin == all, "faa/%s lost increments: %llu", v[i].ordering,
			      (unsigned long long)fin);
		else if (op == AT_FAA_USED)
			CHECK(fin == all && a[0].acc + a[1].acc == all * (all - 1) / 2,
			      "faa_used/%s: returned values do not add up", v[i].ordering);
		else
			CHECK(fin == a[0].acc + a[1].acc, "%s/%s: successes %llu, counter %llu",
			      v[i].op_name, v[i].ordering,
			      (unsigned long long)(a[0].acc + a[1].acc), (unsigned long long)fin);
	}
}

int main(void)
{
	test_list();
	test_single();
	test_shared();
	if (ct_check_failures) {
		fprintf(stderr, "%d ct_check_failures\n", ct_check_failures);
		return 1;
	}
	printf("ok\n");
	return 0;
}
