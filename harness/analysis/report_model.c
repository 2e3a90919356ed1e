/*
 * report_model.c - from results files to points and charts: loading the runs, taking
 * each benchmark's name apart, and grouping the points into charts. The figures (a
 * point's value, spread and marks, a chart's metric) are computed in report_figures.c.
 *
 * A point is one benchmark of one run: every entry Google Benchmark wrote for it (the
 * repetitions and the aggregates), its name taken apart, and its figure. Its figure is the
 * median aggregate where there is one, else the median of its repetitions; the spread is
 * the stddev aggregate, else the sample standard deviation of the repetitions; `null`
 * (contend's NaN) is a missing value everywhere.
 *
 * The report knows no family: every result carries its workload, strategy and params, and
 * the run carries each workload's view (context.contend_views), which says the section,
 * title and question, the x axis, the parameters that belong to the series, the cluster,
 * the metric and its direction, the baseline and the notes. The strategy (with the
 * series parameters) is the series; every other parameter splits the charts, and so do
 * the threads when they are not x. A workload without a view goes to the "other" table.
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
	return 0;
}

/* ---- names -------------------------------------------------------------------------- */

const char *rp_view_str(const json_t *view, const char *key)
{
	const char *s = ct_json_string(view, key);
	return s && *s ? s : NULL;
}

static int view_flag(const json_t *view, const char *key)
{
	return json_is_true(json_object_get(view, key));
}

/* key is one of the view's series parameters */
static int is_series_key(const json_t *view, const char *key)
{
	size_t i;
	json_t *v;

	json_array_foreach (json_object_get(view, "series"), i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), key))
			return 1;
	return 0;
}

static const char *param(const struct rp_point *p, const char *key)
{
	return ct_json_string(p->params, key);
}

/* Parameters as the names write them: ", p:1, c:1, msg:8" (less skip and the series). */
static void params_text(struct rp_buf *b, const struct rp_point *p, const char *skip)
{
	const char *key;
	json_t *v;

	json_object_foreach ((json_t *)p->params, key, v) {
		if ((skip && !strcmp(key, skip)) || is_series_key(p->view, key) ||
		    !json_is_string(v))
			continue;
		rp_addf(b, ", %s:%s", key, json_string_value(v));
	}
}

