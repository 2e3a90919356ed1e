/*
 * report_model.c - from results files to points and charts.
 *
 * A point is one benchmark of one run: every entry Google Benchmark wrote for it (the
 * repetitions and the aggregates), its name taken apart, and its figure. Its figure is the
 * median aggregate where there is one, else the median of its repetitions; the spread is
 * the stddev aggregate, else the sample standard deviation of the repetitions; `null`
 * (contend's NaN) is a missing value everywhere.
 *
 * Names are taken apart per family (issues 3-6): the strategy token becomes the series,
 * the rest of the name (less Google Benchmark's /real_time and /threads:N) the workload,
 * and one parameter the x axis (threads for locks, capacity for channels, permits for
 * fan-out). A chart is one workload: every strategy over every x value. An unknown family
 * goes to the "other" table.
 */
#include "report.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resultsio.h"

/* ---- loading ------------------------------------------------------------------------ */

static char *dir_of_run(const char *arg, const char *path)
{
	/* ct_results_path appends "/results.json" to a directory argument. */
	if (strcmp(arg, path) != 0) {
		size_t n = strlen(arg);
		while (n > 1 && arg[n - 1] == '/')
			n--;
		return rp_fmt("%.*s", (int)n, arg);
	}
	const char *slash = strrchr(path, '/');
	if (!slash)
		return rp_strdup(".");
	if (slash == path)
		return rp_strdup("/");
	return rp_fmt("%.*s", (int)(slash - path), path);
}

int rp_load(struct rp_report *r, int nruns, char **runs, char *err, size_t errlen)
{
	char path[PATH_MAX];

	r->runs = rp_xrealloc(NULL, (size_t)nruns * sizeof(*r->runs));
	memset(r->runs, 0, (size_t)nruns * sizeof(*r->runs));
	for (int i = 0; i < nruns; i++) {
		struct rp_run *u = &r->runs[i];
		u->arg = runs[i];
		u->root = ct_results_load(runs[i], err, errlen);
		r->nruns = (size_t)i + (u->root != NULL);
		if (!u->root)
			return -1;
		if (ct_results_path(runs[i], path, sizeof(path), err, errlen) != 0)
			return -1;
		u->ctx = json_object_get(u->root, "context");
		u->benches = json_object_get(u->root, "benchmarks");
		if (json_array_size(u->benches) == 0) {
			snprintf(err, errlen, "%s: no benchmarks in this run: nothing to report",
				 path);
			return -1;
		}
		u->dir = dir_of_run(runs[i], path);
		const char *host = ct_json_string(u->ctx, "host_name");
		const char *pl = ct_json_string(u->ctx, "placement");
		u->label = rp_fmt("%s/%s", host ? host : "host?", pl ? pl : "placement?");
	}
	/* Several runs of one host and placement: number them. */
	for (size_t i = 0; i < r->nruns; i++) {
		int dup = 0;
		for (size_t j = 0; j < r->nruns; j++)
			if (j != i && !strcmp(r->runs[i].label, r->runs[j].label))
				dup = 1;
		if (dup) {
			char *l = rp_fmt("%s #%zu", r->runs[i].label, i + 1);
			free(r->runs[i].label);
			r->runs[i].label = l;
		}
	}
	return 0;
}

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
static long count(const json_t *e, const char *key)
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

int rp_better(enum rp_metric m, double a, double b)
{
	return m == RP_M_ITEMS ? a > b : a < b;
}

static int is_aggregate(const json_t *e)
{
	const char *t = ct_json_string(e, "run_type");
	return t && !strcmp(t, "aggregate");
}

static int is_agg(const json_t *e, const char *which)
{
	const char *a = ct_json_string(e, "aggregate_name");
	return is_aggregate(e) && a && !strcmp(a, which);
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
			agg_reps = (int)count(e, "repetitions");
		} else if (is_agg(e, "stddev")) {
			sd = v;
		} else if (!is_aggregate(e) && !is_error(e) && isfinite(v)) {
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
		if (is_aggregate(p->ent[i])) {
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

/* ---- names -------------------------------------------------------------------------- */

struct seg {
	char *raw, *key, *val; /* "cap:64": key "cap", val "64"; "mutex": key NULL */
};

static void seg_free(struct seg *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].raw);
		free(s[i].key);
		free(s[i].val);
	}
	free(s);
}

