/*
 * report.h - the insides of `contend report` (cmd_report.c): the model built from results
 * files (report_model.c, its figures in report_figures.c), the verdicts and the answers table
 * (report_answers.c), the plots (report_plot.c, each chart's table laid out in report_layout.c,
 * drawn by gnuplot in report_gnuplot.c), the Markdown and HTML documents (report_doc.c, its
 * sections in report_doc_machine.c and report_doc_sections.c, their own report_doc.h), and small
 * string helpers (report_util.c).
 *
 * Data flows one way: results JSON -> points (one per benchmark and run, with its figure:
 * the median over repetitions and a standard deviation) -> charts (one per workload and
 * parameters, as the workload's view in the results says; a series per strategy) ->
 * verdicts per group of comparable points -> CSV + gnuplot scripts + PNG/SVG (a file per
 * run, at most RP_MAX_SERIES series) -> answers.json, report.md and report.html.
 */
#ifndef CONTEND_REPORT_H
#define CONTEND_REPORT_H

#include <signal.h>
#include <stddef.h>

#include <jansson.h>

/* ---- strings (report_util.c); allocation failure ends the program --------------------- */

struct rp_buf {
	char *p;
	size_t len, cap;
};

void rp_add(struct rp_buf *b, const char *s);
void rp_addn(struct rp_buf *b, const char *s, size_t n);
__attribute__((format(printf, 2, 3))) void rp_addf(struct rp_buf *b, const char *fmt, ...);
void rp_buf_free(struct rp_buf *b);
/* The buffer's text (never NULL). */
const char *rp_str(const struct rp_buf *b);

void *rp_xrealloc(void *p, size_t n);
char *rp_strdup(const char *s);
__attribute__((format(printf, 1, 2))) char *rp_fmt(const char *fmt, ...);

/* Append one element to a growable array: RP_PUSH(arr, n, cap, value). */
#define RP_PUSH(arr, n, cap, val)                                                                  \
	do {                                                                                       \
		if ((n) == (cap)) {                                                                \
			(cap) = (cap) ? 2 * (cap) : 16;                                            \
			(arr) = rp_xrealloc((arr), (cap) * sizeof((arr)[0]));                      \
		}                                                                                  \
		(arr)[(n)++] = (val);                                                              \
	} while (0)

/* 41.2 M, 950 k, 3.1 (three significant digits, SI prefix). */
void rp_fmt_si(char *out, size_t n, double v);
/* 56.2 ns, 1.23 µs, 4.5 ms, 2.01 s. */
void rp_fmt_time_ns(char *out, size_t n, double ns);
/* A plain number with three significant digits (no exponent below 1e6). */
void rp_fmt_num(char *out, size_t n, double v);

/* Escape for HTML text, for a Markdown table cell, or make a file-name-safe token. */
void rp_html_esc(struct rp_buf *b, const char *s);
void rp_md_esc(struct rp_buf *b, const char *s);
void rp_file_token(struct rp_buf *b, const char *s);
void rp_base64(struct rp_buf *b, const unsigned char *data, size_t n);

/* ---- the model (report_model.c; its figures in report_figures.c) ------------------- */

/* What a point is to the report: a result of a workload with a view drawn in a chart, one
 * whose view asks for a table of counts, or one without a view (the "other" table). */
enum rp_fam {
	RP_VIEW,
	RP_TABLE,
	RP_OTHER,
};

/* What a chart compares: the figure and which way is better. */
enum rp_metric {
	RP_M_ITEMS, /* a rate (items_per_second) */
	RP_M_TIME,  /* a time, held in ns (real_time or a *_ns, *_us, *_ms, *_s counter) */
	RP_M_PLAIN, /* a number in its own unit */
};

enum rp_kind {
	RP_LINES,   /* x varies: a line per series */
	RP_BARS,    /* one x: a bar per series */
	RP_CLUSTER, /* workloads of one cluster: a group of bars per workload, a bar per strategy */
};

/* A figure over repetitions: the median, the standard deviation (NAN without
 * repetitions), and how many repetitions it rests on. v is NAN when missing. */
struct rp_stat {
	double v, sd;
	int n;
	int sd_from_agg; /* sd is Google Benchmark's stddev aggregate */
};

struct rp_run {
	const char *arg;
	json_t *root;
	json_t *ctx, *benches;
	char *label;	  /* host/placement, and its stamp or commit when that is not unique */
	const char *arch; /* context.arch, or "" */
	json_t *views;	  /* context.contend_views, or NULL */
	char *dir;	  /* the directory holding its results.json */
	char *c2c_file;	  /* base name of its core-to-core heatmap, or NULL */
};

