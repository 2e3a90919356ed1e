/*
 * report_answers.c - what each group of comparable figures says (the best, its tie group,
 * the runner-up and the baseline, how sure the run is), and the answers table that opens
 * the report: one row per chart and run, for the question its view asks, with where along
 * the sweep the answer changes; also written as answers.json.
 */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resultsio.h"

/* ---- groups ------------------------------------------------------------------------- */

static const char *group_row(const struct rp_chart *c, const struct rp_point *p)
{
	return c->kind == RP_LINES ? p->xtext : c->kind == RP_CLUSTER ? p->cat : NULL;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static const struct rp_report *sort_r;
static const struct rp_chart *sort_c;

/* best first; missing and failed last; stable by position otherwise */
static int cmp_fig(const void *a, const void *b)
{
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	const struct rp_point *p = &sort_r->pts[ia], *q = &sort_r->pts[ib];
	int pv = isfinite(p->fig.v) && !p->failed, qv = isfinite(q->fig.v) && !q->failed;

	if (pv != qv)
		return qv - pv;
	if (pv && rp_better(sort_c, p->fig.v, q->fig.v))
		return -1;
	if (pv && rp_better(sort_c, q->fig.v, p->fig.v))
		return 1;
	return (ia > ib) - (ia < ib);
}

struct rp_group *rp_chart_groups(const struct rp_report *r, const struct rp_chart *c, size_t *ng)
{
	struct rp_group *g = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < c->npts; i++) {
		const struct rp_point *p = &r->pts[c->pts[i]];
		const char *row = group_row(c, p);
		size_t k;
		for (k = 0; k < n; k++)
			if (g[k].run == p->run && same(g[k].row, row))
				break;
		if (k == n) {
			struct rp_group ng0 = {p->run, row, p->x, NULL, 0, 0, NULL, 0, 0};
			RP_PUSH(g, n, cap, ng0);
		}
		if (p->limit)
			RP_PUSH(g[k].lim, g[k].nlim, g[k].caplim, c->pts[i]);
		else
			RP_PUSH(g[k].pts, g[k].npts, g[k].cap, c->pts[i]);
	}
	/* lines: in x order (words after numbers); then run. Clusters: as they came. */
	for (size_t a = 1; a < n; a++)
		for (size_t k = a; k > 0; k--) {
			struct rp_group *x = &g[k - 1], *y = &g[k];
			int swap = 0;
			if (c->kind == RP_LINES && !(isnan(x->x) && isnan(y->x)) && x->x != y->x)
				swap = isnan(x->x) || (!isnan(y->x) && y->x < x->x);
			if (!swap)
				break;
			struct rp_group t = *x;
			*x = *y;
			*y = t;
		}
	sort_r = r;
	sort_c = c;
	for (size_t k = 0; k < n; k++) {
		if (!g[k].npts) { /* only limit probes ran here: nothing to hold them against */
			g[k].pts = g[k].lim, g[k].npts = g[k].nlim, g[k].cap = g[k].caplim;
			g[k].lim = NULL, g[k].nlim = g[k].caplim = 0;
		}
		qsort(g[k].pts, g[k].npts, sizeof(size_t), cmp_fig);
		if (g[k].nlim > 1)
			qsort(g[k].lim, g[k].nlim, sizeof(size_t), cmp_fig);
	}
	*ng = n;
	return g;
}

void rp_groups_free(struct rp_group *g, size_t ng)
{
	for (size_t k = 0; k < ng; k++) {
		free(g[k].pts);
		free(g[k].lim);
	}
	free(g);
}

/* ---- verdicts ----------------------------------------------------------------------- */

const char *rp_sure_word(enum rp_sure s)
{
	switch (s) {
	case RP_CLEAR:
		return "clear";
	case RP_TIE:
		return "tie";
	case RP_NOT_COMPARABLE:
		return "not comparable";
	case RP_UNRELIABLE:
		return "unreliable";
	case RP_NO_FIGURE:
		break;
	}
	return "no figure";
}