/* Split a name at '/', dropping what Google Benchmark appends (/real_time, /threads:N,
 * /iterations:N, /repeats:N, /min_time:T...). */
static size_t split_name(const char *name, struct seg **out, long *threads)
{
	struct seg *s = NULL;
	size_t n = 0, cap = 0;
	const char *p = name;

	*threads = -1;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char *raw = rp_fmt("%.*s", (int)len, p);
		char *colon = strchr(raw, ':');
		struct seg g = {raw, NULL, NULL};

		if (colon) {
			g.key = rp_fmt("%.*s", (int)(colon - raw), raw);
			g.val = rp_strdup(colon + 1);
		} else {
			g.val = rp_strdup(raw);
		}
		p += len + (e ? 1 : 0);
		if (!strcmp(raw, "real_time") || !strcmp(raw, "manual_time") ||
		    !strcmp(raw, "process_time") ||
		    (g.key && (!strcmp(g.key, "iterations") || !strcmp(g.key, "repeats") ||
			       !strcmp(g.key, "min_time") || !strcmp(g.key, "min_warmup_time")))) {
			free(raw);
			free(g.key);
			free(g.val);
			continue;
		}
		if (g.key && !strcmp(g.key, "threads") && !*p) {
			*threads = atol(g.val);
			free(raw);
			free(g.key);
			free(g.val);
			continue;
		}
		RP_PUSH(s, n, cap, g);
	}
	*out = s;
	return n;
}

static const struct {
	const char *prefix;
	enum rp_fam fam;
	const char *title;
} families[] = {
    {"lock_", RP_LOCK, "Locks"},
    {"atomic_", RP_ATOMIC, "Atomics"},
    {"atomic_litmus", RP_LITMUS, "Litmus tests"},
    {"chan_", RP_CHAN, "Channels"},
    {"sem_", RP_SEM, "Semaphores"},
    {"fanout_", RP_FANOUT, "Fan-out"},
    {"forkjoin", RP_FORKJOIN, "Fork-join"},
    {"wake_", RP_WAKE, "Wake-up latency"},
    {"anti_", RP_ANTI, "Anti-patterns"},
    {"harness_", RP_HARNESS, "Harness"},
};

const char *rp_fam_title(enum rp_fam f)
{
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (families[i].fam == f)
			return families[i].title;
	return "Other results";
}

static enum rp_fam family_of(const char *seg0)
{
	if (!strcmp(seg0, "atomic_litmus"))
		return RP_LITMUS;
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		if (families[i].fam == RP_LITMUS)
			continue;
		if (!strncmp(seg0, families[i].prefix, strlen(families[i].prefix)))
			return families[i].fam;
	}
	return RP_OTHER;
}

static const char *pretty_workload(const char *w)
{
	static const char *const map[][2] = {
	    {"lock_counter", "shared counter"},
	    {"lock_readmostly", "read-mostly snapshot"},
	    {"lock_cs", "critical section"},
	    {"chan", "channel throughput"},
	    {"chan_rtt", "channel round trip"},
	    {"chan_select", "select over two channels"},
	    {"chan_growth", "unbounded growth"},
	    {"fanout_sem", "semaphore-limited fan-out"},
	    {"wake", "wake-up round trip"},
	    {"sem", "semaphore"},
	    {"forkjoin", "fork-join"},
	    {"harness", "harness overhead"},
	    {"atomic", "atomic operations"},
	    {"atomic_mp", "message passing round trip"},
	    {"anti_lock_across_wait", "lock held across a blocking wait"},
	    {"anti_blocking_in_loop", "blocking call inside an event loop"},
	    {"anti_spin_oversub", "spinning with more threads than PUs"},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(w, map[i][0]))
			return map[i][1];
	return w;
}

