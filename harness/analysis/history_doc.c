/*
 * history_doc.c - history.md: the index of a history, its verdict tables per transition.
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

static void md_code(struct rp_buf *b, const char *s)
{
	rp_add(b, "`");
	for (; *s; s++)
		rp_addn(b, *s == '`' ? "'" : *s == '|' ? "¦" : *s == '\n' ? " " : s, 1);
	rp_add(b, "`");
}

static void verdict_table(struct hi_model *m, struct rp_buf *b, int which, const char *none)
{
	int any = 0;
	char vb[64], vn[64];

	for (size_t u = 1; u < m->nruns; u++) {
		const struct ct_report *rep = &m->trans[u].rep;
		for (size_t i = 0; i < rep->n; i++) {
			const struct ct_row *r = &rep->rows[i];
			int hit = which == HI_FLAGGED ? (r->verdict == CT_V_REGRESSION ||
							 r->verdict == CT_V_FAILED_NEW)
						      : r->verdict == CT_V_IMPROVED;
			if (!hit)
				continue;
			if (!any++)
				rp_add(b, "| benchmark | runs | before | after | change | p | "
					  "verdict |\n|---|---|---:|---:|---:|---:|---|\n");
			rp_add(b, "| ");
			md_code(b, r->name);
			hi_fmt_value(vb, sizeof(vb), &r->m, r->base);
			hi_fmt_value(vn, sizeof(vn), &r->m, r->new);
			rp_addf(b, " | #%zu → #%zu | %s | %s | ", m->trans[u].from + 1, u + 1, vb,
				vn);
			if (isfinite(r->change))
				rp_addf(b, "%+.1f %%", r->change);
			else
				rp_add(b, "—");
			if (isfinite(r->p))
				rp_addf(b, " | %.3g | ", r->p);
			else
				rp_add(b, " | — | ");
			rp_addf(b, "%s%s", ct_verdict_word(r->verdict),
				r->threshold_only ? " (threshold only)" : "");
			if (r->note[0]) {
				rp_add(b, ": ");
				rp_md_esc(b, r->note);
			}
			rp_add(b, " |\n");
		}
	}
	if (!any)
		rp_addf(b, "%s\n", none);
	rp_add(b, "\n");
}

int hi_write_md(struct hi_model *m, const char *dir, char *err, size_t errlen)
{
	struct rp_buf b = {0};
	const char *host = ct_json_string(json_object_get(m->runs[0].root, "context"), "host_name");
	char v[64];
	size_t ncomp = 0;
	int rc;

	for (size_t u = 1; u < m->nruns; u++)
		ncomp += (size_t)m->trans[u].compared;
	rp_add(&b, "# Benchmark history: ");
	md_code(&b, m->dir);
	char metric[300];
	if (m->o.metric.declared)
		snprintf(metric, sizeof(metric),
			 "each benchmark's declared metric, in its direction");
	else
		snprintf(metric, sizeof(metric), "%s (`%s`, %s is better)",
			 hi_metric_words(&m->o.metric), m->o.metric.name,
			 m->o.metric.higher_better ? "higher" : "lower");
	rp_addf(
	    &b,
	    "\n\n%zu run%s of host %s, oldest first. Metric: %s; each "
	    "figure is a run's median over its repetitions. Each run is compared with the one "
	    "before it (or the latest earlier one of the same profile, placement and machine) "
	    "by the code of `contend compare` (Mann-Whitney U over the repetitions, "
	    "Benjamini-Hochberg over the benchmarks, threshold %g %%, false discovery rate %g): "
	    "a **flagged** transition is one where it calls a benchmark a REGRESSION or a new "
	    "failure. %zu of %zu transition%s compared.\n\n",
	    m->nruns, m->nruns == 1 ? "" : "s", host ? host : "?", metric, m->o.threshold,
	    m->o.alpha, ncomp, m->nruns ? m->nruns - 1 : 0, m->nruns == 2 ? "" : "s");

	rp_add(&b, "## Runs\n\n| # | run | start (UTC) | ordered by | commit | profile | "
		   "placement |\n|---:|---|---|---|---|---|---|\n");
	for (size_t u = 0; u < m->nruns; u++) {
		const json_t *ctx = json_object_get(m->runs[u].root, "context");
		const char *commit = ct_json_string(ctx, "git_commit");
		const char *prof = ct_json_string(ctx, "profile");
		const char *pl = ct_json_string(ctx, "placement");
		rp_addf(&b, "| %zu | ", u + 1);
		md_code(&b, m->runs[u].name);
		rp_addf(&b, " | %s | %s | %.12s | %s | %s |\n", m->runs[u].when, m->runs[u].by,
			commit ? commit : "?", prof ? prof : "?", pl ? pl : "?");
	}
	rp_add(&b, "\n## Flagged transitions\n\n");
	verdict_table(m, &b, HI_FLAGGED,
		      "None: compare flagged no benchmark between consecutive runs.");
	rp_add(&b, "## Improvements (not flagged)\n\n");
	verdict_table(m, &b, HI_IMPROVED, "None.");
	rp_add(&b,
	       "## Transitions\n\nEach run against the run before it (or, where compare refuses "
	       "that one, the latest earlier run it accepts) and what compare said of its "
	       "benchmarks (unreliable: repetitions the harness marked drift or disturbed, "
	       "never decided).\n\n");
	for (size_t u = 1; u < m->nruns; u++) {
		const struct hi_trans *t = &m->trans[u];
		if (!t->compared) {
			rp_addf(&b, "- #%zu: ", u + 1);
			rp_add(&b, "**not compared**: ");
			rp_md_esc(&b, t->why ? t->why : "");
			rp_add(&b, "\n");
			continue;
		}
		rp_addf(&b, "- #%zu → #%zu: ", t->from + 1, u + 1);
		if (t->from + 1 != u)
			rp_addf(&b, "(#%zu is not comparable) ", u);
		size_t count[CT_V_ONLY_NEW + 1] = {0};
		for (size_t i = 0; i < t->rep.n; i++)
			if ((size_t)t->rep.rows[i].verdict <= CT_V_ONLY_NEW)
				count[t->rep.rows[i].verdict]++;
		rp_addf(&b, "%zu benchmark%s:", t->rep.n, t->rep.n == 1 ? "" : "s");
		const char *sep = " ";
		for (size_t v = 0; v <= CT_V_ONLY_NEW; v++)
			if (count[v]) {
				rp_addf(&b, "%s%zu %s", sep, count[v],
					ct_verdict_word((enum ct_verdict)v));
				sep = ", ";
			}
		if (t->why && t->why[0]) {
			rp_add(&b, "; note: ");
			rp_md_esc(&b, t->why);
		}
		rp_add(&b, "\n");
	}
	rp_add(&b, "\n");

	rp_add(&b, "## Charts\n\nOne per workload and thread count (as `contend report` groups "
		   "them), a line per strategy. In the tables a flagged figure is in bold with ▲, "
		   "an improved one has ▼.\n\n");
	for (size_t ci = 0; ci < m->ncharts; ci++) {
		const struct hi_chart *c = &m->charts[ci];
		rp_add(&b, "### ");
		rp_md_esc(&b, c->title);
		rp_add(&b, "\n\n");
		if (c->file)
			rp_addf(&b,
				"![%s](%s.png)\n\n[SVG](%s.svg) · [data](%s.csv) · "
				"[gnuplot script](%s.gp)\n\n",
				c->file, c->file, c->file, c->file, c->file);
		else
			rp_addf(&b, "No plot: no run has %s for these benchmarks.\n\n",
				m->o.metric.name);
		rp_add(&b, "| benchmark |");
		for (size_t u = 0; u < m->nruns; u++)
			rp_addf(&b, " #%zu |", u + 1);
		rp_add(&b, "\n|---|");
		for (size_t u = 0; u < m->nruns; u++)
			rp_add(&b, "---:|");
		rp_add(&b, "\n");
		for (size_t j = 0; j < c->nb; j++) {
			const struct hi_bench *hb = &m->benches[c->b[j]];
			rp_add(&b, "| ");
			md_code(&b, hb->name);
			rp_add(&b, " |");
			for (size_t u = 0; u < m->nruns; u++) {
				hi_fmt_value(v, sizeof(v), &hb->m, hb->med[u]);
				if (hb->mark[u] == HI_FLAGGED)
					rp_addf(&b, " **%s ▲** |", v);
				else if (hb->mark[u] == HI_IMPROVED)
					rp_addf(&b, " %s ▼ |", v);
				else
					rp_addf(&b, " %s |", v);
			}
			rp_add(&b, "\n");
		}
		rp_add(&b, "\n");
	}
	char *path = rp_fmt("%s/history.md", dir);
	rc = ct_write_file_atomic(path, rp_str(&b), b.len, err, errlen);
	free(path);
	rp_buf_free(&b);
	return rc;
}
