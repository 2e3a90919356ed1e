/*
 * history.c - `contend history`'s core: each benchmark's median over the runs of one host
 * (a directory per run holding its results.json), in time order, with the runs `contend
 * compare` flags against the run before marked.
 *
 * Runs are ordered by their context "date" (Google Benchmark's, offset applied), else by
 * the UTC stamp of the directory's name (<YYYYmmddTHHMMSS.mmmZ>-<pid>), else by name. Each
 * consecutive pair goes through ct_compare_runs(), the code `contend compare` runs, with
 * the same options; a pair compare refuses (another placement, profile or machine) is
 * listed as not compared. A run directory that cannot be read is skipped with a one-line
 * warning; with no readable run left it fails (exit 2). Output: a PNG+SVG (and its CSV and
 * gnuplot script) per workload and x value as the report names them, a line per strategy,
 * and history.md, the index. Built in a temporary directory beside the target and renamed
 * into place: a failure leaves nothing half-written, a previous history is replaced whole.
 */
#define _GNU_SOURCE /* timegm, realpath */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "compare.h"
#include "history.h"
#include "report.h"
#include "resultsio.h"
#include "stats.h"

static int has_file(const char *dir, const char *name)
{
	char *p = rp_fmt("%s/%s", dir, name);
	struct stat sb;
	int yes = lstat(p, &sb) == 0 && S_ISREG(sb.st_mode);
	free(p);
	return yes;
}

/* ---- the runs ----------------------------------------------------------------------------- */

/* "2026-11-20T10:00:00+02:00" (Google Benchmark's date; Z, ±HH:MM, ±HHMM or none) */
static double parse_date(const char *s)
{
	struct tm tm = {0};
	int n = 0, oh = 0, om = 0;
	double t;

	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			 &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6)
		return NAN;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = (double)timegm(&tm);
	s += n;
	if (*s == '.')
		s += 1 + strspn(s + 1, "0123456789");
	if (*s == '+' || *s == '-') {
		int sign = *s == '+' ? 1 : -1;
		if (sscanf(s + 1, "%2d:%2d", &oh, &om) == 2 ||
		    sscanf(s + 1, "%2d%2d", &oh, &om) == 2)
			t -= sign * (oh * 3600.0 + om * 60.0);
	}
	return t;
}

/* "20261120T100000.123Z-4242" (contend run's default directory name) */
static double parse_stamp(const char *s)
{
	struct tm tm = {0};
	int n = 0;
	if (sscanf(s, "%4d%2d%2dT%2d%2d%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &tm.tm_sec, &n) != 6 ||
	    n != 15)
		return NAN;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	double t = (double)timegm(&tm);
	if (s[n] == '.') {
		char *end;
		double frac = strtod(s + n, &end);
		if (end > s + n)
			t += frac;
	}
	return t;
}

static int cmp_run(const void *a, const void *b)
{
	const struct hi_run *x = a, *y = b;
	int kx = isnan(x->t), ky = isnan(y->t);
	if (kx != ky)
		return kx - ky; /* undated runs last */
	if (!kx && x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "contend: history: warning: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
}

static void load_runs(struct hi_model *m, const char *out_real)
{
	static size_t cap;
	DIR *d = opendir(m->dir);
	struct dirent *e;
	char path[PATH_MAX], real[PATH_MAX], err[PATH_MAX + 256];
	struct stat sb;
	size_t nskip = 0;

	if (!d)
		ct_die("history: %s: %s", m->dir, strerror(errno));
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", m->dir, e->d_name) >=
		    sizeof(path))
			continue;
		if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
			continue;
		/* this command's own output (the target, or an earlier history) */
		if ((out_real && realpath(path, real) && !strcmp(real, out_real)) ||
		    has_file(path, "history.md"))
			continue;
		struct hi_run u = {0};
		u.root = ct_results_load(path, err, sizeof(err));
		if (!u.root) {
			warn("%s; skipped", err);
			nskip++;
			continue;
		}
		if (json_array_size(json_object_get(u.root, "benchmarks")) == 0) {
			warn("%s: no benchmarks in this run; skipped", path);
			json_decref(u.root);
			nskip++;
			continue;
		}
		if (ct_runset_collect(u.root, path, &m->o.metric, &u.rs, err, sizeof(err)) != 0) {
			warn("%s; skipped", err);
			json_decref(u.root);
			nskip++;
			continue;
		}
		u.path = rp_strdup(path);
		u.name = rp_strdup(e->d_name);
		const char *date = ct_json_string(json_object_get(u.root, "context"), "date");
		u.t = parse_date(date);
		u.by = "date";
		if (isnan(u.t)) {
			u.t = parse_stamp(u.name);
			u.by = isnan(u.t) ? "name" : "directory stamp";
		}
		RP_PUSH(m->runs, m->nruns, cap, u);
	}
	closedir(d);
	if (!m->nruns)
		ct_die("history: %s: no readable run (%s)", m->dir,
		       nskip ? "every run directory was skipped, see above"
			     : "no directory holding a results.json");
	qsort(m->runs, m->nruns, sizeof(*m->runs), cmp_run);

	/* dates and tic labels: minutes, seconds where two runs share a minute, the year
	 * where the runs span more than one */
	int years = 0, clash = 0;
	for (size_t i = 0; i < m->nruns; i++) {
		struct hi_run *u = &m->runs[i];
		if (isnan(u->t)) {
			snprintf(u->when, sizeof(u->when), "?");
			continue;
		}
		time_t tt = (time_t)u->t;
		struct tm tm;
		gmtime_r(&tt, &tm);
		strftime(u->when, sizeof(u->when), "%Y-%m-%d %H:%M:%S", &tm);
		years |= strncmp(u->when, m->runs[0].when, 4) != 0;
		if (i && !isnan(m->runs[i - 1].t) && !strncmp(u->when, m->runs[i - 1].when, 16))
			clash = 1;
	}
	for (size_t i = 0; i < m->nruns; i++) {
		struct hi_run *u = &m->runs[i];
		if (isnan(u->t)) {
			snprintf(u->tic, sizeof(u->tic), "#%zu %.20s", i + 1, u->name);
			continue;
		}
		snprintf(u->tic, sizeof(u->tic), "%.*s", (clash ? 19 : 16) - (years ? 0 : 5),
			 u->when + (years ? 0 : 5));
	}
}