static const char *find_param(struct seg *const *pp, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (pp[i]->key && !strcmp(pp[i]->key, key))
			return pp[i]->val;
	return NULL;
}

/* Parameters in words: "SPSC (p:1 c:1), capacity 64, 8-byte messages". */
static void pretty_params(struct rp_buf *b, struct seg *const *pp, size_t n, const char *skip)
{
	const char *P = find_param(pp, n, "p"), *C = find_param(pp, n, "c");

	if (P && C) {
		int many_p = strcmp(P, "1") != 0, many_c = strcmp(C, "1") != 0;
		rp_addf(b, ", %s%s (p:%s c:%s)", many_p ? "MP" : "SP", many_c ? "MC" : "SC", P, C);
	}
	for (size_t i = 0; i < n; i++) {
		const struct seg *s = pp[i];
		if (skip && s->key && !strcmp(s->key, skip))
			continue;
		if (!s->key) {
			static const char *const bare[][2] = {
			    {"shared", "shared line"},
			    {"private", "private line"},
			    {"false_sharing", "false sharing"},
			    {"padded", "padded neighbours"},
			    {"blocking", "blocking jobs"},
			    {"cpu", "CPU-bound jobs"},
			    {"sleep", "sleeping (blocking) jobs"},
			    {"acq_rel", "acquire+release"},
			};
			const char *t = s->val;
			for (size_t k = 0; k < sizeof(bare) / sizeof(bare[0]); k++)
				if (!strcmp(t, bare[k][0]))
					t = bare[k][1];
			rp_addf(b, ", %s", t);
		} else if (!strcmp(s->key, "p") || !strcmp(s->key, "c")) {
			if (!(P && C))
				rp_addf(b, ", %s:%s", s->key, s->val);
		} else if (!strcmp(s->key, "read")) {
			rp_addf(b, ", %s %% reads", s->val);
		} else if (!strcmp(s->key, "cap")) {
			rp_addf(b, ", capacity %s", s->val);
		} else if (!strcmp(s->key, "msg")) {
			rp_addf(b, ", %s-byte messages", s->val);
		} else if (!strcmp(s->key, "jobs")) {
			rp_addf(b, ", %s jobs", s->val);
		} else if (!strcmp(s->key, "permits")) {
			rp_addf(b, ", %s permit%s", s->val,
				s->val && strcmp(s->val, "1") != 0 ? "s" : "");
		} else if (!strcmp(s->key, "work_us")) {
			rp_addf(b, ", %s µs of work", s->val);
		} else if (!strcmp(s->key, "block_us")) {
			rp_addf(b, ", %s µs blocking call", s->val);
		} else if (!strcmp(s->key, "every")) {
			rp_addf(b, ", every %s events", s->val);
		} else if (!strcmp(s->key, "wait_us")) {
			rp_addf(b, ", %s µs wait", s->val);
		} else if (!strcmp(s->key, "threads_per_pu")) {
			rp_addf(b, ", %s threads per PU", s->val);
		} else if (!strcmp(s->key, "workers")) {
			rp_addf(b, ", %s worker%s", s->val,
				s->val && strcmp(s->val, "1") != 0 ? "s" : "");
		} else if (!strcmp(s->key, "elems")) {
			rp_addf(b, ", %s elements", s->val);
		} else {
			rp_addf(b, ", %s %s", s->key, s->val);
		}
	}
}

static const char *x_display(const char *xkey)
{
	if (!strcmp(xkey, "cap"))
		return "capacity (messages)";
	return xkey;
}

