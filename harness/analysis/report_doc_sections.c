/*
 * report_doc_sections.c - the report's sections past the machine: per chart its plots,
 * `winner:` lines and table of every figure with its notes; the families with tables of
 * their own (litmus outcomes, the core-to-core matrix); the results without a view; and
 * the benchmarks that failed.
 */
#include "report_doc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "resultsio.h"

/* ---- winners ---------------------------------------------------------------------- */

static void drift_detail(struct rp_buf *b, const struct rp_point *p)
{
	if (p->nreps > 1)
		rp_addf(b, "%d of %d repetitions, ", p->ndrift, p->nreps);
	rp_addf(b, "RTT %.0f→%.0f ns", p->drift_before, p->drift_after);
}

/* "15 % of the CPU time elsewhere", and how many repetitions were disturbed */
static void disturbed_detail(struct rp_buf *b, const struct rp_point *p)
{
	if (p->nreps > 1 && p->ndisturbed)
		rp_addf(b,
			"up to %.0f %% of the CPU time elsewhere (%d of %d repetitions disturbed)",
			p->disturbed_pct, p->ndisturbed, p->nreps);
	else
		rp_addf(b, "%.0f %% of the CPU time elsewhere", p->disturbed_pct);
}

/* The marks on the two figures a winner line compares. */
static void marks_text(struct rp_buf *b, const struct rp_point *best, const struct rp_point *run2)
{
	const struct rp_point *two[2] = {best, run2};
	int nd = 0;

	for (int i = 0; i < 2; i++) {
		const struct rp_point *p = two[i];
		if (p && p->drift) {
			rp_addf(b, "; ⚠ placement drift during %s (", p->series);
			drift_detail(b, p);
			rp_add(b, ")");
		}
		nd += p && p->disturbed;
	}
	if (!nd)
		return;
	rp_add(b, "; ⚠ disturbed:");
	for (int i = 0, k = 0; i < 2; i++)
		if (two[i] && two[i]->disturbed) {
			rp_addf(b, "%s %s ", k++ ? "," : "", two[i]->series);
			disturbed_detail(b, two[i]);
		}
}

static void winner_line(struct rp_doc *d, const struct rp_report *r, const struct rp_chart *c,
			const struct rp_group *g)
{
	struct rp_buf rest = {0}, com = {0};
	struct rp_verdict v;
	char fig[64], rt[32];

	rp_verdict_of(r, c, g, &v);
	const struct rp_point *best = v.best, *run2 = v.second, *base = v.base;
	rp_add(&rest, best->desc);
	if (best->oversub)
		rp_add(&rest, " (oversubscribed: more threads than PUs)");
	if (r->nruns > 1)
		rp_addf(&rest, " [%s]", r->runs[g->run].label);
	if (!v.nok) {
		rp_add(&rest, ": no figure to compare (every strategy failed or reported none)");
		rp_doc_winner(d, "none", rp_str(&rest), NULL);
		rp_buf_free(&rest);
		return;
	}
	rp_fmt_metric(fig, sizeof(fig), c->metric, best->fig.v);
	if (!run2) {
		rp_addf(&rest, ": the only strategy with a figure here; %s", fig);
	} else if (v.ntie >= 2) {
		/* equal things said once: a tie group, never a winner by 1.02x */
		rp_addf(&rest, ": a tie, %zu strategies inside each other's spread", v.ntie);
		if (v.same_why)
			rp_addf(&rest, " (%s)", v.same_why);
		if (v.runner) {
			rp_fmt_ratio(rt, sizeof(rt), rp_ratio(c, best->fig.v, v.runner->fig.v));
			rp_addf(&rest, "; %s× better than %s (the best outside the tie)", rt,
				v.runner->series);
		}
		if (base && base != v.runner && !rp_tie(c, best, base)) {
			rp_fmt_ratio(rt, sizeof(rt), rp_ratio(c, best->fig.v, base->fig.v));
			rp_addf(&rest, ", %s× better than %s", rt, base->series);
		}
		rp_addf(&rest, "; best %s (%s)", fig, best->series);
		if (best->fig.n >= 2)
			rp_addf(&rest, " (median of %d)", best->fig.n);
	} else {
		double rr = rp_ratio(c, best->fig.v, run2->fig.v);
		rp_fmt_ratio(rt, sizeof(rt), rr);
		rp_addf(&rest, ": %s× better than %s (runner-up)", rt, run2->series);
		if (base && base != run2) {
			rp_fmt_ratio(rt, sizeof(rt), rp_ratio(c, best->fig.v, base->fig.v));
			rp_addf(&rest, ", %s× better than %s", rt, base->series);
		}
		rp_addf(&rest, "; %s", fig);
		if (best->fig.n >= 2)
			rp_addf(&rest, " (median of %d)", best->fig.n);
	}
	if (v.limit) {
		/* the share of the ceiling the best reaches: the limit probe is no contender */
		const struct rp_point *l = v.limit;
		const char *bound = ct_json_string(l->view, "limit_bound");
		char lf[64];
		rp_fmt_metric(lf, sizeof(lf), c->metric, l->fig.v);
		rp_fmt_num(rt, sizeof(rt), rp_ratio(c, best->fig.v, l->fig.v));
		rp_addf(&rest, "; %s× the limit probe %s (%s", rt, l->series, lf);
		if (l->limit_clean)
			rp_addf(&rest, ", median of its %d undisturbed of %d repetitions",
				l->limit_clean, l->nreps);
		if (bound)
			rp_addf(&rest, ": the ceiling of %s, not a contender)", bound);
		else
			rp_add(&rest, ": a ceiling, not a contender)");
	} else if (v.limit_void) {
		rp_addf(&rest,
			"; no ceiling: the limit probe %s was disturbed in all %d repetitions",
			v.limit_void->series, v.limit_void->nreps);
	}
	if (v.split[0])
		rp_addf(&rest, "; %s", v.split);
	if (v.sure == RP_NOT_COMPARABLE)
		rp_addf(&rest, "; ⚠ not comparable: measured at round trips of %.0f and %.0f ns",
			best->rtt_before, run2 ? run2->rtt_before : NAN);
	const char *what;
	double u = rp_point_rtt_units(r, best, &what);
	if (isfinite(u)) {
		char t[32];
		rp_fmt_num(t, sizeof(t), u);
		rp_addf(&rest, "; %s RTT %s", t, what);
	}
	marks_text(&rest, best, run2);
	rp_addf(&com, "best=%s; by=%s", best->name, rp_metric_key(c));
	rp_doc_winner(d, v.answer, rp_str(&rest), rp_str(&com));
	rp_buf_free(&rest);
	rp_buf_free(&com);
}