/* ---- benchmarks and charts ------------------------------------------------------------ */

static size_t bench_index(struct hi_model *m, const char *name)
{
	for (size_t i = 0; i < m->nbenches; i++)
		if (!strcmp(m->benches[i].name, name))
			return i;
	struct hi_bench b = {0};
	b.name = rp_strdup(name);
	b.med = rp_xrealloc(NULL, m->nruns * sizeof(double));
	b.mark = rp_xrealloc(NULL, m->nruns * sizeof(int));
	for (size_t u = 0; u < m->nruns; u++) {
		b.med[u] = NAN;
		b.mark[u] = HI_NONE;
	}
	RP_PUSH(m->benches, m->nbenches, m->capbenches, b);
	return m->nbenches - 1;
}

static size_t chart_index(struct hi_model *m, const char *key, const char *title)
{
	for (size_t i = 0; i < m->ncharts; i++)
		if (!strcmp(m->charts[i].key, key))
			return i;
	struct hi_chart c = {0};
	c.key = rp_strdup(key);
	c.title = rp_strdup(title);
	RP_PUSH(m->charts, m->ncharts, m->capcharts, c);
	return m->ncharts - 1;
}

/* A benchmark's typical figure: the geometric mean of its medians (0 if none). */
static double typical(const struct hi_model *m, size_t k)
{
	double sum = 0;
	int n = 0;
	for (size_t u = 0; u < m->nruns; u++)
		if (isfinite(m->benches[k].med[u]) && m->benches[k].med[u] > 0) {
			sum += log(m->benches[k].med[u]);
			n++;
		}
	return n ? exp(sum / n) : 0;
}

static const struct hi_model *sort_model;

static int cmp_typical(const void *a, const void *b)
{
	double x = typical(sort_model, *(const size_t *)a),
	       y = typical(sort_model, *(const size_t *)b);
	return (x > y) - (x < y);
}

/*
 * More than HI_MAX_LINES lines crossing over time cannot be told apart: such a chart is
 * cut into parts of near-equal size, its lines sorted by their typical figure, so each part
 * also spans a narrower range.
 */
#define HI_MAX_LINES 12
static void split_charts(struct hi_model *m)
{
	struct hi_chart *out = NULL;
	size_t nout = 0, cap = 0;

	sort_model = m;
	for (size_t ci = 0; ci < m->ncharts; ci++) {
		struct hi_chart *old = &m->charts[ci];
		if (old->nb <= HI_MAX_LINES) {
			RP_PUSH(out, nout, cap, *old);
			continue;
		}
		size_t nb = old->nb, parts = (nb + HI_MAX_LINES - 1) / HI_MAX_LINES;
		size_t per = (nb + parts - 1) / parts;
		qsort(old->b, nb, sizeof(size_t), cmp_typical);
		for (size_t p = 0; p * per < nb; p++) {
			struct hi_chart c = {0};
			size_t hi = (p + 1) * per < nb ? (p + 1) * per : nb;
			c.key = rp_fmt("%s/part%zu", old->key, p + 1);
			c.title = rp_fmt("%s (part %zu of %zu: lines %zu-%zu of %zu by size)",
					 old->title, p + 1, parts, p * per + 1, hi, nb);
			for (size_t j = hi; j-- > p * per;) /* largest on top, as drawn */
				RP_PUSH(c.b, c.nb, c.capb, old->b[j]);
			RP_PUSH(out, nout, cap, c);
		}
		free(old->key);
		free(old->title);
		free(old->b);
	}
	free(m->charts);
	m->charts = out;
	m->ncharts = nout;
	m->capcharts = cap;
	for (size_t ci = 0; ci < m->ncharts; ci++)
		for (size_t j = 0; j < m->charts[ci].nb; j++)
			m->benches[m->charts[ci].b[j]].chart = ci;
}