/* Take a point's name apart: family, series, workload, parameters, x. */
static void parse_point(struct rp_point *p)
{
	struct seg *s;
	long tseg;
	size_t n = split_name(p->name, &s, &tseg);
	struct seg **pp = rp_xrealloc(NULL, (n + 1) * sizeof(struct seg *));
	size_t np = 0, first = 1;
	const char *workload = "", *xkey = "threads";
	struct rp_buf series = {0}, b = {0};

	if (p->threads < 1)
		p->threads = tseg > 0 ? tseg : 1;
	p->fam = n ? family_of(s[0].raw) : RP_OTHER;
	p->chart = -1;
	if (p->fam == RP_OTHER) {
		p->series = rp_strdup(p->name);
		goto out;
	}
	const char *s0 = s[0].raw;
	int bare1 = n >= 2 && !s[1].key;
	switch (p->fam) {
	case RP_LOCK:
	case RP_ANTI:
		if (bare1) {
			workload = s0;
			rp_add(&series, s[1].raw);
			first = 2;
		} else {
			workload = p->fam == RP_LOCK ? "lock" : "anti";
			rp_add(&series, s0 + strlen(p->fam == RP_LOCK ? "lock_" : "anti_"));
		}
		break;
	case RP_ATOMIC:
		if (bare1 && n >= 3 && !s[2].key) {
			/* atomic_<op>/<ordering>/<sharing>: bars per ordering, clustered by
			 * operation, a chart per sharing mode */
			workload = "atomic";
			p->cat = rp_strdup(s0 + strlen("atomic_"));
			xkey = NULL;
		} else {
			/* atomic_mp/<ordering pair>, ...: a chart of its own */
			workload = s0;
		}
		if (bare1) {
			rp_add(&series, s[1].raw);
			first = 2;
		} else {
			rp_add(&series, s0 + strlen("atomic_"));
		}
		break;
	case RP_LITMUS:
		workload = "litmus";
		p->cat = rp_strdup(n >= 2 ? s[1].raw : "?");
		rp_add(&series, n >= 3 ? s[2].raw : "?");
		first = n >= 3 ? 3 : n;
		xkey = NULL;
		break;
	case RP_CHAN:
		if (bare1) {
			workload = s0;
			rp_add(&series, s[1].raw);
			first = 2;
		} else {
			workload = "chan";
			rp_add(&series, s0 + strlen("chan_"));
		}
		xkey = "cap";
		break;
	case RP_FANOUT:
		workload = s0;
		xkey = "permits";
		if (bare1 && n >= 3 && !s[2].key && !strcmp(s0, "fanout_sem")) {
			rp_addf(&series, "%s/%s", s[1].raw, s[2].raw);
			first = 3;
		} else if (bare1) {
			rp_add(&series, s[1].raw);
			first = 2;
		} else {
			workload = "fanout";
			rp_add(&series, s0 + strlen("fanout_"));
		}
		break;
	case RP_FORKJOIN:
		xkey = "workers";
		if (bare1) {
			workload = s0;
			rp_add(&series, s[1].raw);
			first = 2;
		} else {
			workload = "forkjoin";
			rp_add(&series, s0[8] == '_' ? s0 + 9 : s0);
		}
		break;
	case RP_SEM:
		workload = "sem";
		rp_add(&series, s0 + strlen("sem_"));
		break;
	case RP_WAKE:
		workload = "wake";
		rp_add(&series, s0 + strlen("wake_"));
		break;
	case RP_HARNESS:
		workload = "harness";
		rp_add(&series, s0 + strlen("harness_"));
		break;
	default:
		break;
	}
	for (size_t i = first; i < n; i++) {
		/* A channel's blocking policy is part of the strategy. */
		if (p->fam == RP_CHAN && s[i].key && !strcmp(s[i].key, "block")) {
			rp_addf(&series, "/%s", s[i].val);
			continue;
		}
		pp[np++] = &s[i];
	}
	p->series = rp_strdup(rp_str(&series));

	/* x */
	const char *xval = NULL;
	if (xkey && !strcmp(xkey, "threads")) {
		p->xtext = rp_fmt("%ld", p->threads);
		p->x = (double)p->threads;
	} else if (xkey && !find_param(pp, np, xkey) && p->fam == RP_FORKJOIN) {
		xkey = "threads"; /* no workers:N: the threads are the workers */
		p->xtext = rp_fmt("%ld", p->threads);
		p->x = (double)p->threads;
	} else if (xkey && (xval = find_param(pp, np, xkey))) {
		char *end;
		p->xtext = rp_strdup(xval);
		p->x = strtod(xval, &end);
		if (end == xval || *end)
			p->x =
			    (!strcmp(xval, "unbounded") || !strcmp(xval, "inf")) ? INFINITY : NAN;
	} else {
		p->x = NAN;
		xkey = NULL;
	}
	p->xname = rp_strdup(xkey ? x_display(xkey) : "");
	int x_is_threads = xkey && !strcmp(xkey, "threads");
	/* families that start threads of their own: Google Benchmark's one thread says
	 * nothing */
	int say_threads = !(p->threads == 1 &&
			    (p->fam == RP_CHAN || p->fam == RP_FANOUT || p->fam == RP_FORKJOIN ||
			     p->fam == RP_WAKE || p->fam == RP_LITMUS));
	/* the workload as named in the benchmarks */
	char *raw = strchr(workload, '_') ? rp_strdup(workload) : rp_fmt("%s_*", workload);

	/* chart key: the workload and every parameter but x; threads unless it is x */
	rp_add(&b, workload);
	for (size_t i = 0; i < np; i++)
		if (!(xkey && pp[i]->key && !strcmp(pp[i]->key, xkey)))
			rp_addf(&b, "/%s", pp[i]->raw);
	if (!x_is_threads)
		rp_addf(&b, "/threads:%ld", p->threads);
	p->ckey = rp_strdup(rp_str(&b));

	/* chart title */
	b.len = 0;
	rp_add(&b, pretty_workload(workload));
	if (strcmp(pretty_workload(workload), raw) != 0)
		rp_addf(&b, " (%s)", raw);
	if (p->fam == RP_LITMUS)
		rp_addf(&b, " %s", p->cat);
	pretty_params(&b, pp, np, xkey);
	if (!x_is_threads && say_threads)
		rp_addf(&b, ", %ld thread%s", p->threads, p->threads == 1 ? "" : "s");
	p->title = rp_strdup(rp_str(&b));

	/* this point in words */
	b.len = 0;
	if (p->fam == RP_ATOMIC && p->cat)
		rp_add(&b, p->cat);
	else
		rp_add(&b, pretty_workload(workload));
	pretty_params(&b, pp, np, NULL);
	if (say_threads)
		rp_addf(&b, ", %ld thread%s", p->threads, p->threads == 1 ? "" : "s");
	p->desc = rp_strdup(rp_str(&b));
	free(raw);
out:
	if (!p->xname)
		p->xname = rp_strdup("");
	if (!p->title)
		p->title = rp_strdup(p->name);
	if (!p->desc)
		p->desc = rp_strdup(p->name);
	if (!p->ckey)
		p->ckey = rp_strdup(p->name);
	if (!p->series)
		p->series = rp_strdup(p->name);
	if (isnan(p->x) && !p->xtext)
		p->x = NAN;
	rp_buf_free(&series);
	rp_buf_free(&b);
	free(pp);
	seg_free(s, n);
}

