/*
 * report_figures.c - the numbers of the report: a results entry's value in the chart's
 * metric (times in ns), a point's figure (the median aggregate, else the median of its
 * repetitions) and spread, its counters and marks (drift, oversubscription, disturbance),
 * what a chart is compared by (its metric and direction), and how figures are shown.
 */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resultsio.h"

/* ---- values ------------------------------------------------------------------------- */

static double unit_ns(const json_t *e)
{
	const char *u = ct_json_string(e, "time_unit");

	if (!u || !strcmp(u, "ns"))
		return 1;
	if (!strcmp(u, "us"))
		return 1e3;
	if (!strcmp(u, "ms"))
		return 1e6;
	if (!strcmp(u, "s"))
		return 1e9;
	return NAN;
}

static double num(const json_t *e, const char *key)
{
	double v;

	if (ct_json_number(e, key, &v) != 0 || !isfinite(v))
		return NAN;
	return v;
}

/* A count from the file: 0 when absent, not finite or out of range (a file is not trusted
 * to hold a representable integer). */
long rp_entry_count(const json_t *e, const char *key)
{
	double v = num(e, key);

	return isfinite(v) && v >= 0 && v <= 1e9 ? (long)v : 0;
}

double rp_metric_value(const struct rp_chart *c, const json_t *e)
{
	if (!strcmp(c->mkey, "real_time"))
		return num(e, "real_time") * unit_ns(e);
	return num(e, c->mkey) * (c->metric == RP_M_TIME ? c->mscale : 1);
}

const char *rp_metric_key(const struct rp_chart *c)
{
	return c->mkey;
}

int rp_better(const struct rp_chart *c, double a, double b)
{
	return c->higher ? a > b : a < b;
}

double rp_ratio(const struct rp_chart *c, double best, double other)
{
	return c->higher ? best / other : other / best;
}

int rp_entry_is_aggregate(const json_t *e)
{
	const char *t = ct_json_string(e, "run_type");
	return t && !strcmp(t, "aggregate");
}

static int is_agg(const json_t *e, const char *which)
{
	const char *a = ct_json_string(e, "aggregate_name");
	return rp_entry_is_aggregate(e) && a && !strcmp(a, which);
}