int rp_tie(const struct rp_chart *c, const struct rp_point *a, const struct rp_point *b)
{
	double rr = rp_ratio(c, a->fig.v, b->fig.v);
	if (rr < 1)
		rr = 1 / rr;
	double s1 = isfinite(a->fig.sd) ? a->fig.sd : 0, s2 = isfinite(b->fig.sd) ? b->fig.sd : 0;

	if (rr < 1.03)
		return 1;
	if (s1 + s2 > 0)
		return fabs(a->fig.v - b->fig.v) <= s1 + s2;
	return rr < 1.05;
}

static int ok(const struct rp_point *p)
{
	return isfinite(p->fig.v) && !p->failed;
}

static int in_words(const json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach (arr, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), s))
			return 1;
	return 0;
}

/* The series is the strategy s, or s with series parameters after it. */
static int is_strategy(const struct rp_point *p, const char *s)
{
	size_t n = strlen(s);
	return !strncmp(p->series, s, n) && (p->series[n] == '\0' || p->series[n] == '/');
}

/* Declared classes of this run's architecture: the one the tie group is, and one whose
 * members present here were not all tied. */
static void classes(const struct rp_report *r, const struct rp_chart *c, const struct rp_group *g,
		    struct rp_verdict *v)
{
	const char *arch = r->runs[g->run].arch;
	size_t i;
	json_t *cl;

	json_array_foreach (json_object_get(c->view, "same_instruction"), i, cl) {
		const char *a = ct_json_string(cl, "arch");
		const json_t *st = json_object_get(cl, "strategies");
		if (!a || strcmp(a, arch) != 0)
			continue;
		size_t all = 1;
		for (size_t k = 0; k < v->ntie; k++)
			all &= in_words(st, v->tie[k]->strategy);
		if (v->ntie >= 2 && all && !v->same_why)
			v->same_why = ct_json_string(cl, "why");
		/* members present, tied with none of the others of their class */
		const struct rp_point *first = NULL, *apart = NULL;
		for (size_t k = 0; k < g->npts; k++) {
			const struct rp_point *p = &r->pts[g->pts[k]];
			if (!ok(p) || !in_words(st, p->strategy))
				continue;
			if (!first)
				first = p;
			else if (!apart && !rp_tie(c, first, p))
				apart = p;
		}
		if (apart && !v->split[0]) {
			char rt[32];
			rp_fmt_ratio(rt, sizeof(rt), rp_ratio(c, first->fig.v, apart->fig.v));
			snprintf(v->split, sizeof(v->split),
				 "%s and %s are the same instructions on %s, yet %s× apart here",
				 first->series, apart->series, arch, rt);
		}
	}
}

/* v->answer from its tie group: "faa_relaxed = faa_acquire". */
static void answer_text(struct rp_verdict *v)
{
	size_t n = 0;
	for (size_t k = 0; k < v->ntie; k++)
		n += (size_t)snprintf(v->answer + n,
				      n < sizeof(v->answer) ? sizeof(v->answer) - n : 0, "%s%s",
				      k ? " = " : "", v->tie[k]->series);
}

static int in_answer(const struct rp_verdict *v, const struct rp_point *p)
{
	for (size_t k = 0; k < v->ntie; k++)
		if (!strcmp(v->tie[k]->series, p->series))
			return 1;
	return 0;
}

/* The group's best limit probe with a figure (one disturbed in every repetition has none),
 * or NULL and in *void_ the first that was disturbed in every repetition. */
static const struct rp_point *group_limit(const struct rp_report *r, const struct rp_group *g,
					  const struct rp_point **void_)
{
	const struct rp_point *v0 = NULL;
	for (size_t i = 0; i < g->nlim; i++) {
		const struct rp_point *l = &r->pts[g->lim[i]];
		if (ok(l) && !l->limit_void) {
			if (void_)
				*void_ = NULL;
			return l;
		}
		if (l->limit_void && !v0)
			v0 = l;
	}
	if (void_)
		*void_ = v0;
	return NULL;
}

