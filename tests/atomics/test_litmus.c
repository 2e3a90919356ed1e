/*
 * test_litmus.c - the litmus harness: SB under seq_cst (and with seq_cst fences) never
 * gives r1 = r2 = 0, MP under release/acquire never reads the old data after the new flag,
 * SB over a million trials, MP over 250 000 (fewer under TSan and on one CPU); every trial
 * is counted once. Relaxed SB is run too: its 00 count is what the hardware shows, not
 * checked.
 */
#include "tsan.h" /* first: it defines _GNU_SOURCE */

#include <pthread.h>
#include <stdio.h>

#include "atomics/litmus.h"
#include "lib/check.h"

struct side {
	at_litmus *l;
	int side;
	int64_t n;
	int r;
};
static void *side_main(void *p)
{
	struct side *s = p;
	s->r = at_litmus_run(s->l, s->side, s->n);
	return NULL;
}

static void run(enum at_litmus_test t, enum at_litmus_order o, int64_t n, int must_not_see)
{
	static at_litmus l;
	at_litmus_init(&l, t, o);
	struct side s[2] = {{&l, 0, n, 0}, {&l, 1, n, 0}};
	pthread_t th;
	pthread_create(&th, NULL, side_main, &s[1]);
	side_main(&s[0]);
	pthread_join(th, NULL);
	uint64_t total = 0;
	for (int i = 0; i < 4; i++)
		total += l.counts[i];
	uint64_t forbidden = l.counts[at_litmus_forbidden(t)];
	printf("%s/%-16s 00:%llu 01:%llu 10:%llu 11:%llu\n", at_litmus_test_name(t),
	       at_litmus_order_name(o), (unsigned long long)l.counts[0],
	       (unsigned long long)l.counts[1], (unsigned long long)l.counts[2],
	       (unsigned long long)l.counts[3]);
	if (s[0].r || s[1].r) {
		fprintf(stderr, "FAIL %s/%s: a side stalled\n", at_litmus_test_name(t),
			at_litmus_order_name(o));
		ct_check_failures++;
	}
	if (total != (uint64_t)n) {
		fprintf(stderr, "FAIL %s/%s: %llu outcomes for %lld trials\n",
			at_litmus_test_name(t), at_litmus_order_name(o), (unsigned long long)total,
			(long long)n);
		ct_check_failures++;
	}
	if (must_not_see && forbidden) {
		fprintf(stderr, "FAIL %s/%s: the forbidden outcome %d%d seen %llu times\n",
			at_litmus_test_name(t), at_litmus_order_name(o),
			at_litmus_forbidden(t) >> 1, at_litmus_forbidden(t) & 1,
			(unsigned long long)forbidden);
		ct_check_failures++;
	}
	if (must_not_see != !at_litmus_c11_allows(t, o)) {
		fprintf(stderr, "FAIL %s/%s: C11 table disagrees\n", at_litmus_test_name(t),
			at_litmus_order_name(o));
		ct_check_failures++;
	}
}

int main(void)
{
	const int64_t million = SCALE(1000000);

	run(AT_LT_SB, AT_LO_SEQ_CST, million, 1);
	run(AT_LT_MP, AT_LO_RELEASE_ACQUIRE, million / 4, 1);
	run(AT_LT_SB, AT_LO_FENCE, million / 20, 1);
	run(AT_LT_MP, AT_LO_SEQ_CST, million / 20, 1);
	run(AT_LT_MP, AT_LO_FENCE, million / 20, 1);
	run(AT_LT_SB, AT_LO_RELAXED, million / 20, 0);
	run(AT_LT_SB, AT_LO_RELEASE_ACQUIRE, million / 20, 0);
	run(AT_LT_MP, AT_LO_RELAXED, million / 20, 0);
	/* zero trials: nothing counted, nothing stuck */
	run(AT_LT_SB, AT_LO_RELAXED, 0, 0);
	if (ct_check_failures)
		return 1;
	printf("ok\n");
	return 0;
}