struct rp_point {
	int run;
	char *name; /* run_name: the benchmark's full name without aggregate suffix */
	enum rp_fam fam;
	const char *workload, *strategy; /* as the result says */
	int limit; /* a limit probe of its view (view.limits): a ceiling, not a contender */
	const json_t *params; /* its "params" object (may be NULL) */
	const json_t *view;   /* its workload's view in its run, or NULL */
	char *series; /* the strategy, plus the view's series parameters ("mpmc_ring/spin") */
	char *label;  /* series name in plots: the series (the run is in the chart's file) */
	char *cat;    /* a cluster's group of bars: the workload, less the cluster's prefix */
	char *ckey;   /* chart key: workload and every parameter but x and the series */
	char *title;  /* chart title (workload, parameters, threads) */
	char *ctext;  /* what sets its chart apart: "p:1, c:1, msg:8, 1 thread", or "" */
	char *desc;   /* this point's workload in words, for the winner line */
	char *xname;  /* the x axis in words (the view's x_label) */
	char *xtext;  /* its value as written */
	double x;     /* its value as a number (INFINITY for unbounded, NAN if none) */
	long threads;
	const json_t **ent; /* every entry of this benchmark in its run */
	size_t nent, capent;
	/* filled by rp_build() */
	struct rp_stat fig;
	double rtt_before, rtt_after, disturbed_pct, handoff_rtt, latency_rtt, fair_maxmin, fair_cv,
	    cpu_ns_per_op, max_concurrency, permits;
	int drift, oversub, disturbed, failed;
	int ndrift, nreps; /* repetitions marked for drift, of how many */
	int ndisturbed;	   /* repetitions marked disturbed; disturbed_pct is then their largest */
	/* a limit probe with disturbed repetitions: its figure is the median of the
	 * undisturbed ones (a ceiling is what the machine reaches when nothing else runs);
	 * limit_void: every one disturbed, so it gives no ceiling */
	int limit_clean, limit_void;
	double drift_before, drift_after; /* the round trips of the first drifted one */
	const char *error;
	int chart; /* index into rp_report.charts, -1 for litmus and other */
};

struct rp_chart {
	enum rp_fam fam;
	const json_t *view; /* of its first point */
	const char *section, *question, *baseline, *mlabel;
	int higher; /* higher is better */
	char *key, *title, *xname, *ctext;
	enum rp_kind kind;
	enum rp_metric metric;
	const char *mkey; /* the results key compared: items_per_second, real_time, a counter */
	double mscale;	  /* ns per unit of a time counter (1e3 for *_us) */
	size_t *pts;
	size_t npts, cappts;
	char **file;	  /* per run: base name of its files in the report directory, or NULL */
	char **fair_file; /* per run: its fairness chart (max/min of per-thread counts), or NULL */
	char *anchor;	  /* its section's id in the HTML */
	int nshown;	  /* series drawn in its charts (at most RP_MAX_SERIES) */
	int nhidden;	  /* series left to the table */
	int xordinal;	  /* x drawn at evenly spaced positions (capacity: 0 .. unbounded) */
	int maxreps;	  /* most repetitions behind one point */
};

struct rp_report {
	struct rp_run *runs;
	size_t nruns;
	struct rp_point *pts;
	size_t npts, cappts;
	struct rp_chart *charts;
	size_t ncharts, capcharts;
	size_t nknown, nother; /* points of known and of unknown families */
	double plot_timeout;   /* seconds, per gnuplot invocation */
	const char *gnuplot;   /* the gnuplot program */
};

/* Load every RUN (ct_results_load) and check it holds benchmarks; -1 with a one-line
 * message. */
int rp_load(struct rp_report *r, int nruns, char **runs, char *err, size_t errlen);
/* Parse names, group into charts, compute every figure. */
void rp_build(struct rp_report *r);
void rp_free(struct rp_report *r);
/* For rp_build, from report_figures.c: a results entry's count for key (0 when absent, not
 * finite or out of range) and whether it is an aggregate; what chart c is compared by
 * (its metric, scale and direction); point p's figure, counters and marks. */
long rp_entry_count(const json_t *e, const char *key);
int rp_entry_is_aggregate(const json_t *e);
void rp_choose_metric(const struct rp_report *r, struct rp_chart *c);
void rp_point_figures(struct rp_report *r, struct rp_point *p);

/* At most this many series in one chart: the rest are in the table. */
#define RP_MAX_SERIES 8