/* Medians per run, then the report's names (rp_build) to group them into charts. */
static void build(struct hi_model *m)
{
	for (size_t u = 0; u < m->nruns; u++)
		for (size_t i = 0; i < m->runs[u].rs.n; i++) {
			const struct ct_series *s = &m->runs[u].rs.s[i];
			size_t k = bench_index(m, s->name);
			if (!m->benches[k].m.name[0])
				m->benches[k].m = s->m;
			if (s->n)
				m->benches[k].med[u] = ct_median(s->v, s->n);
		}

	struct rp_report r = {0};
	r.runs = rp_xrealloc(NULL, m->nruns * sizeof(*r.runs));
	memset(r.runs, 0, m->nruns * sizeof(*r.runs));
	for (size_t u = 0; u < m->nruns; u++) {
		struct rp_run *ru = &r.runs[u];
		ru->arg = m->runs[u].path;
		ru->root = json_incref(m->runs[u].root);
		ru->ctx = json_object_get(ru->root, "context");
		ru->benches = json_object_get(ru->root, "benchmarks");
		ru->label = rp_fmt("#%zu", u + 1);
		ru->dir = rp_strdup(m->runs[u].path);
		r.nruns = u + 1;
	}
	rp_build(&r);
	for (size_t k = 0; k < m->nbenches; k++) {
		struct hi_bench *b = &m->benches[k];
		/* its point in the first run that carries its view: a run of contend_schema 1 has
		 * none, and a directory holds such runs before the ones written after them */
		const struct rp_point *p = NULL;
		for (size_t i = 0; i < r.npts && !(p && p->fam != RP_OTHER); i++)
			if (!strcmp(r.pts[i].name, b->name) && (!p || r.pts[i].fam != RP_OTHER))
				p = &r.pts[i];
		struct rp_buf key = {0}, title = {0};
		if (p && p->fam != RP_OTHER) {
			/* the report's chart, at one x value: a line per strategy */
			rp_add(&key, p->ckey);
			rp_add(&title, p->title);
			if (p->cat) {
				rp_addf(&key, "/%s", p->cat);
				rp_addf(&title, ": %s", p->cat);
			}
			if (p->xtext && *p->xname) {
				rp_addf(&key, "/%s:%s", p->xname, p->xtext);
				rp_addf(&title, ", %s %s", p->xname, p->xtext);
			}
			b->series = rp_strdup(p->series);
		} else {
			rp_add(&key, b->name);
			rp_add(&title, b->name);
			b->series = rp_strdup(b->name);
		}
		b->chart = chart_index(m, rp_str(&key), rp_str(&title));
		struct hi_chart *c = &m->charts[b->chart];
		/* two benchmarks under one line title: name them in full */
		for (size_t j = 0; j < c->nb; j++)
			if (!strcmp(m->benches[c->b[j]].series, b->series)) {
				free(b->series);
				b->series = rp_strdup(b->name);
				break;
			}
		RP_PUSH(c->b, c->nb, c->capb, k);
		rp_buf_free(&key);
		rp_buf_free(&title);
	}
	rp_free(&r);
	split_charts(m);
}

/*
 * Compare each run with the run before it, compare's own code and options; where that run
 * is one compare refuses (another placement, profile or machine: ct_context_check), with
 * the latest earlier run it accepts, so that one run of another placement in between does
 * not hide a regression.
 */
