/*
 * history_plot.c - each history chart's data as CSV, its gnuplot script (plots/history.gp
 * filled in), and gnuplot run on it with a deadline, for a PNG and an SVG.
 *
 * The CSV holds what the plot shows in the plot's units (named in its first line); the
 * flagged and improved points are in NAME-marks.csv. Runs are evenly spaced along x (their
 * order matters, not the hours between them), the tics their UTC start times.
 */
#include "history.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* ---- the metric in words and units ------------------------------------------------- */

const char *hi_metric_words(const struct ct_metric *m)
{
	if (!strcmp(m->name, "real_time"))
		return "wall time per iteration";
	if (!strcmp(m->name, "cpu_time"))
		return "CPU time per iteration";
	if (!strcmp(m->name, "items_per_second"))
		return "items per second";
	return m->name;
}

void hi_fmt_value(char *out, size_t n, const struct ct_metric *m, double v)
{
	if (!isfinite(v))
		snprintf(out, n, "—");
	else if (m->is_time)
		rp_fmt_time_ns(out, n, v);
	else if (m->is_rate)
		rp_fmt_metric(out, n, RP_M_ITEMS, v);
	else
		rp_fmt_num(out, n, v);
}

/* Display unit for a chart: divide by *div. */
static const char *pick_unit(const struct ct_metric *m, double vmax, double *div)
{
	*div = 1;
	if (m->is_rate)
		return "per second";
	if (!m->is_time)
		return NULL; /* a counter: its own unit, as recorded */
	return rp_time_unit(vmax, div);
}

/* ---- one chart -------------------------------------------------------------------------- */

static const char *const colour[] = {"#0072b2", "#e69f00", "#009e73", "#9400d3",
				     "#56b4e9", "#a0522d", "#000000", "#ff69b4",
				     "#808000", "#00ced1", "#708090", "#f0e442"};

/* The change of the benchmark's row in the transition into run u, as "+23.1 %". */
static void change_text(const struct hi_model *m, const struct hi_bench *b, size_t u, char *out,
			size_t n)
{
	snprintf(out, n, "%s", b->mark[u] == HI_FLAGGED ? "regression" : "");
	const struct ct_report *rep = &m->trans[u].rep;
	for (size_t i = 0; i < rep->n; i++)
		if (!strcmp(rep->rows[i].name, b->name) && isfinite(rep->rows[i].change)) {
			snprintf(out, n, "%+.0f%%", rep->rows[i].change);
			return;
		}
}

