/*
 * report_plot.c - each chart's data as CSV and its gnuplot script (a template from plots/
 * filled in), drawn by gnuplot (report_gnuplot.c) into a PNG and an SVG.
 *
 * The CSV holds exactly what the plot shows, in the plot's units (named in its first
 * line), so a reader can re-plot by hand: `gnuplot NAME.gp` in the report directory.
 */
#include "report.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resultsio.h"

/* ---- one chart ---------------------------------------------------------------------- */

const char *rp_time_unit(double vmax, double *div)
{
	*div = 1;
	if (vmax < 2e3)
		return "ns";
	if (vmax < 2e6)
		return *div = 1e3, "µs";
	if (vmax < 2e9)
		return *div = 1e6, "ms";
	return *div = 1e9, "s";
}

/* Display unit for a chart: divide values by *div, name the unit. */
static const char *pick_unit(enum rp_metric m, double vmax, double *div)
{
	if (m == RP_M_ITEMS)
		return *div = 1, "/s";
	return rp_time_unit(vmax, div);
}

struct series_val {
	double v, sd;
};

typedef struct series_val (*cell_fn)(const struct rp_point *p);

static struct series_val cell_metric(const struct rp_point *p)
{
	/* a limit probe disturbed in every repetition gives no ceiling: not drawn as one */
	if (p->limit_void)
		return (struct series_val){NAN, NAN};
	return (struct series_val){p->fig.v, p->fig.sd};
}

static struct series_val cell_fair(const struct rp_point *p)
{
	struct rp_stat s = rp_point_counter(p, "fair_maxmin");
	return (struct series_val){s.v, s.sd};
}

static void run_subtitle(const struct rp_report *r, size_t u, struct rp_buf *b)
{
	if (r->nruns == 1) {
		const char *pl = ct_json_string(r->runs[0].ctx, "placement");
		const char *host = ct_json_string(r->runs[0].ctx, "host_name");
		rp_addf(b, "placement %s, host %s", pl ? pl : "?", host ? host : "?");
	} else {
		rp_addf(b, "run %zu of %zu: %s", u + 1, r->nruns, r->runs[u].label);
	}
}

/* FNV-1a: a strategy's place in the palette, the same in every chart. */
static unsigned long name_hash(const char *s)
{
	unsigned long h = 2166136261UL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619UL;
	return h & 0xffffffffUL;
}

static void stat_note(const struct rp_chart *c, struct rp_buf *b)
{
	if (c->maxreps >= 2)
		rp_addf(b,
			"points: median over up to %d repetitions; error bars: ± one standard "
			"deviation",
			c->maxreps);
	else
		rp_add(b, "points: one measurement each (no repetitions, so no error bars)");
}