/* ---- building ----------------------------------------------------------------------- */

static char *run_name_of(const json_t *e)
{
	const char *rn = ct_json_string(e, "run_name"), *name = ct_json_string(e, "name");
	const char *agg = ct_json_string(e, "aggregate_name");

	if (rn)
		return rp_strdup(rn);
	if (is_aggregate(e) && agg) {
		size_t n = strlen(name), k = strlen(agg);
		if (n > k + 1 && name[n - k - 1] == '_' && !strcmp(name + n - k, agg))
			return rp_fmt("%.*s", (int)(n - k - 1), name);
	}
	return rp_strdup(name);
}

static int chart_for(struct rp_report *r, const struct rp_point *p)
{
	for (size_t i = 0; i < r->ncharts; i++)
		if (r->charts[i].fam == p->fam && !strcmp(r->charts[i].key, p->ckey))
			return (int)i;
	struct rp_chart c = {0};
	c.fam = p->fam;
	c.key = rp_strdup(p->ckey);
	c.title = rp_strdup(p->title);
	c.xname = rp_strdup(p->xname);
	RP_PUSH(r->charts, r->ncharts, r->capcharts, c);
	return (int)r->ncharts - 1;
}

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

/*
 * What each workload is compared by: the metric its family's header comment names (issues
 * 3-6), where the results have it; otherwise items_per_second where reported, else the
 * time per iteration.
 */