void rp_verdict_of(const struct rp_report *r, const struct rp_chart *c, const struct rp_group *g,
		   struct rp_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->limit = group_limit(r, g, &v->limit_void);
	for (size_t i = 0; i < g->npts; i++)
		v->nok += ok(&r->pts[g->pts[i]]);
	v->best = &r->pts[g->pts[0]];
	if (!v->nok) {
		v->sure = RP_NO_FIGURE;
		snprintf(v->answer, sizeof(v->answer), "none");
		return;
	}
	if (v->nok >= 2)
		v->second = &r->pts[g->pts[1]];
	/* The tie group is the head of the ranking: it ends at the first strategy not tied with
	 * the best. A slower one further down whose spread is wide enough to reach the best is
	 * not as good as the best (nor as the ones above it). */
	int head = 1;
	for (size_t i = 0; i < v->nok; i++) {
		const struct rp_point *q = &r->pts[g->pts[i]];
		head = head && (i == 0 || rp_tie(c, v->best, q));
		if (head) {
			if (v->ntie < RP_MAX_TIE)
				v->tie[v->ntie++] = q;
		} else if (!v->runner) {
			v->runner = q;
		}
		if (i > 0 && c->baseline && !v->base && is_strategy(q, c->baseline))
			v->base = q;
	}
	classes(r, c, g, v);
	answer_text(v);
	const struct rp_point *two[2] = {v->best, v->second};
	v->sure = v->ntie >= 2 ? RP_TIE : RP_CLEAR;
	if (v->second && v->best->rtt_before > 0 && v->second->rtt_before > 0) {
		double q = v->best->rtt_before / v->second->rtt_before;
		if (q > 1.5 || q < 1 / 1.5)
			v->sure = RP_NOT_COMPARABLE;
	}
	for (int i = 0; i < 2; i++)
		if (two[i] && (two[i]->drift || two[i]->disturbed))
			v->sure = RP_UNRELIABLE;
}

/* ---- the answers table ------------------------------------------------------------ */

struct seg {
	const char *from, *to;
	struct rp_verdict v;
	size_t n;
	size_t k0, k1; /* its first and last group */
};

/* A point joins the segment while some strategy of the segment's answer is tied for best
 * there too; the answer is then narrowed to those (so every strategy it names is as good as
 * the best at every point it spans, not only at the first). 0, and nothing changed, if none
 * is. The best is the first left of the first point's tie group; by how much the answer
 * wins, and its share of the limit probe, are seg_margin's, over every point. */
static int narrow(struct rp_verdict *seg, const struct rp_verdict *v)
{
	const struct rp_point *keep[RP_MAX_TIE];
	size_t n = 0;
	for (size_t i = 0; i < seg->ntie; i++)
		if (in_answer(v, seg->tie[i]))
			keep[n++] = seg->tie[i];
	if (!n)
		return 0;
	if (n == seg->ntie)
		return 1;
	for (size_t k = 0; k < n; k++)
		seg->tie[k] = keep[k];
	seg->ntie = n;
	seg->best = keep[0];
	if (n < 2)
		seg->same_why = NULL;
	answer_text(seg);
	return 1;
}

static json_t *answer_json(const struct rp_verdict *v)
{
	json_t *a = json_array();
	for (size_t k = 0; k < v->ntie; k++)
		json_array_append_new(a, json_string(v->tie[k]->series));
	return a;
}

static json_t *versus(const struct rp_chart *c, const struct rp_point *a, const struct rp_point *q)
{
	double rr = a && q ? rp_ratio(c, a->fig.v, q->fig.v) : NAN;
	if (!q || !isfinite(rr))
		return json_null();
	return json_pack("{s:s, s:f}", "strategy", q->series, "ratio", rr);
}

/* By how much a segment's answer wins: at each of its points, the answer's best there
 * against the best strategy outside the answer (or, where the answer is all there is, the
 * next one), against the baseline and against the point's limit probe; the least of each
 * over the segment, so the table's "N× X" (and vs_limit) holds at every point the answer
 * spans (none against the probe if one point's was disturbed in every repetition). One
 * point: its runner-up, baseline and probe. */
