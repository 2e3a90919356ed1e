/*
 * compare.h - what `contend compare`, `contend ab` and `contend baseline` share: choosing a
 * metric and its direction, pulling per-benchmark samples out of a results file, deciding
 * each benchmark (independent samples or paired rounds), checking that two runs may be
 * compared at all, the machine fingerprint, and the table and Markdown output.
 *
 * Each row is decided on its own metric: the one its workload's view declares (with its
 * direction), unless --metric names one for all rows.
 *
 * The verdict for one benchmark (a "row"):
 *   REGRESSION   worse by more than the threshold and significant after controlling the
 *                false discovery rate over every row tested (Benjamini-Hochberg on the
 *                one-sided p toward "worse", q <= alpha); counts toward exit status 1
 *   improved     the same, in the better direction (its own BH family, toward "better")
 *   unchanged    within the threshold
 *   not significant  beyond the threshold but q > alpha: noise, not a verdict
 *   inconclusive beyond the threshold, but the samples cannot reach significance (too few
 *                repetitions or rounds for the correction, aggregates only): shown with
 *                why; it fails the run only with --fail-on-inconclusive
 *   not meaningful  --metric real_time (or cpu_time) on a windowed benchmark, whose time
 *                per iteration is window / (n x threads): shown, never decided
 *   unreliable   samples on either side were marked drift or disturbed by the harness and
 *                the unmarked rest is too few for the test: shown, never decided (marked
 *                samples are always set aside; when enough unmarked remain, they decide)
 *   FAILED       the benchmark failed (error_occurred) in NEW but not in BASE: exit 1
 * and rows that cannot be decided (failed in BASE, metric missing, base median 0).
 * Benchmarks found on one side only are listed after the table.
 */
#ifndef CONTEND_COMPARE_H
#define CONTEND_COMPARE_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

struct ct_metric {
	int declared; /* each row uses its view's metric (no --metric given) */
	char name[128];
	int higher_better; /* 1: rates (items_per_second ...), 0: times and costs */
	int is_time;	   /* real_time / cpu_time: normalised to ns by time_unit */
	int is_rate;	   /* a per-second figure: shown with /s */
};

/*
 * Resolve --metric NAME and --direction lower|higher (NULL: decide from the name); with no
 * NAME, the declared metric of each row (m->declared). A counter whose direction the name
 * does not tell needs --direction: -1 with a one-line message in err.
 */
int ct_metric_resolve(const char *name, const char *direction, struct ct_metric *m, char *err,
		      size_t errlen);

/* Marks of a sample. */
enum {
	CT_MARK_DRIFT = 1,     /* the harness marked it drift */
	CT_MARK_DISTURBED = 2, /* the harness marked it disturbed */
	CT_MARK_FAILED = 4,    /* error_occurred */
	CT_MARK_STATE = 8,     /* ab: old and new of this round saw different round trips */
};

/* Round trips (rtt_before_ns) further apart than this ratio are different machine states
 * (the harness's drift rule, 50 %), for benchmarks of more than one thread; likewise the
 * PU's speed probe (speed_before_ns) for benchmarks on one PU. */
#define CT_STATE_RATIO 1.5

/* One benchmark's samples of the metric in one results file. */
struct ct_series {
	char *name;
	double *v;	     /* values of the metric (ns for times), one per repetition */
	unsigned *mark;	     /* per value: CT_MARK_DRIFT | CT_MARK_DISTURBED */
	size_t n;	     /* values in v */
	size_t total;	     /* entries seen (repetitions, failed ones included) */
	size_t failed;	     /* entries with error_occurred */
	size_t missing;	     /* entries without the metric (absent or null) */
	size_t drift;	     /* entries marked drift by the harness */
	size_t disturbed;    /* entries marked disturbed */
	int aggregates_only; /* no per-repetition entries: the median (or mean) aggregate */
	long threads;	     /* the largest "threads" seen */
	int pus;	     /* distinct PUs in the label's pus: list (0 when there is none) */
	double rtt;	     /* median rtt_before_ns (NaN when absent) */
	double *rttv;	     /* (the rtt_before_ns values, for that median) */
	size_t nrtt;
	double speed;	/* median speed_before_ns: the PU's speed probe (NaN when absent) */
	double *speedv; /* (its values) */
	size_t nspeed;
	char error[160];    /* the first error_message */
	struct ct_metric m; /* the metric its values are of */
	int windowed;	    /* the benchmark runs in a shared window (window.h) */
	char *peer;	    /* its peers: workload, parameters and threads (NULL: unknown) */
	int not_meaningful; /* --metric real_time/cpu_time on a windowed benchmark */
};