static void point_notes(struct rp_buf *b, const struct rp_point *p)
{
	const char *sep = "";
#define NOTE(...)                                                                                  \
	do {                                                                                       \
		rp_add(b, sep);                                                                    \
		rp_addf(b, __VA_ARGS__);                                                           \
		sep = "; ";                                                                        \
	} while (0)
	if (p->limit && p->limit_void)
		NOTE("limit probe, disturbed in every repetition: no ceiling");
	else if (p->limit && p->limit_clean)
		NOTE("limit probe: a ceiling, not a contender; its figure from its %d undisturbed "
		     "repetitions",
		     p->limit_clean);
	else if (p->limit)
		NOTE("limit probe: a ceiling, not a contender");
	if (p->failed)
		NOTE("✗ failed: %s", p->error ? p->error : "no message");
	else if (!isfinite(p->fig.v))
		NOTE("no figure (null in the results)");
	if (p->drift) {
		NOTE("⚠ placement drift (");
		drift_detail(b, p);
		rp_add(b, ")");
	}
	if (p->disturbed) {
		NOTE("⚠ disturbed: ");
		disturbed_detail(b, p);
	}
	if (p->oversub)
		NOTE("oversubscribed");
	if (isfinite(p->fair_maxmin))
		NOTE("fairness max/min %.3g", p->fair_maxmin);
	if (isfinite(p->cpu_ns_per_op)) {
		char t[64];
		rp_fmt_time_ns(t, sizeof(t), p->cpu_ns_per_op);
		NOTE("CPU %s/op", t);
	}
	if (isfinite(p->max_concurrency)) {
		if (isfinite(p->permits) && p->max_concurrency > p->permits)
			NOTE("⚠ max concurrency %.0f above %.0f permits", p->max_concurrency,
			     p->permits);
		else
			NOTE("max concurrency %.0f", p->max_concurrency);
	}
	if (!p->failed && p->error)
		NOTE("some repetitions failed: %s", p->error);
#undef NOTE
}

static void chart_table(struct rp_doc *d, const struct rp_report *r, const struct rp_chart *c,
			struct rp_group *g, size_t ng)
{
	const char *hdr[8];
	size_t nh = 0;
	char *mh = rp_fmt("%s (median)", rp_metric_axis(c));