/* The view's string for key, or NULL. */
const char *rp_view_str(const json_t *view, const char *key);
/* The value a chart compares, for one results entry (times in ns); NAN if absent. */
double rp_metric_value(const struct rp_chart *c, const json_t *e);
/* A counter's median over the point's repetitions (and sd from them). */
struct rp_stat rp_point_counter(const struct rp_point *p, const char *key);
/* 1 if a is better than b in c. */
int rp_better(const struct rp_chart *c, double a, double b);
/* How many times better best is than other in c (>= 1 when best is better). */
double rp_ratio(const struct rp_chart *c, double best, double other);
const char *rp_metric_key(const struct rp_chart *c);
/* Y axis label and table units. */
const char *rp_metric_axis(const struct rp_chart *c);
void rp_fmt_metric(char *out, size_t n, enum rp_metric m, double v);
/* "4.1", "12", "208": a ratio or a figure with about three significant digits. */
void rp_fmt_ratio(char *out, size_t n, double v);

/* Per operation, in units of the cache-line round trip: the family's own counter where
 * it has one, else the time per operation over rtt_before_ns; NAN where not meaningful. */
double rp_point_rtt_units(const struct rp_report *r, const struct rp_point *p, const char **what);

/* ---- running gnuplot (report_gnuplot.c) ------------------------------------------- */

/* Set (non-zero) by a signal: plotting stops, kills gnuplot, and fails. */
extern volatile sig_atomic_t *rp_stop;

/* Check the templates exist in ct_plots_dir(); -1 with a message. */
int rp_plots_check(char *err, size_t errlen);
/* Find gnuplot on PATH; NULL if missing. */
const char *rp_find_gnuplot(void);
/* Replace every @KEY@ of plots/<tmpl> by its value into out; -1 with a message. */
struct rp_field {
	const char *key;
	const char *val;
};
int rp_fill_template(const char *tmpl, const struct rp_field *f, size_t nf, struct rp_buf *out,
		     char *err, size_t errlen);
/* Text inside a gnuplot double-quoted string; a CSV cell (no separators, no quotes). */
void rp_gp_text(struct rp_buf *b, const char *s);
void rp_csv_text(struct rp_buf *b, const char *s);
/* Run gnuplot on script in dir, its process group killed after timeout seconds or when
 * *rp_stop is set; what it said goes to err on failure. who names the command in notes. */
int rp_run_gnuplot(const char *gnuplot, double timeout, const char *who, const char *dir,
		   const char *script, char *err, size_t errlen);
/* Both dir/base.png and dir/base.svg exist and are not empty. */
int rp_check_output(const char *dir, const char *base, char *err, size_t errlen);
/* dir/name := b, atomically. */
int rp_write_text(const char *dir, const char *name, const struct rp_buf *b, char *err,
		  size_t errlen);

/* Fill plots/<tmpl> with f, write it as dir/FILE.gp, run gnuplot on it (as
 * rp_run_gnuplot) and check that it drew dir/FILE.png and .svg; -1 with a message. */
int rp_draw(const char *gnuplot, double timeout, const char *who, const char *tmpl,
	    const struct rp_field *f, size_t nf, const char *dir, const char *file, char *err,
	    size_t errlen);
/* A chart's texts for plots/lines.gp, bars.gp or history.gp: its CSV and marked points
 * (for dir/FILE.csv and FILE-marks.csv), and the script's title, axis labels, note,
 * settings and the plot clauses (mk) that draw the marks. */
struct rp_chart_text {
	struct rp_buf csv, marks, title, xlabel, ylabel, note, settings, mk;
};
void rp_chart_text_free(struct rp_chart_text *t);
/* Fill plots/<tmpl> with t's texts for dir/FILE.csv of nseries series and draw it (as
 * rp_draw); -1 with a message. */
int rp_draw_chart(const char *gnuplot, double timeout, const char *who, const char *tmpl,
		  size_t nseries, const struct rp_chart_text *t, const char *dir, const char *file,
		  char *err, size_t errlen);
/* dir/FILE-marks.csv := the line header, then body (a chart's marked points). */
int rp_write_marks(const char *dir, const char *file, const char *header, const struct rp_buf *body,
		   char *err, size_t errlen);

/* ---- a chart's layout (report_layout.c) --------------------------------------------- */

/* Run u's points of a chart as a table: a row per x value (lines), strategy (bars) or
 * workload (clusters), a column per series. */
struct rp_layout {
	const char **rows; /* row labels */
	double *rowx;	   /* LINES: x position */
	int *rowover;	   /* LINES: a point of this row is oversubscribed */
	size_t nrows;
	const char **cols; /* column (series) labels */
	size_t ncols;
	long *cell; /* nrows*ncols point indices, -1 where none */
};