/*
 * The metric of results entry e: req itself, or (req->declared) the one the view of e's
 * workload declares in the run's context, else real_time. 0, or -1 with err.
 */
int ct_metric_of_entry(const json_t *root, const json_t *e, const struct ct_metric *req,
		       struct ct_metric *out, char *err, size_t errlen);

struct ct_runset {
	struct ct_series *s;
	size_t n;
};

/* Collect every benchmark's samples (see the .c for the rules); -1 with err on bad input. */
int ct_runset_collect(const json_t *root, const char *file, const struct ct_metric *m,
		      struct ct_runset *out, char *err, size_t errlen);
/* Whether the benchmark ran on several PUs (its label's pus:, else threads > 1). */
int ct_series_multi_pu(const struct ct_series *s);
const struct ct_series *ct_runset_find(const struct ct_runset *rs, const char *name);
void ct_runset_free(struct ct_runset *rs);

enum ct_verdict {
	CT_V_UNCHANGED,
	CT_V_NOISE,
	CT_V_REGRESSION,
	CT_V_IMPROVED,
	CT_V_UNRELIABLE,
	CT_V_FAILED_NEW,
	CT_V_FAILED_BASE,
	CT_V_FAILED_BOTH,
	CT_V_NO_METRIC,
	CT_V_UNDEFINED,
	CT_V_ONLY_BASE,
	CT_V_ONLY_NEW,
	CT_V_INCONCLUSIVE,
	CT_V_NOT_MEANINGFUL,
};

struct ct_row {
	char *name;
	double base, new; /* medians (NaN when absent) */
	double change;	  /* percent, (new - base) / base, or the median ratio - 1 (paired) */
	double p;	  /* one-sided p toward the observed change; NaN when no test ran */
	double p_worse, p_better; /* one-sided p toward each (NaN: untested) */
	double q;		  /* BH-adjusted p toward the observed change (NaN: untested) */
	double ci_lo, ci_hi;	  /* confidence interval of the change, percent (NaN: none) */
	double min_p;		  /* the smallest p these samples could give */
	double peer_shift;	  /* percent its peers moved together, taken out (NaN: none) */
	int tested;		  /* a test ran: the row is in the BH families */
	int multi_pu;		  /* its threads ran on several PUs (threshold_multi applies) */
	struct ct_metric m;	  /* the metric it was decided on */
	size_t nb, nn;		  /* samples (or pairs) used */
	int threshold_only;	  /* too few samples for the test: decided on the threshold alone */
	enum ct_verdict verdict;
	char note[200];
};

/* compare's and history's default thresholds (percent) between separate runs, and ab's. */
#define CT_THRESHOLD_ONE_PU   25
#define CT_THRESHOLD_MULTI_PU 55
#define CT_THRESHOLD_AB	      5

struct ct_decide_opts {
	struct ct_metric metric;
	double alpha;	  /* the false discovery rate, default 0.05 */
	double threshold; /* percent, default 5 */
	/* percent, for rows whose threads crossed PUs, when separate runs are compared (compare,
	 * history): the shift between runs of one build is larger there; ab, whose pairs are
	 * seconds apart, uses threshold for every row. 0: threshold. */
	double threshold_multi;
	int fail_on_inconclusive;
};

/* compare: base and new samples are independent repetitions (Mann-Whitney U). */
void ct_decide_independent(const char *name, const struct ct_series *base,
			   const struct ct_series *new, const struct ct_decide_opts *o,
			   struct ct_row *r);

/*
 * ab: round k gave old[k] and new[k] (NaN where that side had no value) and marks (bit 0
 * drift, bit 1 disturbed, bit 2 failed) for each side. Wilcoxon signed-rank on the
 * log-ratios of the pairs.
 */