/* Draw one chart into dir/file.{csv,gp,png,svg}; *drawn is 0 when it has no figure. */
static int plot_chart(struct rp_report *r, struct rp_chart *c, size_t u, const char *dir,
		      const char *file, cell_fn fn, const char *ylabel_in, int *drawn, int *nplots,
		      char *err, size_t errlen)
{
	struct rp_layout L;
	struct rp_chart_text txt = {0};
	double vmin = INFINITY, vmax = 0, hmax = 0, div = 1;
	int rc = -1, fair = fn == cell_fair;
	char name[PATH_MAX];

	const char *shown[RP_MAX_SERIES + 1];
	size_t nall = rp_pick_series(r, c, u, shown);
	rp_layout_build(r, c, u, shown, &L);
	if (c->kind != RP_BARS && !fair) {
		int hidden = (int)(nall - L.ncols);
		if ((int)L.ncols > c->nshown)
			c->nshown = (int)L.ncols;
		if (hidden > c->nhidden)
			c->nhidden = hidden;
	}
	/* a series with nothing to draw (a run without this counter) is left out */
	for (size_t j = L.ncols; j-- > 0;) {
		int any = 0;
		for (size_t i = 0; i < L.nrows && !any; i++) {
			long k = L.cell[i * L.ncols + j];
			any = k >= 0 && isfinite(fn(&r->pts[k]).v);
		}
		if (any)
			continue;
		for (size_t i = 0; i < L.nrows; i++)
			for (size_t jj = j; jj + 1 < L.ncols; jj++)
				L.cell[i * L.ncols + jj] = L.cell[i * L.ncols + jj + 1];
		/* re-pack rows to the narrower width */
		for (size_t i = 0; i < L.nrows; i++)
			memmove(&L.cell[i * (L.ncols - 1)], &L.cell[i * L.ncols],
				(L.ncols - 1) * sizeof(long));
		memmove(&L.cols[j], &L.cols[j + 1], (L.ncols - j - 1) * sizeof(char *));
		L.ncols--;
	}
	for (size_t i = 0; i < L.nrows * L.ncols; i++) {
		if (L.cell[i] < 0)
			continue;
		struct series_val sv = fn(&r->pts[L.cell[i]]);
		if (!isfinite(sv.v))
			continue;
		if (sv.v > 0 && sv.v < vmin)
			vmin = sv.v;
		if (sv.v > vmax)
			vmax = sv.v;
		double hi = sv.v + (isfinite(sv.sd) ? sv.sd : 0);
		if (hi > hmax)
			hmax = hi;
	}
	if (!(vmax > 0)) {
		/* nothing to draw: no plot, the tables say why */
		rc = 0;
		*drawn = 0;
		goto out;
	}
	const char *unit = fair ? "" : pick_unit(c->metric, vmax, &div);
	int logy = vmin > 0 && vmax / vmin >= 30;
	double lo_clamp = logy ? vmin / div / 1.6 : -INFINITY;

	/* CSV */
	rp_addf(&txt.csv, "# %s: %s", c->title,
		fair ? "per-thread operations, max/min" : ylabel_in);
	if (!fair)
		rp_addf(&txt.csv, " (%s)", unit);
	rp_addf(&txt.csv, "; %s; low/high = value -/+ one standard deviation\n",
		c->maxreps >= 2 ? "median over the repetitions" : "one measurement each");
	rp_add(&txt.csv, c->kind == RP_LINES	 ? "x,"
			 : c->kind == RP_CLUSTER ? "workload"
						 : "strategy");
	if (c->kind == RP_LINES)
		rp_csv_text(&txt.csv, c->xname);
	for (size_t j = 0; j < L.ncols; j++) {
		rp_add(&txt.csv, ",");
		rp_csv_text(&txt.csv, L.cols[j]);
		rp_add(&txt.csv, ",");
		rp_csv_text(&txt.csv, L.cols[j]);
		rp_add(&txt.csv, " low,");
		rp_csv_text(&txt.csv, L.cols[j]);
		rp_add(&txt.csv, " high");
	}
	rp_add(&txt.csv, "\n");
	int have_marks[3] = {0, 0, 0};
	for (size_t i = 0; i < L.nrows; i++) {
		if (c->kind == RP_LINES) {
			/* break the lines before oversubscription */
			if (i > 0 && L.rowover[i] && !L.rowover[i - 1])
				rp_add(&txt.csv, "\n");
			rp_addf(&txt.csv, "%.17g,", L.rowx[i]);
		}
		rp_csv_text(&txt.csv, L.rows[i]);
		for (size_t j = 0; j < L.ncols; j++) {
			long k = L.cell[i * L.ncols + j];
			struct series_val sv = {NAN, NAN};
			if (k >= 0)
				sv = fn(&r->pts[k]);
			if (!isfinite(sv.v)) {
				rp_add(&txt.csv, ",,,");
				continue;
			}
			double v = sv.v / div, sd = isfinite(sv.sd) ? sv.sd / div : 0;
			double lo = v - sd, hi = v + sd;
			if (lo < lo_clamp)
				lo = lo_clamp;
			rp_addf(&txt.csv, ",%.6g,%.6g,%.6g", v, lo, hi);
			if (c->kind == RP_LINES) {
				const struct rp_point *p = &r->pts[k];
				static const char *const kinds[] = {"drift", "oversubscribed",
								    "disturbed"};
				int flags[3] = {p->drift, p->oversub, p->disturbed};
				for (int f = 0; f < 3; f++) {
					if (!flags[f])
						continue;
					have_marks[f] = 1;
					rp_addf(&txt.marks, "%.17g,%.6g,%s\n", L.rowx[i], v,
						kinds[f]);
				}
			}
		}
		rp_add(&txt.csv, "\n");
	}
	snprintf(name, sizeof(name), "%s.csv", file);
	if (rp_write_text(dir, name, &txt.csv, err, errlen) != 0)
		goto out;
	if (txt.marks.len) {
		if (rp_write_marks(dir, file, "x,y,kind", &txt.marks, err, errlen) != 0)
			goto out;
		static const char *const kinds[] = {"drift", "oversubscribed", "disturbed"};
		static const char *const style[] = {
		    "pt 6 ps 2.8 lw 1.5 lc rgb \"black\" title \"placement drift\"",
		    "pt 4 ps 2.4 lw 1.5 lc rgb \"#888888\" title \"oversubscribed\"",
		    "pt 8 ps 2.4 lw 1.5 lc rgb \"#cc0000\" title \"disturbed\""};
		for (int f = 0; f < 3; f++)
			if (have_marks[f])
				rp_addf(&txt.mk,
					", \\\n\t'%s-marks.csv' using 1:(strcol(3) eq \"%s\" ? "
					"column(2) : NaN) skip 1 with points %s",
					file, kinds[f], style[f]);
	}

	/* script */
	rp_gp_text(&txt.title, fair ? "lock fairness: " : "");
	rp_gp_text(&txt.title, c->title);
	rp_add(&txt.title, "\\n");
	{
		struct rp_buf sub = {0};
		const char *what = fair			     ? "max/min"
				   : c->metric == RP_M_ITEMS ? "throughput"
							     : ylabel_in;
		if (c->kind == RP_LINES)
			rp_addf(&sub, "%s against %s; ", what, c->xname);
		else
			rp_addf(&sub, "%s by %s; ", what,
				c->kind == RP_CLUSTER ? "workload and strategy" : "strategy");
		run_subtitle(r, u, &sub);
		rp_gp_text(&txt.title, rp_str(&sub));
		rp_buf_free(&sub);
	}
	if (fair)
		rp_gp_text(&txt.ylabel, "per-thread operations, max/min (1 = fair)");
	else if (c->metric == RP_M_ITEMS)
		rp_addf(&txt.ylabel, "%s", ylabel_in);
	else
		rp_addf(&txt.ylabel, "%s (%s)", ylabel_in, unit);
	{
		struct rp_buf n = {0};
		stat_note(c, &n);
		if (c->xordinal)
			rp_add(&n, "; capacity axis evenly spaced, not to scale");
		rp_gp_text(&txt.note, rp_str(&n));
		rp_buf_free(&n);
	}
	if (logy) {
		rp_addf(&txt.settings, "set logscale y\nset yrange [%.6g:%.6g]\n", vmin / div / 1.6,
			hmax / div * 1.6);
	} else {
		rp_addf(&txt.settings, "set yrange [0:%.6g]\n", hmax / div * 1.12);
	}
	if (c->metric == RP_M_ITEMS && !fair)
		rp_addf(&txt.settings, "set format y \"%s\"\n", logy ? "%.0s %c" : "%.1s %c");
	{
		/* A colour per strategy, from its name: the same in every chart. Two series
		 * of one chart never look alike: on a clash, lines change their dash (the
		 * colour stays), bars take the next free colour. */
		static const char *const colour[] = {"#0072b2", "#e69f00", "#009e73", "#cc79a7",
						     "#56b4e9", "#d55e00", "#000000", "#8c564b",
						     "#7f7f7f", "#9400d3"};
		static const int point[] = {7, 5, 9, 11, 13, 15};
		const size_t ncolour = sizeof(colour) / sizeof(colour[0]);
		size_t *lc = rp_xrealloc(NULL, (L.ncols + 1) * sizeof(size_t));
		int *dt = rp_xrealloc(NULL, (L.ncols + 1) * sizeof(int));
		int *pt = rp_xrealloc(NULL, (L.ncols + 1) * sizeof(int));
		for (size_t j = 0; j < L.ncols; j++) {
			unsigned long h =
			    name_hash(c->kind == RP_BARS ? r->runs[u].label : L.cols[j]);
			lc[j] = h % ncolour;
			pt[j] = point[(h / ncolour) % 6];
			dt[j] = 1;
			for (int clash = 1; clash;) {
				clash = 0;
				for (size_t k = 0; k < j && !clash; k++)
					clash =
					    lc[k] == lc[j] && (c->kind != RP_LINES ||
							       (dt[k] == dt[j] && pt[k] == pt[j]));
				if (clash && c->kind == RP_LINES)
					dt[j]++;
				else if (clash)
					lc[j] = (lc[j] + 1) % ncolour;
			}
			rp_addf(&txt.settings, "set linetype %zu lc rgb \"%s\" dt %d pt %d\n",
				j + 1, colour[lc[j]], dt[j], pt[j]);
		}
		free(lc);
		free(dt);
		free(pt);
		if (L.ncols > 16)
			rp_add(&txt.settings, "set key font \",8\" spacing 0.9\n");
	}
	if (c->kind == RP_LINES && !c->xordinal && L.nrows > 0) {
		double xmin = L.rowx[0], xmax = L.rowx[L.nrows - 1];
		if (xmin > 0 && xmax / xmin >= 4)
			rp_add(&txt.settings, "set logscale x 2\n");
	}
	if (c->kind != RP_LINES) {
		size_t longest = 0;
		for (size_t i = 0; i < L.nrows; i++)
			if (strlen(L.rows[i]) > longest)
				longest = strlen(L.rows[i]);
		if (L.nrows * longest > 60)
			rp_add(&txt.settings, "set xtics rotate by -30\n");
		if (c->kind == RP_BARS && L.ncols == 1)
			rp_add(&txt.settings, "set key off\n");
		if (c->kind == RP_CLUSTER)
			rp_add(&txt.settings, "set key title \"strategy\"\n");
	}
	rp_add(&txt.xlabel, c->kind == RP_LINES	    ? c->xname
			    : c->kind == RP_CLUSTER ? "workload"
						    : "strategy");
	if (rp_draw_chart(r->gnuplot, r->plot_timeout, "report",
			  c->kind == RP_LINES ? "lines.gp" : "bars.gp", L.ncols, &txt, dir, file,
			  err, errlen) != 0)
		goto out;
	(*nplots)++;
	*drawn = 1;
	rc = 0;
out:
	rp_layout_free(&L);
	rp_chart_text_free(&txt);
	return rc;
}