static int plot_chart(struct hi_model *m, struct hi_chart *c, const char *dir, int *nplots,
		      char *err, size_t errlen)
{
	struct rp_chart_text txt = {0};
	double vmin = INFINITY, vmax = 0, div = 1;
	int rc = -1, nflag = 0, nimp = 0;
	char name[PATH_MAX], cell[64];
	/* a chart's benchmarks share a workload, so a metric: its first one's */
	const struct ct_metric *mt = c->nb ? &m->benches[c->b[0]].m : &m->o.metric;

	for (size_t j = 0; j < c->nb; j++)
		for (size_t u = 0; u < m->nruns; u++) {
			double v = m->benches[c->b[j]].med[u];
			if (!isfinite(v))
				continue;
			if (v > 0 && v < vmin)
				vmin = v;
			if (v > vmax)
				vmax = v;
		}
	if (!(vmax > 0))
		return 0; /* nothing to draw; history.md says so */
	const char *unit = pick_unit(mt, vmax, &div);
	int logy = vmin > 0 && vmax / vmin >= 30;

	/* data */
	rp_addf(&txt.csv, "# %s: %s", c->title, hi_metric_words(mt));
	if (unit)
		rp_addf(&txt.csv, " (%s)", unit);
	rp_add(&txt.csv,
	       "; each run's median over its repetitions; NaN: not in that run\nrun,date");
	for (size_t j = 0; j < c->nb; j++) {
		rp_add(&txt.csv, ",");
		rp_csv_text(&txt.csv, m->benches[c->b[j]].series);
	}
	rp_add(&txt.csv, "\n");
	for (size_t u = 0; u < m->nruns; u++) {
		rp_addf(&txt.csv, "%zu,%s", u + 1, m->runs[u].tic);
		for (size_t j = 0; j < c->nb; j++) {
			const struct hi_bench *b = &m->benches[c->b[j]];
			double v = b->med[u];
			if (!isfinite(v)) {
				rp_add(&txt.csv, ",NaN");
				continue;
			}
			rp_addf(&txt.csv, ",%.6g", v / div);
			if (b->mark[u] != HI_NONE) {
				change_text(m, b, u, cell, sizeof(cell));
				rp_addf(&txt.marks, "%zu,%.6g,%s,%s\n", u + 1, v / div,
					b->mark[u] == HI_FLAGGED ? "flagged" : "improved", cell);
				nflag += b->mark[u] == HI_FLAGGED;
				nimp += b->mark[u] == HI_IMPROVED;
			}
		}
		rp_add(&txt.csv, "\n");
	}
	snprintf(name, sizeof(name), "%s.csv", c->file);
	if (rp_write_text(dir, name, &txt.csv, err, errlen) != 0)
		goto out;
	if (txt.marks.len) {
		if (rp_write_marks(dir, c->file, "run,value,kind,change", &txt.marks, err,
				   errlen) != 0)
			goto out;
		snprintf(name, sizeof(name), "%s-marks.csv", c->file);
		if (nflag)
			rp_addf(
			    &txt.mk,
			    ", \\\n\t'%s' using 1:(strcol(3) eq \"flagged\" ? column(2) : NaN) "
			    "skip 1 with points pt 6 ps 3.4 lw 3 lc rgb \"#d00000\" title "
			    "\"REGRESSION vs the run before it\", \\\n\t'%s' "
			    "using 1:(strcol(3) eq \"flagged\" ? column(2) : NaN):4 skip 1 with "
			    "labels offset 0,1.8 tc rgb \"#d00000\" font \",10\" notitle",
			    name, name);
		if (nimp)
			rp_addf(
			    &txt.mk,
			    ", \\\n\t'%s' using 1:(strcol(3) eq \"improved\" ? column(2) : NaN) "
			    "skip 1 with points pt 8 ps 2.6 lw 2 lc rgb \"#009e73\" title "
			    "\"improved vs the run before it\"",
			    name);
	}

	/* script */
	rp_gp_text(&txt.title, c->title);
	{
		char *sub = rp_fmt("history of %s over %zu runs of %s", hi_metric_words(mt),
				   m->nruns, m->dir);
		rp_add(&txt.title, "\\n");
		rp_gp_text(&txt.title, sub);
		free(sub);
	}
	if (unit)
		rp_addf(&txt.ylabel, "%s (%s), median of the repetitions", hi_metric_words(mt),
			unit);
	else
		rp_addf(&txt.ylabel, "%s (as recorded), median of the repetitions",
			hi_metric_words(mt));
	rp_add(&txt.xlabel, "run start (UTC), oldest first; runs evenly spaced, not to time scale");
	rp_addf(&txt.note,
		"%s is better. Red circle: contend compare of this run against the one before it "
		"flags a regression (> %g %% worse, Mann-Whitney p < %g). Dashed: no earlier run "
		"to compare with.",
		mt->higher_better ? "higher" : "lower", m->o.threshold, m->o.alpha);
	if (logy)
		rp_addf(&txt.settings, "set logscale y\nset yrange [%.6g:%.6g]\n", vmin / div / 1.6,
			vmax / div * 1.6);
	else
		rp_addf(&txt.settings, "set yrange [0:%.6g]\n", vmax / div * 1.2);
	if (mt->is_rate)
		rp_add(&txt.settings, "set format y \"%.1s %c\"\n");
	if (m->nruns > 8)
		rp_add(&txt.settings, "set xtics rotate by -40\n");
	rp_addf(&txt.settings, "set xrange [0.5:%zu.5]\n", m->nruns);
	for (size_t j = 0; j < c->nb; j++)
		rp_addf(&txt.settings, "set linetype %zu lc rgb \"%s\" dt %zu\n", j + 1,
			colour[j % (sizeof(colour) / sizeof(colour[0]))],
			j / (sizeof(colour) / sizeof(colour[0])) % 5 + 1);
	if (c->nb > 16)
		rp_add(&txt.settings, "set key font \",8\" spacing 0.9\n");
	for (size_t u = 1; u < m->nruns; u++)
		if (!m->trans[u].compared)
			rp_addf(
			    &txt.settings,
			    "set arrow from %zu.5, graph 0 to %zu.5, graph 1 nohead dt 2 lw 1.5 "
			    "lc rgb \"#888888\"\n",
			    u, u);
	if (rp_draw_chart(m->gnuplot, m->plot_timeout, "history", "history.gp", c->nb, &txt, dir,
			  c->file, err, errlen) != 0)
		goto out;
	(*nplots)++;
	rc = 1;
out:
	rp_chart_text_free(&txt);
	return rc;
}

/* A file name some chart of the history already has. */
static int history_file_taken(const void *ctx, const char *cand)
{
	const struct hi_model *m = ctx;
	for (size_t i = 0; i < m->ncharts; i++)
		if (m->charts[i].file && !strcmp(m->charts[i].file, cand))
			return 1;
	return 0;
}

int hi_plots_write(struct hi_model *m, const char *dir, int *nplots, char *err, size_t errlen)
{
	*nplots = 0;
	for (size_t i = 0; i < m->ncharts; i++) {
		struct hi_chart *c = &m->charts[i];
		c->file = rp_unique_file(c->key, "history", history_file_taken, m);
		int rc = plot_chart(m, c, dir, nplots, err, errlen);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			free(c->file);
			c->file = NULL;
		}
	}
	return 0;
}