/* A chart's series for run u, at most RP_MAX_SERIES: each group's answer, then each
 * group's runner-up, then the baseline, then the rest by their mean place in the
 * groups. NULL-terminated array of series names into out (room for RP_MAX_SERIES + 1);
 * returns how many series run u has in all. */
size_t rp_pick_series(const struct rp_report *r, const struct rp_chart *c, size_t u,
		      const char **out);
/* The layout of run u's points; shown (NULL-terminated) limits the series. */
void rp_layout_build(const struct rp_report *r, const struct rp_chart *c, size_t u,
		     const char *const *shown, struct rp_layout *L);
void rp_layout_free(struct rp_layout *L);

/* ---- plots (report_plot.c) -------------------------------------------------------- */

/* A time axis's unit for values (ns) up to vmax: "ns", "µs", "ms" or "s"; *div the
 * divisor from ns to it. */
const char *rp_time_unit(double vmax, double *div);
/* A chart's file base name for want: rp_file_token of it ("chart" if that is empty), then
 * NAME-2, NAME-3 ... until one is not reserved and taken(ctx, NAME) says it is free.
 * malloc'd. */
char *rp_unique_file(const char *want, const char *reserved,
		     int (*taken)(const void *ctx, const char *name), const void *ctx);

/* Write each chart's CSV and gnuplot script into dir and run gnuplot on it; -1 with a
 * message on the first failure. *nplots counts the PNG+SVG pairs drawn. */
int rp_plots_write(struct rp_report *r, const char *dir, int *nplots, char *err, size_t errlen);

/* ---- verdicts (report_answers.c) ---------------------------------------------------- */

/* Points compared with one another: one run, one x value (lines) or one workload of a
 * cluster (clusters), or the whole chart (bars). pts: best first, missing last; the limit
 * probes are not among them but in lim (best first): a ceiling is not a contender. */
struct rp_group {
	int run;
	const char *row; /* x text (lines), the cluster's workload (clusters), NULL (bars) */
	double x;
	size_t *pts;
	size_t npts, cap;
	size_t *lim;
	size_t nlim, caplim;
};

/* A chart's groups, lines in x order, then run; free with rp_groups_free. */
struct rp_group *rp_chart_groups(const struct rp_report *r, const struct rp_chart *c, size_t *ng);
void rp_groups_free(struct rp_group *g, size_t ng);

enum rp_sure { RP_CLEAR, RP_TIE, RP_NOT_COMPARABLE, RP_UNRELIABLE, RP_NO_FIGURE };
const char *rp_sure_word(enum rp_sure s);

#define RP_MAX_TIE 16
/*
 * What one group says. Two figures are a tie when less than 3 % apart, when the gap is
 * within one standard deviation of either, or, with no repetitions to tell, when less than
 * 5 % apart. The tie group is every strategy tied with the best; the runner-up is the best
 * outside it. Not comparable: the best and the second best were measured at cache-line
 * round trips more than 1.5x apart. Unreliable: either is marked for drift or disturbance.
 */
struct rp_verdict {
	const struct rp_point *best, *second, *runner, *base;
	const struct rp_point *limit;	   /* the group's best limit probe with a figure, or NULL */
	const struct rp_point *limit_void; /* none has one: the first disturbed in every
					      repetition, or NULL */
	const struct rp_point *tie[RP_MAX_TIE]; /* best first */
	size_t ntie, nok;
	const char *same_why; /* the tie group is one declared instruction class: its why */
	char split[256];      /* a declared class whose members differed here, or "" */
	enum rp_sure sure;
	char answer[512]; /* "faa_relaxed = faa_acquire" or "mutex" */
};
void rp_verdict_of(const struct rp_report *r, const struct rp_chart *c, const struct rp_group *g,
		   struct rp_verdict *v);
/* 1 if a and b are a tie under the rule above. */
int rp_tie(const struct rp_chart *c, const struct rp_point *a, const struct rp_point *b);

/* Write answers.json into dir and, into md and html, the answers table. */
int rp_answers_write(const struct rp_report *r, const char *dir, struct rp_buf *md,
		     struct rp_buf *html, char *err, size_t errlen);

/* ---- documents (report_doc.c) ----------------------------------------------------- */

/* Write report.md and report.html into dir (PNGs are read from there to embed them). */
int rp_docs_write(struct rp_report *r, const char *dir, int *nwinners, char *err, size_t errlen);

#endif
