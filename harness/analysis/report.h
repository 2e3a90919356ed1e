/*
 * report.h - the insides of `contend report` (cmd_report.c): the model built from results
 * files (report_model.c), the plots (report_plot.c), the Markdown and HTML documents
 * (report_doc.c), and small string helpers (report_util.c).
 *
 * Data flows one way: results JSON -> points (one per benchmark and run, with its figure:
 * the median over repetitions and a standard deviation) -> charts (one per workload, a
 * series per strategy) -> CSV + gnuplot scripts + PNG/SVG -> report.md and report.html.
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

/* ---- the model (report_model.c) ------------------------------------------------------- */

enum rp_fam {
	RP_LOCK,
	RP_ATOMIC,
	RP_LITMUS,
	RP_CHAN,
	RP_SEM,
	RP_FANOUT,
	RP_FORKJOIN,
	RP_WAKE,
	RP_ANTI,
	RP_HARNESS,
	RP_OTHER, /* a family this report does not know: the "other" table */
	RP_NFAM
};

/* What a chart compares: the figure and which way is better. */
enum rp_metric {
	RP_M_ITEMS, /* a rate (items_per_second): higher is better */
	RP_M_TIME,  /* a time, held in ns (real_time or a *_us / *_ns counter): lower is better */
};

enum rp_kind {
	RP_LINES,   /* x varies: a line per series */
	RP_BARS,    /* one x: a bar per series */
	RP_CLUSTER, /* atomics: bars per ordering, clustered by operation */
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
	char *label;	/* host/placement, unique among the runs */
	char *dir;	/* the directory holding its results.json */
	char *c2c_file; /* base name of its core-to-core heatmap, or NULL */
};

struct rp_point {
	int run;
	char *name; /* run_name: the benchmark's full name without aggregate suffix */
	enum rp_fam fam;
	char *series; /* the strategy (ordering for atomics) */
	char *label;  /* series name in plots: strategy, plus the run when several */
	char *cat;    /* atomics: the operation (the cluster), else NULL */
	char *ckey;   /* chart key: workload and every parameter but x and the series */
	char *title;  /* chart title (workload, parameters, threads) */
	char *desc;   /* this point's workload in words, for the winner line */
	char *xname;  /* the x parameter ("threads", "capacity", "permits") */
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
	int ndrift, nreps;		  /* repetitions marked for drift, of how many */
	double drift_before, drift_after; /* the round trips of the first drifted one */
	const char *error;
	int chart; /* index into rp_report.charts, -1 for litmus and other */
};

struct rp_chart {
	enum rp_fam fam;
	char *key, *title, *xname;
	enum rp_kind kind;
	enum rp_metric metric;
	const char *mkey; /* the results key compared: items_per_second, real_time, a counter */
	double mscale;	  /* ns per unit of a time counter (1e3 for *_us) */
	size_t *pts;
	size_t npts, cappts;
	char *file;	 /* base name of its files in the report directory */
	char *fair_file; /* locks: the fairness chart, or NULL */
	int xordinal;	 /* x drawn at evenly spaced positions (capacity: 0 .. unbounded) */
	int maxreps;	 /* most repetitions behind one point */
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

const char *rp_fam_title(enum rp_fam f);
/* The value a chart compares, for one results entry (times in ns); NAN if absent. */
double rp_metric_value(const struct rp_chart *c, const json_t *e);
/* A counter's median over the point's repetitions (and sd from them). */
struct rp_stat rp_point_counter(const struct rp_point *p, const char *key);
/* 1 if a is better than b under m. */
int rp_better(enum rp_metric m, double a, double b);
const char *rp_metric_key(const struct rp_chart *c);
/* Y axis label and table units. */
const char *rp_metric_axis(const struct rp_chart *c);
void rp_fmt_metric(char *out, size_t n, enum rp_metric m, double v);
/* Where a name has a canonical place (C11 orderings weakest first, atomic operations in
 * issue 4's order): its rank, else a large number. */
int rp_canon_rank(const char *s);
/* "4.1", "12", "208": a ratio or a figure with about three significant digits. */
void rp_fmt_ratio(char *out, size_t n, double v);

/* Per operation, in units of the cache-line round trip: the family's own counter where
 * it has one, else the time per operation over rtt_before_ns; NAN where not meaningful. */
double rp_point_rtt_units(const struct rp_report *r, const struct rp_point *p, const char **what);

/* ---- plots (report_plot.c) -------------------------------------------------------- */

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
/* dir/FILE-marks.csv := the line header, then body (a chart's marked points). */
int rp_write_marks(const char *dir, const char *file, const char *header, const struct rp_buf *body,
		   char *err, size_t errlen);
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

/* ---- documents (report_doc.c) ----------------------------------------------------- */

/* Write report.md and report.html into dir (PNGs are read from there to embed them). */
int rp_docs_write(struct rp_report *r, const char *dir, int *nwinners, char *err, size_t errlen);

#endif