/* A point's place from its workload, strategy, parameters and its workload's view. */
static void parse_point(struct rp_point *p, const struct rp_run *u)
{
	const json_t *e = p->ent[0], *view;
	const char *key, *xkey, *cluster;
	json_t *v;
	struct rp_buf b = {0};

	p->workload = ct_json_string(e, "workload");
	p->strategy = ct_json_string(e, "strategy");
	p->params = json_object_get(e, "params");
	if (!json_is_object(p->params))
		p->params = NULL;
	p->chart = -1;
	p->x = NAN;
	if (p->threads < 1)
		p->threads = 1;
	view = p->workload && p->strategy ? json_object_get(u->views, p->workload) : NULL;
	p->view = json_is_object(view) ? view : NULL;
	p->fam = !p->view ? RP_OTHER : view_flag(view, "table") ? RP_TABLE : RP_VIEW;
	const json_t *lims = p->view ? json_object_get(p->view, "limits") : NULL;
	size_t i;
	json_array_foreach (lims, i, v) {
		if (json_is_string(v) && p->strategy && !strcmp(json_string_value(v), p->strategy))
			p->limit = 1;
	}
	if (p->fam == RP_OTHER) {
		p->series = rp_strdup(p->strategy ? p->strategy : p->name);
		p->title = rp_strdup(p->workload ? p->workload : p->name);
		p->desc = rp_strdup(p->name);
		p->ckey = rp_strdup(p->name);
		p->xname = rp_strdup("");
		p->ctext = rp_strdup("");
		return;
	}

	/* the series: the strategy, then the view's series parameters */
	rp_add(&b, p->strategy);
	json_object_foreach ((json_t *)p->params, key, v)
		if (is_series_key(view, key) && json_is_string(v))
			rp_addf(&b, "/%s", json_string_value(v));
	p->series = rp_strdup(rp_str(&b));

	/* a cluster: one group of bars per workload */
	cluster = rp_view_str(view, "cluster");
	if (cluster) {
		size_t n = strlen(cluster);
		const char *w = p->workload;
		if (!strncmp(w, cluster, n) && w[n] == '_' && w[n + 1])
			w += n + 1;
		p->cat = rp_strdup(w);
	}

	/* x */
	xkey = cluster ? NULL : rp_view_str(view, "x");
	if (xkey && !strcmp(xkey, "threads")) {
		p->xtext = rp_fmt("%ld", p->threads);
		p->x = (double)p->threads;
	} else if (xkey && param(p, xkey)) {
		const char *xv = param(p, xkey);
		char *end;
		p->xtext = rp_strdup(xv);
		p->x = strtod(xv, &end);
		if (end == xv || *end)
			p->x = NAN; /* a word ("unbounded"): the axis is ordinal */
	} else {
		xkey = NULL;
	}
	const char *xl = rp_view_str(view, "x_label");
	p->xname = rp_strdup(xkey ? (xl ? xl : xkey) : "");
	int x_is_threads = xkey && !strcmp(xkey, "threads");
	/* a workload that starts its own threads: Google Benchmark's one thread says nothing */
	int say_threads = !(p->threads == 1 && view_flag(view, "own_threads"));
	const char *title = rp_view_str(view, "title");
	if (!title)
		title = p->workload;

	/* chart key: the workload (or cluster), every parameter but x and the series, and the
	 * threads unless they are x */
	b.len = 0;
	rp_add(&b, cluster ? cluster : p->workload);
	json_object_foreach ((json_t *)p->params, key, v)
		if (!(xkey && !strcmp(key, xkey)) && !is_series_key(view, key) && json_is_string(v))
			rp_addf(&b, "/%s:%s", key, json_string_value(v));
	if (!x_is_threads)
		rp_addf(&b, "/threads:%ld", p->threads);
	p->ckey = rp_strdup(rp_str(&b));

	/* chart title */
	b.len = 0;
	rp_add(&b, title);
	if (strcmp(title, cluster ? cluster : p->workload) != 0)
		rp_addf(&b, cluster ? " (%s_*)" : " (%s)", cluster ? cluster : p->workload);
	size_t head = b.len;
	params_text(&b, p, xkey);
	if (!x_is_threads && say_threads)
		rp_addf(&b, ", %ld thread%s", p->threads, p->threads == 1 ? "" : "s");
	p->title = rp_strdup(rp_str(&b));
	p->ctext = rp_strdup(b.len > head + 2 ? rp_str(&b) + head + 2 : "");

	/* this point in words */
	b.len = 0;
	rp_add(&b, p->cat ? p->cat : title);
	params_text(&b, p, NULL);
	if (say_threads)
		rp_addf(&b, ", %ld thread%s", p->threads, p->threads == 1 ? "" : "s");
	p->desc = rp_strdup(rp_str(&b));
	rp_buf_free(&b);
}

/* ---- building ----------------------------------------------------------------------- */

static char *run_name_of(const json_t *e)
{
	const char *rn = ct_json_string(e, "run_name"), *name = ct_json_string(e, "name");
	const char *agg = ct_json_string(e, "aggregate_name");

	if (rn)
		return rp_strdup(rn);
	if (rp_entry_is_aggregate(e) && agg) {
		size_t n = strlen(name), k = strlen(agg);
		if (n > k + 1 && name[n - k - 1] == '_' && !strcmp(name + n - k, agg))
			return rp_fmt("%.*s", (int)(n - k - 1), name);
	}
	return rp_strdup(name);
}

static int chart_for(struct rp_report *r, const struct rp_point *p)
{
	for (size_t i = 0; i < r->ncharts; i++)
		if (r->charts[i].view == p->view && !strcmp(r->charts[i].key, p->ckey))
			return (int)i;
	/* one workload's view in several runs: the same chart */
	for (size_t i = 0; i < r->ncharts; i++)
		if (!strcmp(r->charts[i].key, p->ckey) &&
		    json_equal((json_t *)r->charts[i].view, (json_t *)p->view))
			return (int)i;
	struct rp_chart c = {0};
	c.fam = p->fam;
	c.view = p->view;
	c.section = rp_view_str(p->view, "section");
	if (!c.section)
		c.section = "Results";
	c.question = rp_view_str(p->view, "question");
	c.baseline = rp_view_str(p->view, "baseline");
	c.key = rp_strdup(p->ckey);
	c.title = rp_strdup(p->title);
	c.xname = rp_strdup(p->xname);
	c.ctext = rp_strdup(p->ctext);
	c.file = rp_xrealloc(NULL, (r->nruns + 1) * sizeof(char *));
	c.fair_file = rp_xrealloc(NULL, (r->nruns + 1) * sizeof(char *));
	memset(c.file, 0, (r->nruns + 1) * sizeof(char *));
	memset(c.fair_file, 0, (r->nruns + 1) * sizeof(char *));
	RP_PUSH(r->charts, r->ncharts, r->capcharts, c);
	return (int)r->ncharts - 1;
}

