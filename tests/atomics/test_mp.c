/*
 * test_mp.c - message passing: release/acquire and seq_cst never read a stale payload
 * after the flag; relaxed_unsafe completes too (its stale count is reported, not checked);
 * a side whose partner never comes gives up instead of spinning forever.
 */
#include "tsan.h" /* first: it defines _GNU_SOURCE */

#include <pthread.h>
#include <stdio.h>

#include "atomics/mp.h"
#include "lib/check.h"

struct side {
	at_mp *m;
	int side;
	int64_t n;
	enum at_mp_order o;
	int64_t stale;
};
static void *side_main(void *p)
{
	struct side *s = p;
	s->stale = at_mp_run(s->m, s->side, s->n, s->o);
	return NULL;
}

int main(void)
{
	static at_mp m;

	for (int o = 0; o < AT_MP_NORDERS; o++) {
		at_mp_init(&m);
		struct side s[2] = {{&m, 0, SCALE(200000), o, 0}, {&m, 1, SCALE(200000), o, 0}};
		pthread_t th;
		pthread_create(&th, NULL, side_main, &s[1]);
		side_main(&s[0]);
		pthread_join(th, NULL);
		printf("%-16s stale %lld %lld\n", at_mp_order_name(o), (long long)s[0].stale,
		       (long long)s[1].stale);
		CHECK(s[0].stale >= 0 && s[1].stale >= 0 &&
			  (o == AT_MP_RELAXED_UNSAFE || (!s[0].stale && !s[1].stale)),
		      "%s: stale payloads %lld %lld", at_mp_order_name(o), (long long)s[0].stale,
		      (long long)s[1].stale);
	}
	/* The stop flag set (as a stalled partner does): the side gives up with -1. */
	at_mp_init(&m);
	ct_stop_set(&m.stop);
	CHECK(at_mp_run(&m, 0, 10, AT_MP_RELEASE_ACQUIRE) == -1,
	      "a side without a partner did not give up");
	return ct_check_status("test_mp");
}