	hdr[nh++] = "strategy";
	if (c->kind == RP_LINES)
		hdr[nh++] = c->xname;
	if (c->kind == RP_CLUSTER)
		hdr[nh++] = "workload";
	hdr[nh++] = mh;
	hdr[nh++] = "± stddev";
	hdr[nh++] = "reps";
	hdr[nh++] = "in RTT";
	hdr[nh++] = "notes";
	rp_doc_table_begin(d, hdr, nh);
	for (size_t k = 0; k < ng; k++) {
		for (size_t i = 0; i < g[k].npts + g[k].nlim; i++) {
			size_t pi = i < g[k].npts ? g[k].pts[i] : g[k].lim[i - g[k].npts];
			const struct rp_point *p = &r->pts[pi];
			const char *cells[8], *what;
			char fig[64], sd[64], reps[32], rtt[64];
			struct rp_buf notes = {0};
			size_t nc = 0;
			cells[nc++] = p->label;
			if (c->kind == RP_LINES)
				cells[nc++] = p->xtext ? p->xtext : "";
			if (c->kind == RP_CLUSTER)
				cells[nc++] = p->cat;
			rp_fmt_metric(fig, sizeof(fig), c->metric, p->failed ? NAN : p->fig.v);
			rp_fmt_metric(sd, sizeof(sd), c->metric, p->failed ? NAN : p->fig.sd);
			snprintf(reps, sizeof(reps), "%d", p->fig.n);
			double u = rp_point_rtt_units(r, p, &what);
			if (isfinite(u)) {
				char t[32];
				rp_fmt_num(t, sizeof(t), u);
				snprintf(rtt, sizeof(rtt), "%s %s", t, what);
			} else
				snprintf(rtt, sizeof(rtt), "—");
			point_notes(&notes, p);
			cells[nc++] = fig;
			cells[nc++] = sd;
			cells[nc++] = reps;
			cells[nc++] = rtt;
			cells[nc++] = rp_str(&notes);
			rp_doc_table_row(d, cells, nc, 0);
			rp_buf_free(&notes);
		}
	}
	rp_doc_table_end(d);
	free(mh);
}

int rp_doc_chart_section(struct rp_doc *d, const struct rp_report *r, const struct rp_chart *c,
			 int *nwinners, char *err, size_t errlen)
{
	size_t ng;
	struct rp_group *g = rp_chart_groups(r, c, &ng);
	char *t;
	int rc = -1, any = 0;

	rp_addf(&d->md, "<a id=\"%s\"></a>\n\n", c->anchor);
	rp_addf(&d->html, "<section class=\"chart\" id=\"%s\">\n", c->anchor);
	rp_doc_heading(d, 3, c->title);
	for (size_t u = 0; u < r->nruns; u++)
		any |= c->file[u] != NULL;
	if (rp_doc_figures(d, c->file, r->nruns, c->title, 1, err, errlen) != 0)
		goto out;
	t = rp_fmt("fairness: %s", c->title);
	int irc = rp_doc_figures(d, c->fair_file, r->nruns, t, 1, err, errlen);
	free(t);
	if (irc != 0)
		goto out;
	if (!any)
		rp_doc_note(d, "no plot: no benchmark here has a figure");
	{
		struct rp_buf n = {0};
		if (c->maxreps >= 2)
			rp_addf(&n,
				"Figures: median over up to %d repetitions; error bars and ± are "
				"one standard deviation.",
				c->maxreps);
		else
			rp_add(&n, "Figures: one measurement each (no repetitions).");
		rp_addf(&n, " Compared by %s (%s is better).", rp_metric_key(c),
			c->higher ? "higher" : "lower");
		if (c->nhidden)
			rp_addf(&n,
				" The chart draws %d series (the answers, the runners-up, the "
				"baseline and the next best); the table has all %d.",
				c->nshown, c->nshown + c->nhidden);
		rp_doc_note(d, rp_str(&n));
		rp_buf_free(&n);
	}
	for (size_t k = 0; k < ng; k++) {
		winner_line(d, r, c, &g[k]);
		(*nwinners)++;
	}
	chart_table(d, r, c, g, ng);
	rc = 0;
out:
	rp_add(&d->html, "</section>\n");
	rp_groups_free(g, ng);
	return rc;
}

/* ---- families with their own tables ------------------------------------------------- */