/* ---- the core-to-core matrix -------------------------------------------------------- */

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

static int plot_c2c(struct rp_report *r, struct rp_run *u, const char *dir, const char *file,
		    int *nplots, char *err, size_t errlen)
{
	json_t *c2c = json_object_get(u->ctx, "c2c"), *e;
	long *pu = NULL;
	size_t npu = 0, cap = 0, i;
	struct rp_buf csv = {0}, title = {0}, settings = {0}, labels = {0};
	double *m = NULL;
	int rc = -1;
	char name[PATH_MAX];

	json_array_foreach (c2c, i, e) {
		double a, b, v;
		if (ct_json_number(e, "a", &a) || ct_json_number(e, "b", &b) ||
		    ct_json_number(e, "rtt_ns", &v))
			continue;
		long ab[2] = {(long)a, (long)b};
		for (int k = 0; k < 2; k++) {
			size_t j;
			for (j = 0; j < npu && pu[j] != ab[k]; j++)
				;
			if (j == npu)
				RP_PUSH(pu, npu, cap, ab[k]);
		}
	}
	if (npu < 2) {
		free(pu);
		return 0;
	}
	qsort(pu, npu, sizeof(long), cmp_long);
	m = rp_xrealloc(NULL, npu * npu * sizeof(double));
	for (size_t k = 0; k < npu * npu; k++)
		m[k] = NAN;
	json_array_foreach (c2c, i, e) {
		double a, b, v;
		size_t ia = 0, ib = 0;
		if (ct_json_number(e, "a", &a) || ct_json_number(e, "b", &b) ||
		    ct_json_number(e, "rtt_ns", &v) || !isfinite(v))
			continue;
		while (pu[ia] != (long)a)
			ia++;
		while (pu[ib] != (long)b)
			ib++;
		m[ia * npu + ib] = v;
		if (isnan(m[ib * npu + ia]))
			m[ib * npu + ia] = v;
	}
	rp_add(&csv, "# core-to-core cache-line round trip (ns), from the run's context \"c2c\"\n");
	rp_add(&csv, "row,col,pu_a,pu_b,rtt_ns\n");
	for (size_t a = 0; a < npu; a++)
		for (size_t b = 0; b < npu; b++) {
			if (isnan(m[a * npu + b]))
				rp_addf(&csv, "%zu,%zu,%ld,%ld,NaN\n", a, b, pu[a], pu[b]);
			else
				rp_addf(&csv, "%zu,%zu,%ld,%ld,%.6g\n", a, b, pu[a], pu[b],
					m[a * npu + b]);
		}
	snprintf(name, sizeof(name), "%s.csv", file);
	if (rp_write_text(dir, name, &csv, err, errlen) != 0)
		goto out;
	rp_add(&settings, "set xtics (");
	for (size_t a = 0; a < npu; a++)
		rp_addf(&settings, "%s\"%ld\" %zu", a ? ", " : "", pu[a], a);
	rp_add(&settings, ")\nset ytics (");
	for (size_t a = 0; a < npu; a++)
		rp_addf(&settings, "%s\"%ld\" %zu", a ? ", " : "", pu[a], a);
	rp_addf(&settings, ")\nset xrange [-0.5:%zu.5]\nset yrange [%zu.5:-0.5]\n", npu - 1,
		npu - 1);
	if (npu <= 16)
		rp_add(&labels, ", \\\n\tdata using 2:1:(strcol(5) eq \"NaN\" ? \"\" : "
				"sprintf(\"%.0f\", column(5))) skip 1 with labels notitle");
	rp_gp_text(&title, "core-to-core cache-line round trip");
	rp_add(&title, "\\n");
	rp_gp_text(&title, u->label);
	snprintf(name, sizeof(name), "%s.csv", file);
	struct rp_field f[] = {
	    {"DATA", name},
	    {"TITLE", rp_str(&title)},
	    {"NOTE", "each cell: median round trip between the two PUs, in ns; blank: not "
		     "measured"},
	    {"SETTINGS", rp_str(&settings)},
	    {"LABELS", rp_str(&labels)},
	    {"OUT", file},
	};
	if (rp_draw(r->gnuplot, r->plot_timeout, "report", "heatmap.gp", f,
		    sizeof(f) / sizeof(f[0]), dir, file, err, errlen) != 0)
		goto out;
	u->c2c_file = rp_strdup(file);
	(*nplots)++;
	rc = 0;
out:
	free(pu);
	free(m);
	rp_buf_free(&csv);
	rp_buf_free(&title);
	rp_buf_free(&settings);
	rp_buf_free(&labels);
	return rc;
}

