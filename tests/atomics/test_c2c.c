/*
 * test_c2c.c - the c2c matrix: every measured pair positive and finite with min <= median
 * <= max, the diagonal absent, no pair twice; with more pairs than the sample, exactly the
 * sample is measured, every pair with the first PU among it; the JSON has the keys the
 * results contract names.
 */
#define _GNU_SOURCE
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "c2c.h"
#include "topology.h"
#include "lib/check.h"

static cpu_set_t allowed; /* the CPUs this test may run on */

static int usable(int pu)
{
	return pu >= 0 && pu < CPU_SETSIZE && CPU_ISSET(pu, &allowed);
}

/* Every pair of two PUs this process may run on must be measured. A pair with a PU the
 * machine lacks runs its threads unpinned (maybe both on one CPU) and may give up: only
 * the pairs that were measured are checked there. */
static void check_pairs(const ct_c2c *m)
{
	for (int k = 0; k < m->npairs; k++) {
		const ct_c2c_pair *p = &m->pairs[k];
		CHECK(p->a != p->b, "diagonal pair %d-%d", p->a, p->b);
		CHECK(p->samples > 0 || !usable(p->a) || !usable(p->b), "pair %d-%d not measured",
		      p->a, p->b);
		CHECK(p->samples == 0 ||
			  (p->rtt_ns > 0 && isfinite(p->rtt_ns) && p->min_ns > 0 &&
			   p->min_ns <= p->rtt_ns && p->rtt_ns <= p->max_ns && isfinite(p->max_ns)),
		      "pair %d-%d: %g [%g - %g]", p->a, p->b, p->rtt_ns, p->min_ns, p->max_ns);
		for (int j = 0; j < k; j++) {
			const ct_c2c_pair *q = &m->pairs[j];
			CHECK(!((q->a == p->a && q->b == p->b) || (q->a == p->b && q->b == p->a)),
			      "pair %d-%d twice", p->a, p->b);
		}
	}
}

int main(void)
{
	char err[256];
	ct_c2c m;

	/* a pair needs two CPUs: on one there is nothing to measure (a skip, not a pass) */
	if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0 || CPU_COUNT(&allowed) < 2)
		ct_check_skip("one CPU: no pair to measure");
	int c0 = -1, c1 = -1, missing = 4096;
	for (int c = 0; c < CPU_SETSIZE && c1 < 0; c++)
		if (CPU_ISSET(c, &allowed))
			*(c0 < 0 ? &c0 : &c1) = c;
	while (usable(missing))
		missing++;
	if (ct_topo_load(NULL, NULL, err, sizeof(err)) != 0) {
		fprintf(stderr, "FAIL: %s\n", err);
		return 1;
	}
	/* A real pair: measured, positive, finite. */
	int two[] = {c0, c1};
	CHECK(ct_c2c_measure(two, 2, 100, 3, 0, &m) == 0, "measure failed");
	CHECK(m.npus == 2 && m.pairs_total == 1 && m.npairs == 1, "2 PUs");
	CHECK(m.npairs == 1 && m.pairs[0].samples == 3, "the real pair: %d of 3 samples",
	      m.npairs ? m.pairs[0].samples : 0);
	check_pairs(&m);
	ct_c2c_free(&m);

	/* The real pair last, after pairs with a PU this machine lacks: still measured. */
	int three[] = {missing, c0, c1};
	CHECK(ct_c2c_measure(three, 3, 100, 1, 0, &m) == 0, "measure failed");
	CHECK(m.npairs == 3 && m.pairs[2].a == c0 && m.pairs[2].b == c1 && m.pairs[2].samples == 1,
	      "the real pair after two others not measured");
	check_pairs(&m);
	ct_c2c_free(&m);

	/* Every pair of 4 PUs (duplicates dropped); PUs this machine lacks run unpinned. */
	int four[] = {0, 1, 2, 1, 3};
	CHECK(ct_c2c_measure(four, 5, 100, 3, 0, &m) == 0, "measure failed");
	CHECK(m.npus == 4 && m.pairs_total == 6 && m.npairs == 6 && !strcmp(m.selection, "all"),
	      "4 PUs: npus %d, total %ld, pairs %d", m.npus, m.pairs_total, m.npairs);
	check_pairs(&m);
	ct_c2c_free(&m);

	/* 8 PUs, 28 pairs, a sample of 10: the first PU's 7 pairs, then 3 drawn. */
	int eight[] = {0, 1, 2, 3, 4, 5, 6, 7};
	CHECK(ct_c2c_measure(eight, 8, 10, 1, 0, &m) == 0, "measure failed");
	CHECK(m.pairs_total == 28 && m.npairs == 10 && strcmp(m.selection, "all"),
	      "sample: total %ld, pairs %d, %s", m.pairs_total, m.npairs, m.selection);
	for (int j = 1; j < 8; j++)
		CHECK(m.pairs[j - 1].a == 0 && m.pairs[j - 1].b == j, "first row pair %d", j);
	check_pairs(&m);
	int failed = 0;
	for (int k = 0; k < m.npairs; k++)
		failed += m.pairs[k].samples == 0;
	json_t *s = ct_c2c_sample_json(&m);
	CHECK(json_integer_value(json_object_get(s, "pairs_total")) == 28 &&
		  json_integer_value(json_object_get(s, "pairs_measured")) == 10 - failed &&
		  json_integer_value(json_object_get(s, "failed")) == failed &&
		  json_array_size(json_object_get(s, "pus")) == 8,
	      "c2c_sample keys");
	json_decref(s);
	ct_c2c_free(&m);

	/* What the runner calls: the context's c2c list of {"a", "b", "rtt_ns"}. */
	json_t *list = ct_c2c_json(two, 2, 16);
	CHECK(list && json_array_size(list) == 1, "c2c list of 2 PUs");
	json_t *e = json_array_get(list, 0);
	CHECK(e && json_is_integer(json_object_get(e, "a")) &&
		  json_is_integer(json_object_get(e, "b")) &&
		  json_real_value(json_object_get(e, "rtt_ns")) > 0,
	      "c2c entry keys");
	json_decref(list);
	json_t *ctx = json_object();
	CHECK(ct_c2c_context(ctx, two, 2, 16) == 0 && json_is_array(json_object_get(ctx, "c2c")) &&
		  json_is_object(json_object_get(ctx, "c2c_sample")),
	      "ct_c2c_context keys");
	json_decref(ctx);
	/* one PU: no pairs, nothing measured */
	list = ct_c2c_json(two, 1, 16);
	CHECK(list && json_array_size(list) == 0, "one PU gives an empty list");
	json_decref(list);
	return ct_check_status("test_c2c");
}