static double entries_sum(const struct rp_point *p, const char *key)
{
	double s = 0, med = NAN;
	int have = 0;

	for (size_t i = 0; i < p->nent; i++) {
		const json_t *e = p->ent[i];
		const char *rt = ct_json_string(e, "run_type");
		double v;
		if (ct_json_number(e, key, &v) != 0 || !isfinite(v))
			continue;
		if (rt && !strcmp(rt, "aggregate")) {
			const char *a = ct_json_string(e, "aggregate_name");
			if (a && !strcmp(a, "median"))
				med = v;
		} else if (!json_is_true(json_object_get(e, "error_occurred"))) {
			s += v;
			have = 1;
		}
	}
	return have ? s : med;
}

const char *rp_doc_point_section(const struct rp_point *p)
{
	const char *s = rp_view_str(p->view, "section");
	return s ? s : "Results";
}

/* A table view's results: their outcome_* counts and forbidden_seen, summed over the
 * repetitions, a row per result (litmus tests). */
void rp_doc_table_section(struct rp_doc *d, const struct rp_report *r, const char *section)
{
	const char **keys = NULL;
	size_t nk = 0, ck = 0, np = 0;

	for (size_t i = 0; i < r->npts; i++) {
		const struct rp_point *p = &r->pts[i];
		if (p->fam != RP_TABLE || strcmp(rp_doc_point_section(p), section) != 0)
			continue;
		np++;
		for (size_t k = 0; k < p->nent; k++) {
			const char *key;
			json_t *v;
			json_object_foreach ((json_t *)p->ent[k], key, v) {
				if (strncmp(key, "outcome_", 8) != 0)
					continue;
				size_t j;
				for (j = 0; j < nk && strcmp(keys[j], key) != 0; j++)
					;
				if (j == nk)
					RP_PUSH(keys, nk, ck, key);
			}
		}
	}
	if (!np) {
		free(keys);
		return;
	}
	/* outcome_00 < outcome_01 < ... */
	for (size_t a = 1; a < nk; a++)
		for (size_t k = a; k > 0 && strcmp(keys[k - 1], keys[k]) > 0; k--) {
			const char *t = keys[k];
			keys[k] = keys[k - 1];
			keys[k - 1] = t;
		}
	rp_doc_heading(d, 3, "Outcomes seen");
	{
		/* each table view's notes, once */
		const char **seen = NULL;
		size_t ns = 0, cs = 0;
		for (size_t i = 0; i < r->npts; i++) {
			const struct rp_point *p = &r->pts[i];
			const char *n = rp_view_str(p->view, "notes");
			if (p->fam != RP_TABLE || strcmp(rp_doc_point_section(p), section) != 0 ||
			    !n)
				continue;
			size_t j;
			for (j = 0; j < ns && strcmp(seen[j], n) != 0; j++)
				;
			if (j == ns) {
				RP_PUSH(seen, ns, cs, n);
				rp_doc_note(d, n);
			}
		}
		free(seen);
		rp_doc_note(d, "Counts over every trial of every repetition.");
	}
	const char **hdr = rp_xrealloc(NULL, (nk + 4) * sizeof(char *));
	char **own = rp_xrealloc(NULL, (nk + 4) * sizeof(char *));
	size_t nh = 0;
	hdr[nh++] = "test";
	hdr[nh++] = "ordering";
	for (size_t k = 0; k < nk; k++) {
		own[k] = rp_fmt("r1r2 = %s", keys[k] + 8);
		hdr[nh++] = own[k];
	}
	hdr[nh++] = "forbidden seen";
	rp_doc_table_begin(d, hdr, nh);
	for (size_t i = 0; i < r->npts; i++) {
		const struct rp_point *p = &r->pts[i];
		if (p->fam != RP_TABLE || strcmp(rp_doc_point_section(p), section) != 0)
			continue;
		char **cell = rp_xrealloc(NULL, (nk + 4) * sizeof(char *));
		size_t nc = 0;
		const char *title = rp_view_str(p->view, "title");
		cell[nc++] =
		    rp_fmt("%s%s%s", title ? title : p->workload, r->nruns > 1 ? " · " : "",
			   r->nruns > 1 ? r->runs[p->run].label : "");
		cell[nc++] = rp_strdup(p->series);
		for (size_t k = 0; k < nk; k++) {
			double v = entries_sum(p, keys[k]);
			cell[nc++] = isfinite(v) ? rp_fmt("%.0f", v) : rp_strdup("—");
		}
		double f = entries_sum(p, "forbidden_seen");
		if (p->failed)
			cell[nc++] = rp_fmt("✗ failed: %s", p->error ? p->error : "no message");
		else if (!isfinite(f))
			cell[nc++] = rp_strdup("—");
		else if (f > 0)
			cell[nc++] = rp_fmt("⚠ %.0f times", f);
		else
			cell[nc++] = rp_strdup("never");
		rp_doc_table_row(d, (const char *const *)cell, nc, 0);
		for (size_t k = 0; k < nc; k++)
			free(cell[k]);
		free(cell);
	}
	rp_doc_table_end(d);
	for (size_t k = 0; k < nk; k++)
		free(own[k]);
	free(own);
	free(hdr);
	free(keys);
}