/* ---- all of them -------------------------------------------------------------------- */

char *rp_unique_file(const char *want, const char *reserved,
		     int (*taken)(const void *ctx, const char *name), const void *ctx)
{
	struct rp_buf b = {0};
	rp_file_token(&b, want);
	if (!b.len)
		rp_add(&b, "chart");
	for (int k = 1;; k++) {
		char *cand = k == 1 ? rp_strdup(rp_str(&b)) : rp_fmt("%s-%d", rp_str(&b), k);
		if (strcmp(cand, reserved) != 0 && !taken(ctx, cand)) {
			rp_buf_free(&b);
			return cand;
		}
		free(cand);
	}
}

/* A file name some chart of the report already has. */
static int report_file_taken(const void *ctx, const char *cand)
{
	const struct rp_report *r = ctx;
	for (size_t i = 0; i < r->ncharts; i++)
		for (size_t u = 0; u < r->nruns; u++)
			if ((r->charts[i].file[u] && !strcmp(r->charts[i].file[u], cand)) ||
			    (r->charts[i].fair_file[u] && !strcmp(r->charts[i].fair_file[u], cand)))
				return 1;
	for (size_t i = 0; i < r->nruns; i++)
		if (r->runs[i].c2c_file && !strcmp(r->runs[i].c2c_file, cand))
			return 1;
	return 0;
}