static void transitions(struct hi_model *m)
{
	char err[PATH_MAX * 2 + 512], why[512], note[8];

	m->trans = rp_xrealloc(NULL, m->nruns * sizeof(*m->trans));
	memset(m->trans, 0, m->nruns * sizeof(*m->trans));
	for (size_t u = 1; u < m->nruns; u++) {
		struct hi_trans *t = &m->trans[u];
		const json_t *ctx = json_object_get(m->runs[u].root, "context");
		size_t j = u;
		while (j-- > 0) {
			if (ct_context_check(json_object_get(m->runs[j].root, "context"), ctx, why,
					     sizeof(why), note, sizeof(note)) == 0)
				break;
			if (j == u - 1) {
				free(t->why);
				t->why = rp_fmt("against #%zu: %s", u, why);
			}
		}
		t->from = j;
		if (j == (size_t)-1) {
			char *w = rp_fmt("no earlier run compare accepts (%s)", t->why);
			free(t->why);
			t->why = w;
			continue;
		}
		free(t->why);
		t->why = NULL;
		t->rep.test_name = "Mann-Whitney U";
		t->rep.sample_word = "repetitions";
		t->rep.base_label = m->runs[j].path;
		t->rep.new_label = m->runs[u].path;
		if (ct_compare_runs(m->runs[j].root, m->runs[j].path, m->runs[u].root,
				    m->runs[u].path, &m->o, &t->rep, err, sizeof(err)) != 0) {
			ct_report_free(&t->rep);
			t->rep = (struct ct_report){0};
			t->why = rp_strdup(err);
			continue;
		}
		t->compared = 1;
		t->why = rp_strdup(t->rep.notes);
		for (size_t i = 0; i < t->rep.n; i++) {
			const struct ct_row *row = &t->rep.rows[i];
			int mark =
			    row->verdict == CT_V_REGRESSION || row->verdict == CT_V_FAILED_NEW
				? HI_FLAGGED
			    : row->verdict == CT_V_IMPROVED ? HI_IMPROVED
							    : HI_NONE;
			if (mark != HI_NONE)
				m->benches[bench_index(m, row->name)].mark[u] = mark;
		}
	}
}

/* ---- history.md ----------------------------------------------------------------------- */

static void model_free(struct hi_model *m)
{
	for (size_t u = 0; u < m->nruns; u++) {
		json_decref(m->runs[u].root);
		ct_runset_free(&m->runs[u].rs);
		free(m->runs[u].path);
		free(m->runs[u].name);
		if (m->trans) {
			ct_report_free(&m->trans[u].rep);
			free(m->trans[u].why);
		}
	}
	for (size_t i = 0; i < m->nbenches; i++) {
		free(m->benches[i].name);
		free(m->benches[i].series);
		free(m->benches[i].med);
		free(m->benches[i].mark);
	}
	for (size_t i = 0; i < m->ncharts; i++) {
		free(m->charts[i].key);
		free(m->charts[i].title);
		free(m->charts[i].b);
		free(m->charts[i].file);
	}
	free(m->runs);
	free(m->trans);
	free(m->benches);
	free(m->charts);
}

int ct_history_run(struct hi_model *m, const char *dir, const char *out_opt)
{
	char err[PATH_MAX * 2 + 512], out[PATH_MAX], stage[PATH_MAX], out_real[PATH_MAX];
	int nplots = 0, exists, nflag = 0;
	struct hi_model *mp = m;
#define m (*mp)
	/* where it goes */
	{
		size_t n = strlen(dir);
		while (n > 1 && dir[n - 1] == '/')
			n--;
		m.dir = rp_fmt("%.*s", (int)n, dir);
	}
	if (out_opt)
		snprintf(out, sizeof(out), "%s", out_opt);
	else if ((size_t)snprintf(out, sizeof(out), "%s/history", m.dir) >= sizeof(out))
		ct_die("history: output path too long");
	for (size_t n = strlen(out); n > 1 && out[n - 1] == '/'; n--)
		out[n - 1] = '\0';
	if ((exists = ct_check_out_dir(out, "history.md", err, sizeof(err))) < 0)
		ct_die("%s", err);

	load_runs(&m, exists && realpath(out, out_real) ? out_real : NULL);
	build(&m);
	transitions(&m);

	/* build it beside the target, then swap it in */
	if (ct_out_dir_stage(out, stage, sizeof(stage), err, sizeof(err)) != 0)
		ct_die("--out %s: %s", out, err);
	if (hi_plots_write(&m, stage, &nplots, err, sizeof(err)) != 0 ||
	    hi_write_md(&m, stage, err, sizeof(err)) != 0) {
		ct_rm_tree(stage);
		ct_die("history: %s; nothing written", err);
	}
	if (ct_out_dir_publish(stage, out, exists, "history", err, sizeof(err)) != 0)
		ct_die("history: %s; nothing written", err);
	for (size_t i = 0; i < m.nbenches; i++)
		for (size_t u = 0; u < m.nruns; u++)
			nflag += m.benches[i].mark[u] == HI_FLAGGED;
	fprintf(stderr,
		"contend: history: %zu run%s, %zu benchmark%s, %d plot%s (PNG and SVG), %d "
		"flagged point%s in %s\n",
		m.nruns, m.nruns == 1 ? "" : "s", m.nbenches, m.nbenches == 1 ? "" : "s", nplots,
		nplots == 1 ? "" : "s", nflag, nflag == 1 ? "" : "s", out);
	printf("%s/history.md\n", out);
	model_free(&m);
	free((char *)m.dir);
	return 0;
#undef m
}