struct margin {
	const struct rp_point *a, *q;	/* the runner-up's pair */
	const struct rp_point *ab, *qb; /* the baseline's */
	const struct rp_point *al, *ql; /* the limit probe's (its least share, as vs_limit) */
};
static struct margin seg_margin(const struct rp_report *r, const struct rp_chart *c,
				const struct rp_group *g, const struct seg *sg, int u)
{
	struct margin m = {0};
	double least = INFINITY, leastb = INFINITY, leastl = INFINITY;
	int lvoid = 0; /* a point's probe was disturbed in every repetition */
	for (size_t k = sg->k0; k <= sg->k1; k++) {
		if (g[k].run != u)
			continue;
		const struct rp_point *a = NULL, *q = NULL, *next = NULL, *qb = NULL;
		for (size_t i = 0; i < g[k].npts; i++) {
			const struct rp_point *p = &r->pts[g[k].pts[i]];
			if (!ok(p))
				continue;
			if (!a && in_answer(&sg->v, p)) {
				a = p;
				continue;
			}
			if (!q && !in_answer(&sg->v, p))
				q = p;
			if (!next)
				next = p;
			if (!qb && c->baseline && is_strategy(p, c->baseline))
				qb = p;
		}
		if (!a)
			continue;
		if (!q)
			q = next;
		double rq = q ? rp_ratio(c, a->fig.v, q->fig.v) : NAN;
		if (isfinite(rq) && rq < least) {
			least = rq;
			m.a = a;
			m.q = q;
		}
		double rb = qb ? rp_ratio(c, a->fig.v, qb->fig.v) : NAN;
		if (isfinite(rb) && rb < leastb) {
			leastb = rb;
			m.ab = a;
			m.qb = qb;
		}
		const struct rp_point *lv = NULL, *ql = group_limit(r, &g[k], &lv);
		lvoid |= lv != NULL;
		double rl = ql ? rp_ratio(c, a->fig.v, ql->fig.v) : NAN;
		if (isfinite(rl) && rl < leastl) {
			leastl = rl;
			m.al = a;
			m.ql = ql;
		}
	}
	if (lvoid) /* no ceiling there, so no share that holds at every point */
		m.al = m.ql = NULL;
	return m;
}

static void cell_md(struct rp_buf *md, const char *s)
{
	rp_add(md, " ");
	rp_md_esc(md, s);
	rp_add(md, " |");
}

static void cell_html(struct rp_buf *html, const char *s)
{
	rp_add(html, "<td>");
	rp_html_esc(html, s);
	rp_add(html, "</td>");
}

static void vs_text(char *out, size_t n, const struct rp_chart *c, const struct rp_point *a,
		    const struct rp_point *q)
{
	char rt[32];
	if (!a || !q) {
		snprintf(out, n, "—");
		return;
	}
	rp_fmt_ratio(rt, sizeof(rt), rp_ratio(c, a->fig.v, q->fig.v));
	snprintf(out, n, "%s× %s", rt, q->series);
}

/* One case (a chart and run) of a question, as the table shows it. */
struct arow {
	const char *q;
	char *kase, *use, *vr, *vb, *sweep; /* kase: what sets the case apart */
	const char *anchor;
	enum rp_sure sure;
};

static void row_cells(struct rp_buf *md, struct rp_buf *html, const char *const *cells, size_t n,
		      const char *anchor, enum rp_sure sure)
{
	rp_add(md, "|");
	rp_addf(html, "<tr class=\"sure-%s\">", rp_sure_word(sure));
	for (size_t i = 0; i < n; i++) {
		if (i == 0) {
			rp_add(md, " [");
			rp_md_esc(md, cells[0]);
			rp_addf(md, "](#%s) |", anchor);
			rp_addf(html, "<td><a href=\"#%s\">", anchor);
			rp_html_esc(html, cells[0]);
			rp_add(html, "</a></td>");
			continue;
		}
		cell_md(md, cells[i]);
		cell_html(html, cells[i]);
	}
	rp_add(md, "\n");
	rp_add(html, "</tr>\n");
}