/* A file base name no other chart has. */
static char *unique_file(struct rp_report *r, const char *want)
{
	return rp_unique_file(want, "report", report_file_taken, r);
}

int rp_plots_write(struct rp_report *r, const char *dir, int *nplots, char *err, size_t errlen)
{
	*nplots = 0;
	for (size_t ci = 0; ci < r->ncharts; ci++) {
		struct rp_chart *c = &r->charts[ci];
		int fair = 0;
		for (size_t i = 0; i < c->npts && !fair; i++)
			fair = isfinite(r->pts[c->pts[i]].fair_maxmin);
		fair &= c->kind == RP_LINES;
		for (size_t u = 0; u < r->nruns; u++) {
			int drawn = 0;
			char *want =
			    r->nruns > 1 ? rp_fmt("%s-r%zu", c->key, u + 1) : rp_strdup(c->key);
			c->file[u] = unique_file(r, want);
			free(want);
			if (plot_chart(r, c, u, dir, c->file[u], cell_metric, rp_metric_axis(c),
				       &drawn, nplots, err, errlen) != 0)
				return -1;
			if (!drawn) {
				free(c->file[u]);
				c->file[u] = NULL;
			}
			if (!fair)
				continue;
			want = r->nruns > 1 ? rp_fmt("%s-fairness-r%zu", c->key, u + 1)
					    : rp_fmt("%s-fairness", c->key);
			c->fair_file[u] = unique_file(r, want);
			free(want);
			if (plot_chart(r, c, u, dir, c->fair_file[u], cell_fair, "fairness", &drawn,
				       nplots, err, errlen) != 0)
				return -1;
			if (!drawn) {
				free(c->fair_file[u]);
				c->fair_file[u] = NULL;
			}
		}
	}
	for (size_t u = 0; u < r->nruns; u++) {
		char *want = r->nruns > 1 ? rp_fmt("c2c-%zu", u + 1) : rp_strdup("c2c");
		char *file = unique_file(r, want);
		free(want);
		int rc = plot_c2c(r, &r->runs[u], dir, file, nplots, err, errlen);
		free(file);
		if (rc != 0)
			return -1;
	}
	return 0;
}
