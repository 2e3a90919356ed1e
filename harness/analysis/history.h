/*
 * history.h - the insides of `contend history DIR` (cmd_history.c): the runs of one host in
 * time order, each benchmark's median per run, the verdict `contend compare` gives each
 * pair of consecutive runs, and the charts (history_plot.c).
 *
 * A chart is one workload at one x value, as `contend report` names it (its chart key and
 * title from rp_build(), plus the threads, capacity or permits): a line per strategy, the
 * runs along x. A point is flagged when compare calls the benchmark a REGRESSION (or a new
 * failure) between the previous run and this one.
 */
#ifndef CONTEND_HISTORY_H
#define CONTEND_HISTORY_H

#include <stddef.h>

#include <jansson.h>

#include "compare.h"

struct hi_run {
	char *path;	     /* DIR/<name> */
	char *name;	     /* the run directory's name (its stamp) */
	json_t *root;	     /* the loaded results */
	double t;	     /* start, seconds since the epoch (UTC); NaN when unknown */
	const char *by;	     /* what t came from: "date", "stamp" or "name" */
	char when[32];	     /* t as "2026-11-20 10:00:00" (UTC), or "?" */
	char tic[64];	     /* the short x tic label */
	struct ct_runset rs; /* every benchmark's samples of the metric */
};

/* Into run i: from run i-1, or the latest earlier run compare accepts (see the .c). */
struct hi_trans {
	size_t from;  /* the run compared with */
	int compared; /* 0: no run to compare with, or compare refused (why) */
	char *why;    /* why not, or compare's notes (malloc'd, may be "") */
	struct ct_report rep;
};

enum { HI_NONE = 0, HI_FLAGGED = 1, HI_IMPROVED = 2 };

struct hi_bench {
	char *name;
	char *series; /* the line's title in its chart */
	size_t chart;
	double *med;	    /* per run: median of the metric, NaN where absent */
	int *mark;	    /* per run: HI_FLAGGED / HI_IMPROVED from the transition into it */
	struct ct_metric m; /* the metric its values are of (its declared one, or --metric) */
};

struct hi_chart {
	char *key, *title;
	size_t *b; /* indices into benches, in the order of the results */
	size_t nb, capb;
	char *file; /* base name of its files, NULL when nothing was drawn */
};

struct hi_model {
	const char *dir;
	struct hi_run *runs;
	size_t nruns;
	struct hi_trans *trans; /* nruns entries; [0] unused */
	struct hi_bench *benches;
	size_t nbenches, capbenches;
	struct hi_chart *charts;
	size_t ncharts, capcharts;
	struct ct_decide_opts o;
	const char *gnuplot;
	double plot_timeout;
};

/* Write each chart's CSV, gnuplot script, PNG and SVG into dir; -1 with a message. */
int hi_plots_write(struct hi_model *m, const char *dir, int *nplots, char *err, size_t errlen);

/* "wall time per iteration" and its display: unit chosen for values up to vmax. */
const char *hi_metric_words(const struct ct_metric *m);
void hi_fmt_value(char *out, size_t n, const struct ct_metric *m, double v);

/* history.md into dir: the index, and the verdict of each transition. 0, or -1 with err. */
int hi_write_md(struct hi_model *m, const char *dir, char *err, size_t errlen);

/*
 * Load the runs of dir, compare each with the one before, and write the plots and
 * history.md into out_opt (NULL: dir/history), replacing a previous history whole. m holds
 * the options (o, plot_timeout, gnuplot). Exit status 0; fatal (ct_die) otherwise.
 */
int ct_history_run(struct hi_model *m, const char *dir, const char *out_opt);

#endif
