/*
 * report_layout.c - a chart's table for one run: which series it shows (at most
 * RP_MAX_SERIES, the answers first), and its rows (x values, strategies or a cluster's
 * workloads), columns (series) and the point in each cell. report_plot.c writes it out as
 * CSV and draws it.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static size_t index_of(const char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return i;
	return (size_t)-1;
}

static const char *row_of(const struct rp_chart *c, const struct rp_point *p)
{
	switch (c->kind) {
	case RP_LINES:
		return p->xtext;
	case RP_BARS:
		return p->series;
	case RP_CLUSTER:
		return p->cat;
	}
	return NULL;
}

static const char *col_of(const struct rp_chart *c, const struct rp_point *p)
{
	return c->kind == RP_BARS ? "median" : p->series;
}

/* A chart's series for run u, at most RP_MAX_SERIES: each group's answer, then each
 * group's runner-up, then the limit probes, then the baseline, then the rest by their mean place in
 * the groups. NULL-terminated array of series names into out (room for RP_MAX_SERIES + 1); returns
 * how many series run u has in all. */
size_t rp_pick_series(const struct rp_report *r, const struct rp_chart *c, size_t u,
		      const char **out)
{
	size_t ng, nall = 0, call = 0, nout = 0;
	struct rp_group *g = rp_chart_groups(r, c, &ng);
	const char **all = NULL;
	double *place = NULL; /* the sum of each series' places in the groups, and */
	int *seen = NULL;     /* in how many groups it has one: both nall long */

	for (size_t k = 0; k < ng; k++) {
		if (g[k].run != (int)u)
			continue;
		for (size_t i = 0; i < g[k].npts + g[k].nlim; i++) {
			/* the limit probes after the contenders */
			size_t pi = i < g[k].npts ? g[k].pts[i] : g[k].lim[i - g[k].npts];
			const char *s = r->pts[pi].series;
			size_t j = index_of(all, nall, s);
			if (j == (size_t)-1) {
				RP_PUSH(all, nall, call, s);
				place = rp_xrealloc(place, nall * sizeof(double));
				seen = rp_xrealloc(seen, nall * sizeof(int));
				j = nall - 1;
				place[j] = 0;
				seen[j] = 0;
			}
			if (place && seen) {
				place[j] += (double)i;
				seen[j]++;
			}
		}
	}
	for (int pass = 0; pass < 5 && nout < RP_MAX_SERIES; pass++) {
		if (pass == 2) { /* the ceilings the answers are held against */
			for (size_t k = 0; k < ng && nout < RP_MAX_SERIES; k++)
				for (size_t i = 0; i < g[k].nlim && nout < RP_MAX_SERIES; i++) {
					const char *s = r->pts[g[k].lim[i]].series;
					if (g[k].run == (int)u &&
					    index_of(out, nout, s) == (size_t)-1)
						out[nout++] = s;
				}
		} else if (pass < 2) {
			for (size_t k = 0; k < ng && nout < RP_MAX_SERIES; k++) {
				struct rp_verdict v;
				if (g[k].run != (int)u)
					continue;
				rp_verdict_of(r, c, &g[k], &v);
				const struct rp_point *q = pass == 0 ? v.best : v.second;
				if (q && (pass == 1 || v.nok) &&
				    index_of(out, nout, q->series) == (size_t)-1)
					out[nout++] = q->series;
			}
		} else if (pass == 3) {
			for (size_t j = 0; j < nall && nout < RP_MAX_SERIES && c->baseline; j++) {
				size_t n = strlen(c->baseline);
				if (!strncmp(all[j], c->baseline, n) &&
				    (all[j][n] == '\0' || all[j][n] == '/') &&
				    index_of(out, nout, all[j]) == (size_t)-1)
					out[nout++] = all[j];
			}
		} else {
			while (nout < RP_MAX_SERIES) {
				size_t bj = (size_t)-1;
				for (size_t j = 0; j < nall; j++) {
					if (index_of(out, nout, all[j]) != (size_t)-1)
						continue;
					if (bj == (size_t)-1 ||
					    place[j] / seen[j] < place[bj] / seen[bj])
						bj = j;
				}
				if (bj == (size_t)-1)
					break;
				out[nout++] = all[bj];
			}
		}
	}
	out[nout] = NULL;
	free(all);
	free(place);
	free(seen);
	rp_groups_free(g, ng);
	return nall;
}

static int cmp_x(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) - isnan(b);
	return (a > b) - (a < b);
}

/* The layout of run u's points; shown (NULL-terminated) limits the series. */
void rp_layout_build(const struct rp_report *r, const struct rp_chart *c, size_t u,
		     const char *const *shown, struct rp_layout *L)
{
	size_t cr = 0, cc = 0, nshown = 0;

	while (shown && shown[nshown])
		nshown++;
	memset(L, 0, sizeof(*L));
	for (size_t i = 0; i < c->npts; i++) {
		const struct rp_point *p = &r->pts[c->pts[i]];
		const char *row = row_of(c, p), *col = col_of(c, p);
		if (p->run != (int)u)
			continue;
		if (c->kind != RP_BARS && shown &&
		    index_of((const char **)shown, nshown, p->series) == (size_t)-1)
			continue;
		if (row && index_of(L->rows, L->nrows, row) == (size_t)-1) {
			size_t n0 = L->nrows;
			RP_PUSH(L->rows, L->nrows, cr, row);
			L->rowx = rp_xrealloc(L->rowx, cr * sizeof(double));
			L->rowover = rp_xrealloc(L->rowover, cr * sizeof(int));
			L->rowx[n0] = p->x;
			L->rowover[n0] = 0;
		}
		if (index_of(L->cols, L->ncols, col) == (size_t)-1)
			RP_PUSH(L->cols, L->ncols, cc, col);
	}
	if (c->kind == RP_LINES) {
		/* rows in x order (insertion sort: few rows) */
		for (size_t i = 1; i < L->nrows; i++)
			for (size_t j = i; j > 0 && cmp_x(L->rowx[j - 1], L->rowx[j]) > 0; j--) {
				const char *t = L->rows[j];
				double x = L->rowx[j];
				L->rows[j] = L->rows[j - 1];
				L->rowx[j] = L->rowx[j - 1];
				L->rows[j - 1] = t;
				L->rowx[j - 1] = x;
			}
		if (c->xordinal)
			for (size_t i = 0; i < L->nrows; i++)
				L->rowx[i] = (double)i;
	}
	L->cell = rp_xrealloc(NULL, (L->nrows * L->ncols + 1) * sizeof(long));
	for (size_t i = 0; i < L->nrows * L->ncols; i++)
		L->cell[i] = -1;
	for (size_t i = 0; i < c->npts; i++) {
		const struct rp_point *p = &r->pts[c->pts[i]];
		const char *row = row_of(c, p);
		if (!row || p->run != (int)u)
			continue;
		size_t ri = index_of(L->rows, L->nrows, row);
		size_t ci = index_of(L->cols, L->ncols, col_of(c, p));
		if (ri == (size_t)-1 || ci == (size_t)-1)
			continue;
		if (L->cell[ri * L->ncols + ci] < 0)
			L->cell[ri * L->ncols + ci] = (long)c->pts[i];
		if (c->kind == RP_LINES && p->oversub)
			L->rowover[ri] = 1;
	}
}

void rp_layout_free(struct rp_layout *L)
{
	free(L->rows);
	free(L->rowx);
	free(L->rowover);
	free(L->cols);
	free(L->cell);
}