/* Two runs of one host and placement: told apart by their stamp (the run directory's
 * name or the date), then their commit, then their place in the arguments. */
static void label_runs(struct rp_report *r)
{
	for (int pass = 0; pass < 3; pass++) {
		int *dup = rp_xrealloc(NULL, r->nruns * sizeof(int));
		int any = 0;
		for (size_t i = 0; i < r->nruns; i++) {
			dup[i] = 0;
			for (size_t j = 0; j < r->nruns; j++)
				if (j != i && !strcmp(r->runs[i].label, r->runs[j].label))
					dup[i] = 1;
			any |= dup[i];
		}
		for (size_t i = 0; any && i < r->nruns; i++) {
			if (!dup[i])
				continue;
			struct rp_run *u = &r->runs[i];
			const char *date = ct_json_string(u->ctx, "date");
			const char *commit = ct_json_string(u->ctx, "git_commit");
			const char *base = strrchr(u->dir, '/');
			base = base ? base + 1 : u->dir;
			char *l;
			if (pass == 0 && base[0] >= '0' && base[0] <= '9')
				l = rp_fmt("%s @%s", u->label, base);
			else if (pass == 0 && date)
				l = rp_fmt("%s @%s", u->label, date);
			else if (pass == 1 && commit)
				l = rp_fmt("%s %.10s", u->label, commit);
			else if (pass == 2)
				l = rp_fmt("%s #%zu", u->label, i + 1);
			else
				continue;
			free(u->label);
			u->label = l;
		}
		free(dup);
	}
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
				p.threads = rp_entry_count(e, "threads");
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
	label_runs(r);
	for (size_t u = 0; u < r->nruns; u++) {
		json_t *v = json_object_get(r->runs[u].ctx, "contend_views");
		r->runs[u].views = json_is_object(v) ? v : NULL;
		r->runs[u].arch = ct_json_string(r->runs[u].ctx, "arch");
		if (!r->runs[u].arch)
			r->runs[u].arch = "";
	}
	for (size_t i = 0; i < r->npts; i++) {
		struct rp_point *p = &r->pts[i];
		parse_point(p, &r->runs[p->run]);
		if (p->fam == RP_OTHER)
			r->nother++;
		else
			r->nknown++;
		if (p->fam != RP_VIEW) {
			p->label = rp_strdup(p->series);
			continue;
		}
		p->label = r->nruns > 1 ? rp_fmt("%s · %s", p->series, r->runs[p->run].label)
					: rp_strdup(p->series);
		p->chart = chart_for(r, p);
		struct rp_chart *c = &r->charts[p->chart];
		RP_PUSH(c->pts, c->npts, c->cappts, i);
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
		c->xordinal = c->kind == RP_LINES && nonfinite;
		rp_choose_metric(r, c);
	}
	/* figures */
	for (size_t i = 0; i < r->npts; i++)
		rp_point_figures(r, &r->pts[i]);
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
		free(p->ctext);
		free(p->desc);
		free(p->xname);
		free(p->xtext);
		free(p->ent);
	}
	for (size_t i = 0; i < r->ncharts; i++) {
		free(r->charts[i].key);
		free(r->charts[i].title);
		free(r->charts[i].xname);
		free(r->charts[i].ctext);
		free(r->charts[i].pts);
		for (size_t u = 0; u < r->nruns; u++) {
			free(r->charts[i].file[u]);
			free(r->charts[i].fair_file[u]);
		}
		free(r->charts[i].file);
		free(r->charts[i].fair_file);
		free(r->charts[i].anchor);
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