static const struct {
	const char *prefix; /* of the benchmark name */
	const char *key;
	enum rp_metric m;
	double ns; /* ns per unit, for a time counter */
} metric_rules[] = {
    {"fanout_sem/", "makespan_us", RP_M_TIME, 1e3},
    {"anti_blocking_in_loop/", "event_latency_us", RP_M_TIME, 1e3},
    {"atomic_mp/", "rtt_ns", RP_M_TIME, 1},
    {"atomic_", "real_time", RP_M_TIME, 1},
    {"sem_", "real_time", RP_M_TIME, 1},
    {"wake_", "real_time", RP_M_TIME, 1},
    {"forkjoin", "real_time", RP_M_TIME, 1},
    {"chan_rtt/", "real_time", RP_M_TIME, 1},
};

static void choose_metric(const struct rp_report *r, struct rp_chart *c)
{
	const char *name = r->pts[c->pts[0]].name;

	for (size_t i = 0; i < sizeof(metric_rules) / sizeof(metric_rules[0]); i++) {
		if (strncmp(name, metric_rules[i].prefix, strlen(metric_rules[i].prefix)) != 0)
			continue;
		if (!any_entry_has(r, c, metric_rules[i].key))
			continue;
		c->mkey = metric_rules[i].key;
		c->metric = metric_rules[i].m;
		c->mscale = metric_rules[i].ns;
		return;
	}
	c->metric = any_entry_has(r, c, "items_per_second") ? RP_M_ITEMS : RP_M_TIME;
	c->mkey = c->metric == RP_M_ITEMS ? "items_per_second" : "real_time";
	c->mscale = 1;
}

void rp_build(struct rp_report *r)
{
	/* points: one per run and run_name, in the order of the results */
	for (size_t u = 0; u < r->nruns; u++) {
		size_t i, last = (size_t)-1;
		json_t *e;
		json_array_foreach (r->runs[u].benches, i, e) {
			char *rn = run_name_of(e);
			size_t k = (size_t)-1;
			if (last != (size_t)-1 && !strcmp(r->pts[last].name, rn))
				k = last;
			for (size_t j = 0; k == (size_t)-1 && j < r->npts; j++)
				if (r->pts[j].run == (int)u && !strcmp(r->pts[j].name, rn))
					k = j;
			if (k == (size_t)-1) {
				struct rp_point p = {0};
				p.run = (int)u;
				p.name = rn;
				p.threads = count(e, "threads");
				RP_PUSH(r->pts, r->npts, r->cappts, p);
				k = r->npts - 1;
			} else {
				free(rn);
			}
			struct rp_point *p = &r->pts[k];
			/* an array of pointers to entries, as meant */
			// NOLINTNEXTLINE(bugprone-sizeof-expression)
			RP_PUSH(p->ent, p->nent, p->capent, e);
			last = k;
		}
	}
	for (size_t i = 0; i < r->npts; i++) {
		struct rp_point *p = &r->pts[i];
		parse_point(p);
		if (p->fam == RP_OTHER)
			r->nother++;
		else
			r->nknown++;
		p->label = r->nruns > 1 ? rp_fmt("%s · %s", p->series, r->runs[p->run].label)
					: rp_strdup(p->series);
		if (p->fam != RP_OTHER && p->fam != RP_LITMUS) {
			p->chart = chart_for(r, p);
			struct rp_chart *c = &r->charts[p->chart];
			RP_PUSH(c->pts, c->npts, c->cappts, i);
		}
	}
	/* charts: kind, metric, x positions */
	for (size_t ci = 0; ci < r->ncharts; ci++) {
		struct rp_chart *c = &r->charts[ci];
		int nx = 0, nonfinite = 0;
		for (size_t i = 0; i < c->npts; i++) {
			struct rp_point *p = &r->pts[c->pts[i]];
			int seen = 0;
			if (!p->xtext)
				continue;
			for (size_t j = 0; j < i && !seen; j++) {
				struct rp_point *q = &r->pts[c->pts[j]];
				seen = q->xtext && !strcmp(q->xtext, p->xtext);
			}
			if (!seen) {
				nx++;
				nonfinite |= !isfinite(p->x);
			}
		}
		int cat = 0;
		for (size_t i = 0; i < c->npts; i++)
			cat |= r->pts[c->pts[i]].cat != NULL;
		c->kind = cat ? RP_CLUSTER : nx >= 2 ? RP_LINES : RP_BARS;
		c->xordinal =
		    c->kind == RP_LINES && (nonfinite || !strncmp(c->xname, "capacity", 8));
		choose_metric(r, c);
	}
	/* figures */
	for (size_t i = 0; i < r->npts; i++) {
		struct rp_point *p = &r->pts[i];
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
			if (is_aggregate(e) || is_error(e))
				continue;
			p->nreps++;
			if (num(e, "drift") >= 0.5 && !p->ndrift++) {
				p->drift_before = num(e, "rtt_before_ns");
				p->drift_after = num(e, "rtt_after_ns");
			}
		}
		p->oversub = point_flag(p, "oversubscribed");
		p->disturbed = point_flag(p, "disturbed");
		p->permits = NAN;
		if (p->fam == RP_FANOUT && !strcmp(p->xname, "permits"))
			p->permits = p->x;
		if (p->chart >= 0 && p->fig.n > r->charts[p->chart].maxreps)
			r->charts[p->chart].maxreps = p->fig.n;
	}
}