/*
 * One row per question, to fit one screen: when every case of the question (its charts:
 * other parameters, other thread counts) has one answer, the row says it once; otherwise
 * it names the cases and their answers, the first three, and how many more the sections
 * have. The figures are the first case's; "sure" says how many cases were not clear.
 */
#define CASES_SHOWN 3
static void emit_rows(const struct arow *a, size_t n, struct rp_buf *md, struct rp_buf *html)
{
	rp_add(md, "| question | use | vs runner-up | vs baseline | sure | along the sweep |\n"
		   "| --- | --- | --- | --- | --- | --- |\n");
	rp_add(html, "<table class=\"answers sortable\" id=\"answers-table\">\n<thead><tr><th>"
		     "question</th><th>use</th><th>vs runner-up</th><th>vs baseline</th><th>"
		     "sure</th><th>along the sweep</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n;) {
		size_t j = i, unsure = 0;
		int one = 1;
		enum rp_sure worst = RP_CLEAR;
		while (j < n && !strcmp(a[j].q, a[i].q)) {
			one &= !strcmp(a[j].use, a[i].use);
			unsure += a[j].sure != RP_CLEAR;
			if (a[j].sure > worst)
				worst = a[j].sure;
			j++;
		}
		struct rp_buf use = {0}, sure = {0}, sweep = {0};
		if (one) {
			rp_add(&use, a[i].use);
			if (j - i > 1)
				rp_addf(&use, " (all %zu cases)", j - i);
		} else {
			for (size_t k = i; k < j && k < i + CASES_SHOWN; k++)
				rp_addf(&use, "%s%s: %s", k > i ? "; " : "", a[k].kase, a[k].use);
			if (j - i > CASES_SHOWN)
				rp_addf(&use, "; %zu more cases in the sections",
					j - i - CASES_SHOWN);
		}
		if (j - i == 1)
			rp_add(&sure, rp_sure_word(a[i].sure));
		else if (!unsure)
			rp_add(&sure, "clear");
		else
			rp_addf(&sure, "%s (%zu of %zu cases)", rp_sure_word(worst), unsure, j - i);
		for (size_t k = i; k < j; k++)
			if (strcmp(a[k].sweep, "—") != 0 &&
			    strcmp(a[k].sweep, "the same throughout") != 0)
				rp_addf(&sweep, "%s%s%s%s", sweep.len ? "; " : "",
					j - i > 1 ? a[k].kase : "", j - i > 1 ? ": " : "",
					a[k].sweep);
		if (!sweep.len)
			rp_add(&sweep, a[i].sweep);
		const char *cells[] = {a[i].q,	rp_str(&use),  a[i].vr,
				       a[i].vb, rp_str(&sure), rp_str(&sweep)};
		row_cells(md, html, cells, 6, a[i].anchor, worst);
		rp_buf_free(&use);
		rp_buf_free(&sure);
		rp_buf_free(&sweep);
		i = j;
	}
	rp_add(md, "\n");
	rp_add(html, "</tbody></table>\n");
}

int rp_answers_write(const struct rp_report *r, const char *dir, struct rp_buf *md,
		     struct rp_buf *html, char *err, size_t errlen)
{
	json_t *root = json_object(), *rows = json_array(), *runs = json_array();
	struct arow *ar_all = NULL;
	size_t nar = 0, car = 0;
	int rc = -1;