static int is_error(const json_t *e)
{
	return json_is_true(json_object_get(e, "error_occurred"));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

typedef double (*value_fn)(const json_t *e, const void *arg);

static double metric_fn(const json_t *e, const void *arg)
{
	return rp_metric_value((const struct rp_chart *)arg, e);
}

static double counter_fn(const json_t *e, const void *arg)
{
	return num(e, (const char *)arg);
}

/* f on the undisturbed repetitions only (NAN on the rest and on aggregates) */
struct clean_arg {
	value_fn f;
	const void *arg;
};
static double clean_fn(const json_t *e, const void *arg)
{
	const struct clean_arg *a = arg;
	if (rp_entry_is_aggregate(e) || num(e, "disturbed") >= 0.5)
		return NAN;
	return a->f(e, a->arg);
}

/* The median aggregate if present, else the median of the repetitions. */
static struct rp_stat point_stat(const struct rp_point *p, value_fn f, const void *arg, int agg_sd)
{
	struct rp_stat s = {NAN, NAN, 0, 0};
	double *vals = rp_xrealloc(NULL, (p->nent + 1) * sizeof(double));
	size_t n = 0;
	double med = NAN, sd = NAN;
	int agg_reps = 0;

	for (size_t i = 0; i < p->nent; i++) {
		const json_t *e = p->ent[i];
		double v = f(e, arg);
		if (is_agg(e, "median")) {
			med = v;
			agg_reps = (int)rp_entry_count(e, "repetitions");
		} else if (is_agg(e, "stddev")) {
			sd = v;
		} else if (!rp_entry_is_aggregate(e) && !is_error(e) && isfinite(v)) {
			vals[n++] = v;
		}
	}
	qsort(vals, n, sizeof(double), cmp_double);
	if (isfinite(med)) {
		s.v = med;
		s.n = n ? (int)n : (agg_reps > 0 ? agg_reps : 1);
	} else if (n) {
		s.v = n % 2 ? vals[n / 2] : (vals[n / 2 - 1] + vals[n / 2]) / 2;
		s.n = (int)n;
	}
	if (agg_sd && isfinite(sd) && isfinite(s.v)) {
		s.sd = sd;
		s.sd_from_agg = 1;
	} else if (n >= 2) {
		double mean = 0, ss = 0;
		for (size_t i = 0; i < n; i++)
			mean += vals[i];
		mean /= (double)n;
		for (size_t i = 0; i < n; i++)
			ss += (vals[i] - mean) * (vals[i] - mean);
		s.sd = sqrt(ss / (double)(n - 1));
	}
	free(vals);
	return s;
}

struct rp_stat rp_point_counter(const struct rp_point *p, const char *key)
{
	return point_stat(p, counter_fn, key, 0);
}

/* A 0/1 flag: set if any repetition (or, without repetitions, an aggregate) has it. */
static int point_flag(const struct rp_point *p, const char *key)
{
	int have_iter = 0, set = 0, agg_set = 0;

	for (size_t i = 0; i < p->nent; i++) {
		double v = num(p->ent[i], key);
		if (rp_entry_is_aggregate(p->ent[i])) {
			if (!is_agg(p->ent[i], "stddev") && !is_agg(p->ent[i], "cv") && v > 0)
				agg_set = 1;
		} else {
			have_iter = 1;
			if (v >= 0.5)
				set = 1;
		}
	}
	return have_iter ? set : agg_set;
}

/* ---- a chart's metric, a point's figures ------------------------------------------- */

static int any_entry_has(const struct rp_report *r, const struct rp_chart *c, const char *key)
{
	for (size_t i = 0; i < c->npts; i++) {
		const struct rp_point *p = &r->pts[c->pts[i]];
		for (size_t k = 0; k < p->nent; k++)
			if (isfinite(num(p->ent[k], key)))
				return 1;
	}
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && !strcmp(s + n - k, suffix);
}

/*
 * What a chart is compared by: its view's metric and direction where the results have it;
 * otherwise items_per_second where reported, else the time per iteration. A counter is a
 * time when its key says its unit (_ns, _us, _ms, _s).
 */
void rp_choose_metric(const struct rp_report *r, struct rp_chart *c)
{
	const char *m = rp_view_str(c->view, "metric");
	const char *dir = rp_view_str(c->view, "direction");

	c->mlabel = rp_view_str(c->view, "metric_label");
	c->mscale = 1;
	if (!m || !any_entry_has(r, c, m)) {
		m = any_entry_has(r, c, "items_per_second") ? "items_per_second" : "real_time";
		c->mlabel = NULL;
		dir = NULL;
	}
	c->mkey = m;
	if (!strcmp(m, "items_per_second"))
		c->metric = RP_M_ITEMS;
	else if (!strcmp(m, "real_time") || !strcmp(m, "cpu_time") || ends_with(m, "_ns"))
		c->metric = RP_M_TIME;
	else if (ends_with(m, "_us"))
		c->metric = RP_M_TIME, c->mscale = 1e3;
	else if (ends_with(m, "_ms"))
		c->metric = RP_M_TIME, c->mscale = 1e6;
	else if (ends_with(m, "_s"))
		c->metric = RP_M_TIME, c->mscale = 1e9;
	else
		c->metric = RP_M_PLAIN;
	if (dir)
		c->higher = !strcmp(dir, "higher_is_better");
	else
		c->higher = c->metric == RP_M_ITEMS;
}

/* A point's figure and spread, its counters and marks (rp_build, once its chart has its
 * metric). */
void rp_point_figures(struct rp_report *r, struct rp_point *p)
{
	static const struct rp_chart plain = {.metric = RP_M_TIME, .mkey = "real_time"};
	const struct rp_chart *pc = p->chart >= 0 ? &r->charts[p->chart] : &plain;
	int ok = 0;
	for (size_t k = 0; k < p->nent; k++) {
		if (is_error(p->ent[k])) {
			if (!p->error)
				p->error = ct_json_string(p->ent[k], "error_message");
		} else {
			ok = 1;
		}
	}
	p->failed = !ok;
	p->fig = point_stat(p, metric_fn, pc,
			    strcmp(pc->mkey, "items_per_second") == 0 ||
				strcmp(pc->mkey, "real_time") == 0);
	p->rtt_before = rp_point_counter(p, "rtt_before_ns").v;
	p->rtt_after = rp_point_counter(p, "rtt_after_ns").v;
	p->disturbed_pct = rp_point_counter(p, "disturbed_pct").v;
	p->handoff_rtt = rp_point_counter(p, "handoff_rtt").v;
	p->latency_rtt = rp_point_counter(p, "latency_rtt").v;
	p->fair_maxmin = rp_point_counter(p, "fair_maxmin").v;
	p->fair_cv = rp_point_counter(p, "fair_cv").v;
	p->cpu_ns_per_op = rp_point_counter(p, "cpu_ns_per_op").v;
	p->max_concurrency = rp_point_counter(p, "max_concurrency").v;
	p->drift = point_flag(p, "drift");
	p->drift_before = p->rtt_before;
	p->drift_after = p->rtt_after;
	for (size_t k = 0; k < p->nent; k++) {
		const json_t *e = p->ent[k];
		if (rp_entry_is_aggregate(e) || is_error(e))
			continue;
		p->nreps++;
		if (num(e, "drift") >= 0.5 && !p->ndrift++) {
			p->drift_before = num(e, "rtt_before_ns");
			p->drift_after = num(e, "rtt_after_ns");
		}
		/* the median share of a point with one disturbed repetition in seven is 0 %:
		 * the mark quotes the disturbed ones */
		double dp = num(e, "disturbed_pct");
		if (num(e, "disturbed") >= 0.5 && (!p->ndisturbed++ || dp > p->disturbed_pct))
			p->disturbed_pct = dp;
	}
	if (p->limit && p->ndisturbed) {
		p->limit_clean = p->nreps - p->ndisturbed;
		p->limit_void = !p->limit_clean;
		if (p->limit_clean) {
			struct clean_arg a = {metric_fn, pc};
			p->fig = point_stat(p, clean_fn, &a, 0);
		}
	}
	p->oversub = point_flag(p, "oversubscribed");
	p->disturbed = point_flag(p, "disturbed");
	p->permits = NAN;
	if (p->params) {
		/* a permits:K parameter bounds the max_concurrency counter */
		const char *k = ct_json_string(p->params, "permits");
		char *end;
		double v = k ? strtod(k, &end) : NAN;
		if (k && end != k && !*end)
			p->permits = v;
	}
	if (p->chart >= 0 && p->fig.n > r->charts[p->chart].maxreps)
		r->charts[p->chart].maxreps = p->fig.n;
}

/* ---- presentation helpers ----------------------------------------------------------- */

const char *rp_metric_axis(const struct rp_chart *c)
{
	if (c->mlabel)
		return c->mlabel;
	switch (c->metric) {
	case RP_M_ITEMS:
		return "items per second";
	case RP_M_TIME:
		return !strcmp(c->mkey, "real_time") ? "time per iteration" : c->mkey;
	case RP_M_PLAIN:
		break;
	}
	return c->mkey;
}

void rp_fmt_metric(char *out, size_t n, enum rp_metric m, double v)
{
	if (!isfinite(v)) {
		snprintf(out, n, "—");
		return;
	}
	switch (m) {
	case RP_M_ITEMS: {
		char t[64];
		rp_fmt_si(t, sizeof(t), v);
		snprintf(out, n, "%s/s", t);
		/* "3.1 /s" reads badly: no space without a prefix */
		char *sp = strstr(out, " /s");
		if (sp)
			memmove(sp, sp + 1, strlen(sp + 1) + 1);
		return;
	}
	case RP_M_TIME:
		rp_fmt_time_ns(out, n, v);
		return;
	case RP_M_PLAIN:
		rp_fmt_num(out, n, v);
		return;
	}
}

double rp_point_rtt_units(const struct rp_report *r, const struct rp_point *p, const char **what)
{
	enum rp_metric m = p->chart >= 0 ? r->charts[p->chart].metric : RP_M_TIME;
	double perop;

	*what = "";
	if (isfinite(p->handoff_rtt)) {
		*what = "per handoff";
		return p->handoff_rtt;
	}
	if (isfinite(p->latency_rtt)) {
		*what = "per round trip";
		return p->latency_rtt;
	}
	if (!(p->rtt_before > 0) || !isfinite(p->fig.v) || p->fig.v <= 0)
		return NAN;
	/* per operation of two or more threads, or of a workload's own threads, where the
	 * figure is Google Benchmark's own (a family's counter has its own meaning) */
	if (!(p->threads >= 2 ||
	      (json_is_true(json_object_get(p->view, "own_threads")) && p->chart >= 0 &&
	       (!strcmp(r->charts[p->chart].mkey, "items_per_second") ||
		!strcmp(r->charts[p->chart].mkey, "real_time")))))
		return NAN;
	if (m == RP_M_TIME)
		perop = p->fig.v;
	else if (m == RP_M_ITEMS)
		perop = 1e9 / p->fig.v;
	else
		return NAN;
	*what = "per op";
	return perop / p->rtt_before;
}