void rp_free(struct rp_report *r)
{
	for (size_t i = 0; i < r->npts; i++) {
		struct rp_point *p = &r->pts[i];
		free(p->name);
		free(p->series);
		free(p->label);
		free(p->cat);
		free(p->ckey);
		free(p->title);
		free(p->desc);
		free(p->xname);
		free(p->xtext);
		free(p->ent);
	}
	for (size_t i = 0; i < r->ncharts; i++) {
		free(r->charts[i].key);
		free(r->charts[i].title);
		free(r->charts[i].xname);
		free(r->charts[i].pts);
		free(r->charts[i].file);
		free(r->charts[i].fair_file);
	}
	for (size_t i = 0; i < r->nruns; i++) {
		json_decref(r->runs[i].root);
		free(r->runs[i].label);
		free(r->runs[i].dir);
		free(r->runs[i].c2c_file);
	}
	free(r->pts);
	free(r->charts);
	free(r->runs);
	memset(r, 0, sizeof(*r));
}

/* ---- presentation helpers ----------------------------------------------------------- */

const char *rp_metric_axis(const struct rp_chart *c)
{
	if (!strcmp(c->mkey, "makespan_us"))
		return "makespan";
	if (!strcmp(c->mkey, "event_latency_us"))
		return "latency of the other events (mean)";
	if (!strcmp(c->mkey, "rtt_ns"))
		return "round trip";
	if (c->metric == RP_M_ITEMS) {
		switch (c->fam) {
		case RP_LOCK:
		case RP_ANTI:
			return "operations per second, all threads";
		case RP_CHAN:
			return "messages per second";
		case RP_FANOUT:
			return "jobs per second";
		default:
			return "items per second";
		}
	}
	switch (c->fam) {
	case RP_ATOMIC:
		return "time per operation";
	case RP_SEM:
		return "time per acquire+release";
	case RP_WAKE:
	case RP_CHAN:
		return "round trip";
	case RP_FORKJOIN:
		return "time per fork-join scope";
	default:
		return "time per iteration";
	}
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
	if (!(p->threads >= 2 || p->fam == RP_CHAN || p->fam == RP_WAKE))
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