	for (size_t u = 0; u < r->nruns; u++) {
		const json_t *ctx = r->runs[u].ctx;
		const char *host = ct_json_string(ctx, "host_name");
		const char *cpu = ct_json_string(ctx, "cpu_model");
		const char *pl = ct_json_string(ctx, "placement");
		json_array_append_new(runs, json_pack("{s:s, s:s, s:s, s:s, s:s}", "label",
						      r->runs[u].label, "host", host ? host : "",
						      "cpu", cpu ? cpu : "", "placement",
						      pl ? pl : "", "arch", r->runs[u].arch));
	}
	json_object_set_new(root, "runs", runs);
	{
		struct rp_buf h = {0};
		rp_add(&h, "Answers for ");
		for (size_t u = 0; u < r->nruns; u++) {
			const char *cpu = ct_json_string(r->runs[u].ctx, "cpu_model");
			const char *pl = ct_json_string(r->runs[u].ctx, "placement");
			rp_addf(&h, "%s%s, %s placement", u ? "; " : "",
				cpu ? cpu : r->runs[u].label, pl ? pl : "?");
			if (r->nruns > 1)
				rp_addf(&h, " (%s)", r->runs[u].label);
		}
		rp_add(md, "## ");
		rp_md_esc(md, rp_str(&h));
		rp_add(md, "\n\n");
		rp_add(html, "<h2 id=\"answers\">");
		rp_html_esc(html, rp_str(&h));
		rp_add(html, "</h2>\n");
		rp_buf_free(&h);
	}
	for (size_t ci = 0; ci < r->ncharts; ci++) {
		const struct rp_chart *c = &r->charts[ci];
		size_t ng;
		struct rp_group *g = rp_chart_groups(r, c, &ng);
		for (size_t u = 0; u < r->nruns; u++) {
			struct seg *sg = NULL;
			size_t ns = 0, cs = 0;
			for (size_t k = 0; k < ng; k++) {
				if (g[k].run != (int)u)
					continue;
				struct rp_verdict v;
				rp_verdict_of(r, c, &g[k], &v);
				if (v.sure == RP_NO_FIGURE)
					continue;
				/* the answer holds while one of its strategies is tied for best
				 * (narrow), and the segment is as sure as its least sure point */
				if (ns && narrow(&sg[ns - 1].v, &v)) {
					sg[ns - 1].to = g[k].row;
					sg[ns - 1].n++;
					sg[ns - 1].k1 = k;
					if (v.sure > sg[ns - 1].v.sure)
						sg[ns - 1].v.sure = v.sure;
					continue;
				}
				struct seg s = {g[k].row, g[k].row, v, 1, k, k};
				RP_PUSH(sg, ns, cs, s);
			}
			if (!ns)
				continue;
			/* the row's answer: the segment over most of the sweep, the last of equals;
			 * one that holds at half the points or fewer is not the row's answer (a
			 * capacity sweep won by a different channel at each capacity answers
			 * nothing by its last point): the row says what the answer depends on, and
			 * is as sure as its least sure segment */
			size_t m = 0, tot = sg[0].n;
			enum rp_sure worst = sg[0].v.sure;
			for (size_t s = 1; s < ns; s++) {
				if (sg[s].n >= sg[m].n)
					m = s;
				tot += sg[s].n;
				if (sg[s].v.sure > worst)
					worst = sg[s].v.sure;
			}
			int depends = ns > 1 && 2 * sg[m].n <= tot;
			const struct rp_verdict *v = &sg[m].v;
			struct rp_buf sweep = {0}, use = {0}, kase = {0};
			char vr[96], vb[96];
			const char *xn = c->kind == RP_CLUSTER ? "" : c->xname;
			const char *on = *xn ? xn : "the workload";
			for (size_t s = 0; ns > 1 && s < ns; s++) {
				const char *a = sg[s].v.best->series;
				if (s)
					rp_add(&sweep, "; ");
				if (same(sg[s].from, sg[s].to))
					rp_addf(&sweep, "%s %s: %s", xn,
						sg[s].from ? sg[s].from : "", a);
				else
					rp_addf(&sweep, "%s %s–%s: %s", xn, sg[s].from, sg[s].to,
						a);
			}
			if (ns == 1)
				rp_add(&sweep, c->kind == RP_BARS ? "—" : "the same throughout");
			if (depends) {
				rp_addf(&use, "depends on %s", on);
			} else {
				rp_add(&use, v->answer);
				if (v->same_why)
					rp_addf(&use, " (%s)", v->same_why);
				if (v->split[0])
					rp_addf(&use, "; %s", v->split);
			}
			/* the case: the view's title, and what sets the chart apart */
			const char *t = rp_view_str(c->view, "title");
			rp_add(&kase, t ? t : c->title);
			if (*c->ctext)
				rp_addf(&kase, ", %s", c->ctext);
			if (r->nruns > 1)
				rp_addf(&kase, " [%s]", r->runs[u].label);
			struct margin mg = seg_margin(r, c, g, &sg[m], (int)u);
			vs_text(vr, sizeof(vr), c, mg.a, mg.q);
			vs_text(vb, sizeof(vb), c, mg.ab, mg.qb);
			if (v->best->series && c->baseline && !mg.qb &&
			    !strncmp(v->best->series, c->baseline, strlen(c->baseline)))
				snprintf(vb, sizeof(vb), "is the baseline");
			if (depends) {
				snprintf(vr, sizeof(vr), "—");
				snprintf(vb, sizeof(vb), "—");
			}
			const char *q = c->question ? c->question : c->title;
			struct arow ar = {q,
					  *c->ctext
					      ? rp_fmt("%s%s%s", c->ctext, r->nruns > 1 ? " " : "",
						       r->nruns > 1 ? r->runs[u].label : "")
					      : rp_strdup(rp_str(&kase)),
					  rp_strdup(rp_str(&use)),
					  rp_strdup(vr),
					  rp_strdup(vb),
					  rp_strdup(rp_str(&sweep)),
					  c->anchor,
					  depends ? worst : v->sure};
			RP_PUSH(ar_all, nar, car, ar);
			/* JSON */
			json_t *segs = json_array();
			for (size_t s = 0; s < ns; s++)
				json_array_append_new(
				    segs, json_pack("{s:s?, s:s?, s:o, s:s}", "from", sg[s].from,
						    "to", sg[s].to, "answer", answer_json(&sg[s].v),
						    "sure", rp_sure_word(sg[s].v.sure)));
			json_t *row = json_pack(
			    "{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:s?, s:s?, s:o}",
			    "question", q, "case", rp_str(&kase), "chart", c->key, "anchor",
			    c->anchor, "run", r->runs[u].label, "answer",
			    depends ? json_array() : answer_json(v), "sure",
			    rp_sure_word(depends ? worst : v->sure), "vs_runner_up",
			    depends ? json_null() : versus(c, mg.a, mg.q), "vs_baseline",
			    depends ? json_null() : versus(c, mg.ab, mg.qb), "sweep_changes",
			    json_boolean(ns > 1), "same_instruction", depends ? NULL : v->same_why,
			    "class_differed", !depends && v->split[0] ? v->split : NULL, "sweep",
			    segs);
			json_object_set_new(row, "x",
					    json_string(c->kind == RP_LINES ? c->xname : ""));
			/* the share of the limit probe's figure (a ceiling, never the answer): the
			 * least over the segment's points, as the vs columns */
			json_object_set_new(row, "vs_limit",
					    depends ? json_null() : versus(c, mg.al, mg.ql));
			/* what the answer changes with, when no answer holds over most of it */
			json_object_set_new(row, "depends_on",
					    depends ? json_string(on) : json_null());
			json_array_append_new(rows, row);
			rp_buf_free(&sweep);
			rp_buf_free(&use);
			rp_buf_free(&kase);
			free(sg);
		}
		rp_groups_free(g, ng);
	}
	emit_rows(ar_all, nar, md, html);
	for (size_t i = 0; i < nar; i++) {
		free(ar_all[i].kase);
		free(ar_all[i].use);
		free(ar_all[i].vr);
		free(ar_all[i].vb);
		free(ar_all[i].sweep);
	}
	free(ar_all);
	json_object_set_new(root, "answers", rows);
	{
		char *s = json_dumps(root, JSON_INDENT(2));
		struct rp_buf b = {0};
		rp_add(&b, s ? s : "{}");
		rp_add(&b, "\n");
		free(s);
		rc = rp_write_text(dir, "answers.json", &b, err, errlen);
		rp_buf_free(&b);
	}
	json_decref(root);
	return rc;
}