int rp_doc_c2c_section(struct rp_doc *d, const struct rp_report *r, char *err, size_t errlen)
{
	int any = 0;

	for (size_t u = 0; u < r->nruns; u++)
		any |= r->runs[u].c2c_file != NULL;
	if (!any)
		return 0;
	rp_doc_heading(d, 3, "Core-to-core cache-line round trip");
	rp_doc_note(d,
		    "The physical limit every other figure is held against: the time for a cache "
		    "line to go from one PU to another and back. Each result's own RTT unit is the "
		    "round trip the harness measured just before it (rtt_before_ns).");
	for (size_t u = 0; u < r->nruns; u++) {
		if (!r->runs[u].c2c_file)
			continue;
		char *alt = rp_fmt("core-to-core round trip, %s", r->runs[u].label);
		int rc = rp_doc_image(d, r->runs[u].c2c_file, alt, err, errlen);
		free(alt);
		if (rc)
			return -1;
	}
	return 0;
}

void rp_doc_other_section(struct rp_doc *d, const struct rp_report *r)
{
	const char *hdr[] = {"benchmark", "run", "time per iteration", "items per second", "notes"};
	struct rp_buf fams = {0};

	if (!r->nother)
		return;
	rp_doc_heading(d, 2, "Other results");
	for (size_t i = 0; i < r->npts; i++) {
		const struct rp_point *p = &r->pts[i];
		if (p->fam != RP_OTHER)
			continue;
		const char *sl = strchr(p->name, '/');
		char *f = p->workload
			      ? rp_strdup(p->workload)
			      : rp_fmt("%.*s", (int)(sl ? (size_t)(sl - p->name) : strlen(p->name)),
				       p->name);
		char *quoted = rp_fmt("%s,", f);
		struct rp_buf all = {0};
		rp_addf(&all, "%s,", rp_str(&fams));
		if (!strstr(rp_str(&all), quoted) || !fams.len)
			rp_addf(&fams, "%s%s", fams.len ? ", " : "", f);
		rp_buf_free(&all);
		free(quoted);
		free(f);
	}
	char *w = rp_fmt("%zu benchmark%s of workloads without a report view in their run (%s): "
			 "shown as they are, with no plot and no winner.",
			 r->nother, r->nother == 1 ? "" : "s", rp_str(&fams));
	rp_doc_warn(d, w);
	free(w);
	rp_doc_table_begin(d, hdr, 5);
	for (size_t i = 0; i < r->npts; i++) {
		const struct rp_point *p = &r->pts[i];
		if (p->fam != RP_OTHER)
			continue;
		char tm[64], it[64];
		struct rp_buf notes = {0};
		struct rp_stat ts = {NAN, NAN, 0, 0};
		double items = rp_point_counter(p, "items_per_second").v;
		/* time: median over repetitions, in ns */
		ts.v = p->fig.v;
		rp_fmt_time_ns(tm, sizeof(tm), p->failed ? NAN : ts.v);
		rp_fmt_metric(it, sizeof(it), RP_M_ITEMS, p->failed ? NAN : items);
		point_notes(&notes, p);
		const char *cells[] = {p->name, r->runs[p->run].label, tm, it, rp_str(&notes)};
		rp_doc_table_row(d, cells, 5, 0);
		rp_buf_free(&notes);
	}
	rp_doc_table_end(d);
	rp_buf_free(&fams);
}

void rp_doc_failed_section(struct rp_doc *d, const struct rp_report *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->npts; i++)
		n += r->pts[i].failed;
	if (!n)
		return;
	rp_doc_heading(d, 2, "Failed benchmarks");
	rp_doc_para(d, "These reported an error instead of a figure (a wrong answer, a crash, a "
		       "deadline); they are left out of every comparison.");
	const char *hdr[] = {"benchmark", "run", "error"};
	rp_doc_table_begin(d, hdr, 3);
	for (size_t i = 0; i < r->npts; i++) {
		const struct rp_point *p = &r->pts[i];
		if (!p->failed)
			continue;
		const char *cells[] = {p->name, r->runs[p->run].label,
				       p->error ? p->error : "no message"};
		rp_doc_table_row(d, cells, 3, 0);
	}
	rp_doc_table_end(d);
}
