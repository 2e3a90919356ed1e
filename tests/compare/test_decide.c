/*
 * test_decide.c - the verdict, with fixed seeds: an injected 20 % slowdown over 9
 * repetitions is flagged; two samples of one distribution are not; a 2 % change below the
 * threshold is not, however significant; too few repetitions decide on the threshold alone
 * and say so; marked results are unreliable and never decide; a failure only in NEW counts;
 * rates are better when higher. The paired (ab) rule: a 30 % slowdown over 5 rounds is
 * flagged even while the machine's state moves 3x between rounds, and no change is not.
 * Also: pulling samples out of results JSON (units, aggregates, markers, ct_check_failures), the
 * context checks and the fingerprint.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "lib/check.h"

static unsigned long long seed;

static double uniform(void)
{
	/* splitmix64 */
	unsigned long long z = (seed += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static double gauss(void)
{
	return sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
}

/* n samples of center * exp(noise * N(0,1)), plus occasional upward outliers like a VM's */
static void sample(double *v, size_t n, double center, double noise)
{
	for (size_t i = 0; i < n; i++) {
		v[i] = center * exp(noise * gauss());
		if (uniform() < 0.1)
			v[i] *= 1 + 0.5 * uniform();
	}
}

static unsigned marks_a[64], marks_b[64];

/* A series over v with its marks in mk (all clear unless a test sets them). */
static struct ct_metric g_metric; /* the metric of the series made next (opts sets it) */

static struct ct_series series_m(double *v, size_t n, unsigned *mk)
{
	struct ct_series s = {
	    .name = "x", .v = v, .mark = mk, .n = n, .total = n, .rtt = NAN, .m = g_metric};
	return s;
}

static struct ct_series series(double *v, size_t n)
{
	static unsigned clear[64];
	return series_m(v, n, clear);
}

/* Mark the first k of mk with m and count them into *counter. */
static void mark(unsigned *mk, size_t k, unsigned m, size_t *counter)
{
	for (size_t i = 0; i < k; i++)
		mk[i] = m;
	*counter = k;
}

static struct ct_decide_opts opts(const char *metric)
{
	struct ct_decide_opts o = {.alpha = 0.05, .threshold = 5};
	char err[256];
	if (ct_metric_resolve(metric, NULL, &o.metric, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	g_metric = o.metric;
	return o;
}

/* One row decided as a report of one row: the false discovery rate over one test. */
static void fin(struct ct_row *r, const struct ct_decide_opts *o)
{
	struct ct_report rep = {.rows = r, .n = 1, .cap = 1};
	ct_report_finalize(&rep, o);
}

static void decide_i(const char *name, const struct ct_series *b, const struct ct_series *n,
		     const struct ct_decide_opts *o, struct ct_row *r)
{
	ct_decide_independent(name, b, n, o, r);
	fin(r, o);
}

static void decide_p(const char *name, const double *old, const double *new, const unsigned *om,
		     const unsigned *nm, size_t rounds, const struct ct_decide_opts *o,
		     struct ct_row *r)
{
	ct_decide_paired(name, old, new, om, nm, rounds, &o->metric, o, r);
	fin(r, o);
}

static enum ct_verdict independent(double *a, size_t na, double *b, size_t nb,
				   const struct ct_decide_opts *o, struct ct_row *r)
{
	struct ct_series sa = series(a, na), sb = series(b, nb);
	sa.m = sb.m = o->metric;
	decide_i("x", &sa, &sb, o, r);
	free(r->name);
	return r->verdict;
}

static void independent_samples(void)
{
	struct ct_decide_opts o = opts("real_time");
	struct ct_row r;
	double a[9], b[9];
	int flagged = 0, worst = 0;

	/* a 20 % slowdown over 9 repetitions, 3 % noise: flagged, with a small p */
	seed = 1;
	sample(a, 9, 100, 0.03);
	sample(b, 9, 120, 0.03);
	CHECK(independent(a, 9, b, 9, &o, &r) == CT_V_REGRESSION);
	CHECK(r.p < 0.001 && !r.threshold_only && r.change > 10);
	/* ... and the same 20 % the other way is an improvement, not a regression */
	CHECK(independent(b, 9, a, 9, &o, &r) == CT_V_IMPROVED);

	/* the same distribution: not flagged; and over 1000 seeds the rate of false
	 * regressions stays far below alpha (the threshold does most of the work at 3 % noise;
	 * at 10 % noise the rate approaches the one-sided alpha, as it must) */
	seed = 1000;
	sample(a, 9, 100, 0.03);
	sample(b, 9, 100, 0.03);
	CHECK(independent(a, 9, b, 9, &o, &r) == CT_V_UNCHANGED);
	for (int i = 0; i < 1000; i++) {
		seed = 1000 + (unsigned)i;
		sample(a, 9, 100, 0.03);
		sample(b, 9, 100, 0.03);
		enum ct_verdict v = independent(a, 9, b, 9, &o, &r);
		flagged += v == CT_V_REGRESSION;
		worst += v == CT_V_NOISE;
	}
	CHECK(flagged <= 20); /* 2 %, well below alpha: libm may differ across machines */
	printf("same distribution, 3 %% noise: %d of 1000 seeds flagged, %d beyond the threshold "
	       "but not significant\n",
	       flagged, worst);

	/* 2 % slower with little noise: significant, but below the 5 % threshold */
	seed = 7;
	sample(a, 9, 100, 0.003);
	sample(b, 9, 102, 0.003);
	CHECK(independent(a, 9, b, 9, &o, &r) == CT_V_UNCHANGED);
	CHECK(r.p < 0.05);
	/* with --threshold 1 the same data is a regression */
	struct ct_decide_opts o1 = o;
	o1.threshold = 1;
	CHECK(independent(a, 9, b, 9, &o1, &r) == CT_V_REGRESSION);

	/* the median 20 % slower, the ranks all but interleaved: beyond the threshold, far from
	 * significant, so noise and never a regression */
	double wa[9] = {50, 60, 70, 80, 100, 120, 140, 160, 180};
	double wb[9] = {50, 60, 70, 80, 120, 125, 140, 160, 180};
	enum ct_verdict v = independent(wa, 9, wb, 9, &o, &r);
	CHECK(v == CT_V_NOISE && r.p > 0.3 && r.change > 15 && r.change < 25,
	      "verdict %d, p %g, change %g", v, r.p, r.change);
	/* the same noise, but 3x slower: a regression the test sees through the noise */
	seed = 11;
	sample(a, 9, 100, 0.4);
	sample(b, 9, 300, 0.4);
	v = independent(a, 9, b, 9, &o, &r);
	CHECK(v == CT_V_REGRESSION && r.p < 0.05 && !r.threshold_only, "verdict %d, p %g", v, r.p);
	/* and 40 % noise with no change at all: never a regression, over 200 seeds */
	flagged = 0;
	for (int i = 0; i < 200; i++) {
		seed = 3000 + (unsigned)i;
		sample(a, 9, 100, 0.4);
		sample(b, 9, 100, 0.4);
		flagged += independent(a, 9, b, 9, &o, &r) == CT_V_REGRESSION;
	}
	CHECK(flagged <= 10, "no change, 40 %% noise: %d of 200 seeds flagged", flagged);

	/* 3 against 3 cannot reach p < 0.05 (min 1/20): inconclusive, never a verdict on the
	 * threshold alone */
	seed = 3;
	sample(a, 3, 100, 0.01);
	sample(b, 3, 130, 0.01);
	CHECK(independent(a, 3, b, 3, &o, &r) == CT_V_INCONCLUSIVE);
	CHECK(r.threshold_only && isnan(r.p) && strstr(r.note, "smallest p"));
	sample(b, 3, 101, 0.001);
	CHECK(independent(a, 3, b, 3, &o, &r) != CT_V_REGRESSION);
	/* 3 against 4 can (1/35): tested */
	sample(b, 4, 130, 0.01);
	CHECK(independent(a, 3, b, 4, &o, &r) == CT_V_REGRESSION && !r.threshold_only);
	/* one repetition each: inconclusive */
	CHECK(independent(a, 1, b, 1, &o, &r) == CT_V_INCONCLUSIVE && r.threshold_only);

	/* items_per_second: higher is better, so a 20 % drop is the regression */
	struct ct_decide_opts oi = opts("items_per_second");
	CHECK(oi.metric.higher_better && oi.metric.is_rate);
	seed = 5;
	sample(a, 9, 1e6, 0.03);
	sample(b, 9, 0.8e6, 0.03);
	CHECK(independent(a, 9, b, 9, &oi, &r) == CT_V_REGRESSION);
	CHECK(independent(b, 9, a, 9, &oi, &r) == CT_V_IMPROVED);
}

static void marks_and_failures(void)
{
	struct ct_decide_opts o = opts("real_time");
	struct ct_row r;
	double a[9], b[9];
	struct ct_series sa, sb;

	seed = 21;
	sample(a, 9, 100, 0.02);
	sample(b, 9, 140, 0.02);
	/* one marked repetition is set aside; the 8 left decide */
	sa = series_m(a, 9, marks_a);
	sb = series_m(b, 9, marks_b);
	mark(marks_b, 1, CT_MARK_DRIFT, &sb.drift);
	decide_i("x", &sa, &sb, &o, &r);
	CHECK(r.verdict == CT_V_REGRESSION && r.nn == 8 &&
	      strstr(r.note, "set aside: drift in 1/9 new repetitions"));
	free(r.name);
	/* every repetition marked (the harness marks a whole instance): unreliable */
	mark(marks_b, 9, CT_MARK_DISTURBED, &sb.disturbed);
	sb.drift = 0;
	decide_i("x", &sa, &sb, &o, &r);
	CHECK(r.verdict == CT_V_UNRELIABLE && strstr(r.note, "disturbed 9/9 new repetitions"));
	CHECK(r.change > 20); /* shown, not decided */
	free(r.name);
	mark(marks_b, 9, 0, &sb.disturbed);
	/* too few unmarked left for the test: unreliable, not threshold-only */
	mark(marks_a, 8, CT_MARK_DISTURBED, &sa.disturbed); /* 1 vs 9: min p 0.1 */
	decide_i("x", &sa, &sb, &o, &r);
	CHECK(r.verdict == CT_V_UNRELIABLE && strstr(r.note, "disturbed 8/9 base"));
	free(r.name);
	mark(marks_a, 9, 0, &sa.disturbed);
	/* marks on an unchanged benchmark set aside too: still unchanged */
	sb = series_m(a, 9, marks_b);
	mark(marks_b, 2, CT_MARK_DRIFT, &sb.drift);
	decide_i("x", &sa, &sb, &o, &r);
	CHECK(r.verdict == CT_V_UNCHANGED && strstr(r.note, "set aside"));
	free(r.name);
	mark(marks_b, 9, 0, &sb.drift);
	sb = series_m(b, 9, marks_b);

	sb.failed = 1;
	sb.n = 8;
	snprintf(sb.error, sizeof(sb.error), "timed out after 60 s");
	decide_i("x", &sa, &sb, &o, &r);
	CHECK(r.verdict == CT_V_FAILED_NEW && strstr(r.note, "timed out"));
	free(r.name);
	sa.failed = 1;
	decide_i("x", &sa, &sb, &o, &r);
	CHECK(r.verdict == CT_V_FAILED_BOTH);
	free(r.name);
	sb.failed = 0;
	sb.n = 9;
	decide_i("x", &sa, &sb, &o, &r);
	CHECK(r.verdict == CT_V_FAILED_BASE);
	free(r.name);
	sa.failed = 0;

	sb.n = 0;
	sb.missing = 9;
	decide_i("x", &sa, &sb, &o, &r);
	CHECK(r.verdict == CT_V_NO_METRIC);
	free(r.name);

	decide_i("x", &sa, NULL, &o, &r);
	CHECK(r.verdict == CT_V_ONLY_BASE);
	free(r.name);
	decide_i("x", NULL, &sa, &o, &r);
	CHECK(r.verdict == CT_V_ONLY_NEW);
	free(r.name);

	/* two threads measured in different vCPU placements: unreliable; one thread: decided */
	sa = series(a, 9);
	sb = series(b, 9);
	sa.threads = sb.threads = 2;
	sa.rtt = 60;
	sb.rtt = 330;
	decide_i("x", &sa, &sb, &o, &r);
	CHECK(r.verdict == CT_V_UNRELIABLE && strstr(r.note, "round trip 60 ns in base, 330 ns"));
	free(r.name);
	sb.rtt = 85; /* within 50 %: the same state */
	decide_i("x", &sa, &sb, &o, &r);
	CHECK(r.verdict == CT_V_REGRESSION);
	free(r.name);
	sa.threads = sb.threads = 1;
	sb.rtt = 330;
	decide_i("x", &sa, &sb, &o, &r);
	CHECK(r.verdict == CT_V_REGRESSION);
	free(r.name);
	sa.rtt = sb.rtt = NAN;

	/* one reliable regressed row among unreliable ones: the report says regression */
	struct ct_report rep = {.test_name = "U", .sample_word = "repetitions"};
	sb = series_m(b, 9, marks_b);
	mark(marks_b, 9, CT_MARK_DRIFT, &sb.drift);
	ct_decide_independent("marked", &sa, &sb, &o, ct_report_add(&rep));
	CHECK(rep.rows[0].verdict == CT_V_UNRELIABLE);
	ct_report_finalize(&rep, &o);
	CHECK(ct_report_status(&rep, &o) == 0);
	sb = series(b, 9);
	ct_decide_independent("clean", &sa, &sb, &o, ct_report_add(&rep));
	ct_report_finalize(&rep, &o);
	CHECK(ct_report_status(&rep, &o) == 1);
	ct_report_free(&rep);
}

static void paired(void)
{
	struct ct_decide_opts o = opts("real_time");
	struct ct_row r;
	double old[9], new[9];
	unsigned om[9] = {0}, nm[9] = {0};
	size_t k;

	/* 5 rounds, 30 % slower, the machine 3x slower in every other round (vCPU drift) */
	seed = 31;
	for (k = 0; k < 5; k++) {
		double state = k % 2 ? 3 : 1;
		old[k] = 100 * state * exp(0.02 * gauss());
		new[k] = 130 * state *exp(0.02 * gauss());
	}
	decide_p("x", old, new, om, nm, 5, &o, &r);
	CHECK(r.verdict == CT_V_REGRESSION && !r.threshold_only);
	CHECK(fabs(r.p - 1.0 / 32) < 1e-12);
	CHECK(r.change > 20 && r.change < 40);
	free(r.name);

	/* the same program twice: nothing, over 50 seeds */
	int flagged = 0;
	for (int i = 0; i < 50; i++) {
		seed = 500 + (unsigned)i;
		for (k = 0; k < 5; k++) {
			double state = k % 2 ? 3 : 1;
			old[k] = 100 * state * exp(0.02 * gauss());
			new[k] = 100 * state *exp(0.02 * gauss());
		}
		decide_p("x", old, new, om, nm, 5, &o, &r);
		flagged += r.verdict == CT_V_REGRESSION || r.verdict == CT_V_IMPROVED;
		free(r.name);
	}
	CHECK(flagged == 0);

	/* 2 % slower: below the threshold */
	seed = 41;
	for (k = 0; k < 9; k++) {
		old[k] = 100 * exp(0.002 * gauss());
		new[k] = 102 * exp(0.002 * gauss());
	}
	decide_p("x", old, new, om, nm, 9, &o, &r);
	CHECK(r.verdict == CT_V_UNCHANGED);
	free(r.name);

	/* 4 rounds cannot reach 0.05 (min 1/16): threshold only */
	for (k = 0; k < 4; k++)
		new[k] = old[k] * 1.3;
	decide_p("x", old, new, om, nm, 4, &o, &r);
	CHECK(r.verdict == CT_V_INCONCLUSIVE && r.threshold_only);
	free(r.name);

	/* a drifted round is set aside: 4 left of 5 cannot reach 0.05, unreliable; 6 left of
	 * 7 can, and decide; a failed new round is a failure */
	for (k = 0; k < 7; k++) {
		old[k] = 100 * (k % 2 ? 3 : 1) * exp(0.01 * gauss());
		new[k] = old[k] * 1.3;
	}
	new[2] = old[2] * 0.5; /* the drifted pair says "faster": it must not count */
	nm[2] = CT_MARK_DRIFT;
	decide_p("x", old, new, om, nm, 5, &o, &r);
	CHECK(r.verdict == CT_V_UNRELIABLE && strstr(r.note, "drift in 1/5 new rounds"));
	free(r.name);
	decide_p("x", old, new, om, nm, 7, &o, &r);
	CHECK(r.verdict == CT_V_REGRESSION && r.nn == 6 && fabs(r.change - 30) < 1e-9 &&
	      strstr(r.note, "set aside: drift in 1/7 new rounds"));
	free(r.name);
	nm[2] = CT_MARK_STATE; /* the pair's halves in different placements: set aside too */
	decide_p("x", old, new, om, nm, 7, &o, &r);
	CHECK(r.verdict == CT_V_REGRESSION && r.nn == 6 &&
	      strstr(r.note, "round trip differs in 1/7 paired rounds"));
	free(r.name);
	nm[2] = CT_MARK_FAILED;
	new[2] = NAN;
	decide_p("x", old, new, om, nm, 5, &o, &r);
	CHECK(r.verdict == CT_V_FAILED_NEW);
	free(r.name);
	nm[2] = 0;
	new[2] = old[2] * 1.3;

	/* higher is better */
	struct ct_decide_opts oi = opts("items_per_second");
	for (k = 0; k < 5; k++)
		new[k] = old[k] * 0.7;
	decide_p("x", old, new, om, nm, 5, &oi, &r);
	CHECK(r.verdict == CT_V_REGRESSION);
	free(r.name);
}

static const char *doc_text =
    "{\"context\": {\"profile\": \"default\", \"placement\": \"cores\", \"cpu_model\": \"X\","
    " \"topology\": {\"cores\": 2, \"pus\": 2}, \"compiler\": \"GNU 12.2.0\"},"
    " \"benchmarks\": ["
    "{\"name\": \"a\", \"run_name\": \"a\", \"run_type\": \"iteration\", \"real_time\": 1.5,"
    " \"time_unit\": \"us\", \"items_per_second\": 10},"
    "{\"name\": \"a\", \"run_name\": \"a\", \"run_type\": \"iteration\", \"real_time\": 2,"
    " \"time_unit\": \"us\", \"drift\": 1},"
    "{\"name\": \"a_mean\", \"run_name\": \"a\", \"run_type\": \"aggregate\","
    " \"aggregate_name\": \"mean\", \"real_time\": 1.75, \"time_unit\": \"us\"},"
    "{\"name\": \"b_mean\", \"run_name\": \"b\", \"run_type\": \"aggregate\","
    " \"aggregate_name\": \"mean\", \"real_time\": 7, \"time_unit\": \"ms\"},"
    "{\"name\": \"b_median\", \"run_name\": \"b\", \"run_type\": \"aggregate\","
    " \"aggregate_name\": \"median\", \"real_time\": 6, \"time_unit\": \"ms\"},"
    "{\"name\": \"b_cv\", \"run_name\": \"b\", \"run_type\": \"aggregate\","
    " \"aggregate_name\": \"cv\", \"real_time\": null, \"time_unit\": \"ms\"},"
    "{\"name\": \"c\", \"run_name\": \"c\", \"run_type\": \"iteration\","
    " \"error_occurred\": true, \"error_message\": \"crashed (SIGSEGV)\"},"
    "{\"name\": \"d\", \"real_time\": null}"
    "]}";

static void collect(void)
{
	json_error_t je;
	json_t *doc = json_loads(doc_text, 0, &je);
	struct ct_decide_opts o = opts("real_time"), oi = opts("items_per_second");
	struct ct_runset rs;
	const struct ct_series *s;
	char err[256];

	CHECK(doc != NULL);
	CHECK(ct_runset_collect(doc, "t", &o.metric, &rs, err, sizeof(err)) == 0);
	CHECK(rs.n == 4);
	s = ct_runset_find(&rs, "a");
	CHECK(s && s->n == 2 && s->v[0] == 1500 && s->v[1] == 2000 && s->drift == 1 &&
	      !s->aggregates_only);
	s = ct_runset_find(&rs, "b");
	CHECK(s && s->n == 1 && s->v[0] == 6e6 && s->aggregates_only);
	s = ct_runset_find(&rs, "c");
	CHECK(s && s->failed == 1 && s->n == 0 && !strcmp(s->error, "crashed (SIGSEGV)"));
	s = ct_runset_find(&rs, "d");
	CHECK(s && s->missing == 1 && s->n == 0);
	ct_runset_free(&rs);

	CHECK(ct_runset_collect(doc, "t", &oi.metric, &rs, err, sizeof(err)) == 0);
	s = ct_runset_find(&rs, "a");
	CHECK(s && s->n == 1 && s->v[0] == 10 && s->missing == 1);
	ct_runset_free(&rs);

	json_object_set_new(json_array_get(json_object_get(doc, "benchmarks"), 0), "time_unit",
			    json_string("fortnights"));
	CHECK(ct_runset_collect(doc, "t", &o.metric, &rs, err, sizeof(err)) == -1);
	CHECK(strstr(err, "fortnights") != NULL);

	/* drift concerns results on two PUs or more: pus:0 clears it, pus:0,1 keeps it */
	json_t *bs = json_object_get(doc, "benchmarks");
	json_object_set_new(json_array_get(bs, 0), "time_unit", json_string("us"));
	json_object_set_new(json_array_get(bs, 1), "label", json_string("pus:0"));
	CHECK(ct_runset_collect(doc, "t", &o.metric, &rs, err, sizeof(err)) == 0);
	s = ct_runset_find(&rs, "a");
	CHECK(s && s->pus == 1 && s->drift == 0 && s->mark[1] == 0 && !ct_series_multi_pu(s));
	ct_runset_free(&rs);
	json_object_set_new(json_array_get(bs, 1), "label", json_string("pus:0,1; cap:64"));
	CHECK(ct_runset_collect(doc, "t", &o.metric, &rs, err, sizeof(err)) == 0);
	s = ct_runset_find(&rs, "a");
	CHECK(s && s->pus == 2 && s->drift == 1 && s->mark[1] == CT_MARK_DRIFT &&
	      ct_series_multi_pu(s));
	ct_runset_free(&rs);
	json_object_set_new(json_array_get(bs, 1), "label", json_string("pus:0-3,5,5"));
	CHECK(ct_runset_collect(doc, "t", &o.metric, &rs, err, sizeof(err)) == 0);
	s = ct_runset_find(&rs, "a");
	CHECK(s && s->pus == 5);
	ct_runset_free(&rs);

	/* the context checks */
	json_t *c1 = json_object_get(doc, "context"), *c2 = json_deep_copy(c1);
	char note[256] = "";
	CHECK(ct_context_check(c1, c2, err, sizeof(err), note, sizeof(note)) == 0 && !note[0]);
	json_object_set_new(c2, "compiler", json_string("Clang 14"));
	CHECK(ct_context_check(c1, c2, err, sizeof(err), note, sizeof(note)) == 0);
	CHECK(strstr(note, "compiler differs") != NULL);
	json_object_set_new(c2, "placement", json_string("scatter"));
	CHECK(ct_context_check(c1, c2, err, sizeof(err), note, sizeof(note)) == -1);
	CHECK(strstr(err, "placement 'cores', NEW 'scatter'") != NULL);
	json_object_set_new(c2, "placement", json_string("cores"));
	json_object_set_new(c2, "profile", json_string("quick"));
	CHECK(ct_context_check(c1, c2, err, sizeof(err), note, sizeof(note)) == -1);
	json_object_set_new(c2, "profile", json_string("default"));
	json_object_set_new(json_object_get(c2, "topology"), "pus", json_integer(4));
	CHECK(ct_context_check(c1, c2, err, sizeof(err), note, sizeof(note)) == -1);
	CHECK(strstr(err, "different machines") != NULL);

	/* fingerprint: stable, readable, and moved by placement, compiler, topology */
	char f1[128], f2[128], f3[128];
	ct_fingerprint(c1, f1, sizeof(f1), NULL, 0);
	ct_fingerprint(c1, f2, sizeof(f2), NULL, 0);
	CHECK(!strcmp(f1, f2) && !strncmp(f1, "x-cores-", 8) && strlen(f1) == 8 + 12);
	ct_fingerprint(c2, f3, sizeof(f3), NULL, 0);
	CHECK(strcmp(f1, f3) != 0);
	json_decref(c2);
	c2 = json_deep_copy(c1);
	json_object_set_new(c2, "compiler", json_string("Clang 14"));
	ct_fingerprint(c2, f3, sizeof(f3), NULL, 0);
	CHECK(strcmp(f1, f3) != 0);
	json_object_set_new(c2, "compiler", json_string("GNU 12.2.0"));
	json_object_set_new(c2, "git_commit", json_string("abc")); /* not part of it */
	ct_fingerprint(c2, f3, sizeof(f3), NULL, 0);
	CHECK(strcmp(f1, f3) == 0);
	json_decref(c2);
	json_decref(doc);
}

static void metrics(void)
{
	struct ct_metric m;
	char err[256];

	CHECK(ct_metric_resolve("cpu_time", NULL, &m, err, sizeof(err)) == 0 && m.is_time &&
	      !m.higher_better);
	CHECK(ct_metric_resolve("rtt_before_ns", NULL, &m, err, sizeof(err)) == 0 &&
	      !m.higher_better && !m.is_time);
	CHECK(ct_metric_resolve("makespan_us", NULL, &m, err, sizeof(err)) == 0 &&
	      !m.higher_better);
	CHECK(ct_metric_resolve("bytes_per_second", NULL, &m, err, sizeof(err)) == 0 &&
	      m.higher_better);
	CHECK(ct_metric_resolve("max_concurrency", NULL, &m, err, sizeof(err)) == -1);
	CHECK(strstr(err, "--direction") != NULL);
	CHECK(ct_metric_resolve("max_concurrency", "higher", &m, err, sizeof(err)) == 0 &&
	      m.higher_better);
	CHECK(ct_metric_resolve("latency_rtt", "sideways", &m, err, sizeof(err)) == -1);
	CHECK(ct_metric_resolve("drift", NULL, &m, err, sizeof(err)) == -1);
}

/*
 * The false discovery rate over many rows: one row 30 % worse at one-sided p = 0.01 among 89
 * unchanged ones is a regression only without the correction (BH needs p <= 0.05/90 for the
 * smallest); the same row at p = 1/3432 (7 against 7, all apart) survives it; 30 rows at
 * that p are all kept.
 */
static void fdr(void)
{
	struct ct_decide_opts o = opts("real_time");
	struct ct_report rep = {0};

	for (int pass = 0; pass < 3; pass++) {
		double p = pass == 0 ? 0.01 : 1.0 / 3432;
		int nchanged = pass == 2 ? 30 : 1;
		for (int i = 0; i < 90; i++) {
			struct ct_row *r = ct_report_add(&rep);
			memset(r, 0, sizeof(*r));
			r->name = strdup("row");
			r->m = o.metric;
			r->tested = 1;
			r->min_p = 1.0 / 3432;
			r->base = 100;
			int changed = i < nchanged;
			r->new = changed ? 130 : 100;
			r->change = changed ? 30 : 0;
			r->p_worse = changed ? p : 0.5;
			r->p_better = changed ? 1 - p : 0.5;
			r->verdict = changed ? CT_V_NOISE : CT_V_UNCHANGED;
		}
		ct_report_finalize(&rep, &o);
		int reg = 0;
		for (size_t i = 0; i < rep.n; i++)
			reg += rep.rows[i].verdict == CT_V_REGRESSION;
		if (pass == 0)
			CHECK(reg == 0 && rep.rows[0].verdict == CT_V_NOISE && rep.rows[0].q > 0.05,
			      "p 0.01 among 90 rows: q %g, %d regressed", rep.rows[0].q, reg);
		else
			CHECK(reg == nchanged && rep.rows[0].q <= 0.05,
			      "%d rows at p 1/3432 among 90: %d regressed", nchanged, reg);
		ct_report_free(&rep);
	}
}

int main(void)
{
	fdr();
	independent_samples();
	marks_and_failures();
	paired();
	collect();
	metrics();
	if (ct_check_failures) {
		fprintf(stderr, "test_decide: %d failure(s)\n", ct_check_failures);
		return 1;
	}
	printf("test_decide: ok\n");
	return 0;
}