void ct_decide_paired(const char *name, const double *old, const double *new,
		      const unsigned *old_marks, const unsigned *new_marks, size_t rounds,
		      const struct ct_metric *m, const struct ct_decide_opts *o, struct ct_row *r);

/*
 * Whether runs may be compared: the same profile, placement and machine (CPU model and
 * topology), else -1 with a one-line reason. Differences that are only worth knowing
 * (compiler, flags) are appended to note as "; "-separated text.
 */
int ct_context_check(const json_t *base_ctx, const json_t *new_ctx, char *err, size_t errlen,
		     char *note, size_t notelen);

/*
 * The machine fingerprint a baseline is stored under: a readable slug of the CPU model and
 * placement, then 12 hex digits of a hash over CPU model, topology, compiler, placement and
 * profile. desc (optional) receives the hashed fields in words.
 */
void ct_fingerprint(const json_t *ctx, char *out, size_t outlen, char *desc, size_t desclen);

/*
 * Where baselines live: DIR when given, else ./results/baselines when that exists, else the
 * source tree's results/baselines.
 */
const char *ct_baselines_dir(const char *given);
/* DIR/<fingerprint>.json for ctx; fp (optional) receives the fingerprint. */
void ct_baseline_path(const char *dir, const json_t *ctx, char *out, size_t outlen, char *fp,
		      size_t fplen, char *desc, size_t desclen);

struct ct_report {
	struct ct_row *rows;
	size_t n, cap;
	const char *base_label, *new_label;
	const char *test_name;	 /* "Mann-Whitney U" or "Wilcoxon signed-rank on paired rounds" */
	const char *sample_word; /* "repetitions" or "rounds" */
	char notes[600];
};

struct ct_row *ct_report_add(struct ct_report *rep);
/*
 * After every row is in: the false discovery rate over the rows tested (Benjamini-Hochberg
 * at level alpha, one family per direction), and each tested row's final verdict.
 */
void ct_report_finalize(struct ct_report *rep, const struct ct_decide_opts *o);
void ct_report_free(struct ct_report *rep);
/* 1 if any row is a regression or a new failure (or, with fail_on_inconclusive, an
 * inconclusive row), else 0. */
int ct_report_status(const struct ct_report *rep, const struct ct_decide_opts *o);
/* The verdict as JSON for CI tools: per row metric, medians, change, interval, p, q,
 * decision. New reference. */
json_t *ct_report_json(const struct ct_report *rep, const struct ct_decide_opts *o);
void ct_report_print(FILE *f, const struct ct_report *rep, const struct ct_decide_opts *o);
/* The same as Markdown for a pull-request comment; malloc'd. */
char *ct_report_markdown(const struct ct_report *rep, const struct ct_decide_opts *o);

/* Fill a report from two loaded runs (compare's core); -1 with err on bad input. */
int ct_compare_runs(const json_t *base, const char *base_file, const json_t *new,
		    const char *new_file, const struct ct_decide_opts *o, struct ct_report *rep,
		    char *err, size_t errlen);

const char *ct_verdict_word(enum ct_verdict v);

/*
 * The command-line options compare, ab and history share: --metric M, --direction D,
 * --threshold PCT, --alpha A. ct_compare_arg() takes argv[*i] (and its value, advancing
 * *i) if it is one of them and returns 1, else 0; a bad value is fatal (ct_die).
 */
struct ct_compare_args {
	struct ct_decide_opts o;	/* threshold 5 and alpha 0.05 unless given */
	const char *metric, *direction; /* as given, NULL if not */
	const char *json;		/* --json FILE, NULL if not */
	int threshold_given, threshold_multi_given;
};
void ct_compare_args_init(struct ct_compare_args *a);
int ct_compare_arg(int argc, char **argv, int *i, struct ct_compare_args *a);
/* Resolve the metric into a->o.metric and check the --markdown path md and the --json path
 * (if given) before anything runs; fatal (ct_die) on a bad one. */
void ct_compare_args_check(struct ct_compare_args *a, const char *md);
/* The verdict table on stdout, as Markdown into md and as JSON into json when given
 * (written atomically, directories made; fatal on failure). */
void ct_compare_output(const struct ct_report *rep, const struct ct_decide_opts *o, const char *md,
		       const char *json);

#endif
