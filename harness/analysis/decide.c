/*
 * decide.c - one verdict per benchmark: independent repetitions (compare) or paired rounds
 * (ab), a confidence interval for the change, and the false discovery rate controlled over
 * all the rows a report decides.
 */
#include "compare.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "resultsio.h"
#include "stats.h"
#include "util.h"

/* ---- decisions ------------------------------------------------------------------------- */

static void row_init(struct ct_row *r, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->name = ct_xstrdup(name);
	r->base = r->new = r->change = r->p = NAN;
	r->p_worse = r->p_better = r->q = r->ci_lo = r->ci_hi = r->min_p = r->peer_shift = NAN;
}

/* The interval of the change in percent from an interval of log(new/old). */
static void ci_from_logs(struct ct_row *r, double lo, double hi)
{
	if (isfinite(lo) && isfinite(hi)) {
		r->ci_lo = (exp(lo) - 1) * 100;
		r->ci_hi = (exp(hi) - 1) * 100;
	}
}

/*
 * Once the change is known: within the threshold is unchanged; beyond it, a row whose
 * samples cannot be tested, or cannot reach alpha at all, is inconclusive (never a verdict
 * on the threshold alone); a tested row keeps its one-sided p toward worse and toward
 * better for ct_report_finalize, which decides it with the false discovery rate over all
 * rows. p_up/p_down: one-sided p that NEW is larger/smaller (ignored when !can_test).
 */
static void decide(struct ct_row *r, const struct ct_decide_opts *o, int can_test, double p_up,
		   double p_down, const char *why_no_test)
{
	int hb = r->m.higher_better;
	double th = r->multi_pu && o->threshold_multi > 0 ? o->threshold_multi : o->threshold;
	int worse = hb ? r->change < -th : r->change > th;
	int better = hb ? r->change > th : r->change < -th;
	int up = r->change > 0;

	if (!can_test) {
		r->threshold_only = 1;
		r->verdict = worse || better ? CT_V_INCONCLUSIVE : CT_V_UNCHANGED;
		if (why_no_test)
			snprintf(r->note, sizeof(r->note), "%s", why_no_test);
		else if (worse || better)
			snprintf(
			    r->note, sizeof(r->note),
			    "%zu and %zu samples: the smallest p they can give is %.2g, not below "
			    "alpha %g",
			    r->nb, r->nn, r->min_p, o->alpha);
		return;
	}
	r->tested = 1;
	r->p_worse = hb ? p_down : p_up;
	r->p_better = hb ? p_up : p_down;
	r->p = up ? p_up : p_down;
	r->verdict = worse || better ? CT_V_NOISE : CT_V_UNCHANGED; /* until finalized */
}

void ct_report_finalize(struct ct_report *rep, const struct ct_decide_opts *o)
{
	size_t n = 0, k = 0;

	for (size_t i = 0; i < rep->n; i++)
		n += rep->rows[i].tested;
	if (!n)
		return;
	double *pw = ct_xrealloc(NULL, n * sizeof(double)),
	       *pb = ct_xrealloc(NULL, n * sizeof(double));
	double *qw = ct_xrealloc(NULL, n * sizeof(double)),
	       *qb = ct_xrealloc(NULL, n * sizeof(double));
	for (size_t i = 0; i < rep->n; i++)
		if (rep->rows[i].tested) {
			pw[k] = rep->rows[i].p_worse;
			pb[k++] = rep->rows[i].p_better;
		}
	ct_bh_adjust(pw, n, qw);
	ct_bh_adjust(pb, n, qb);
	k = 0;
	for (size_t i = 0; i < rep->n; i++) {
		struct ct_row *r = &rep->rows[i];
		if (!r->tested)
			continue;
		int hb = r->m.higher_better;
		double th =
		    r->multi_pu && o->threshold_multi > 0 ? o->threshold_multi : o->threshold;
		int worse = hb ? r->change < -th : r->change > th;
		int better = hb ? r->change > th : r->change < -th;
		double q_w = qw[k], q_b = qb[k++];
		r->q = worse ? q_w : better ? q_b : fmin(q_w, q_b);
		if (worse)
			r->verdict = q_w <= o->alpha ? CT_V_REGRESSION : CT_V_NOISE;
		else if (better)
			r->verdict = q_b <= o->alpha ? CT_V_IMPROVED : CT_V_NOISE;
		else
			r->verdict = CT_V_UNCHANGED;
		if (r->verdict == CT_V_NOISE && r->min_p > o->alpha / (double)n && !r->note[0])
			snprintf(r->note, sizeof(r->note),
				 "alone it would need p <= %.2g (alpha/%zu rows); these samples "
				 "give at best %.2g",
				 o->alpha / (double)n, n, r->min_p);
	}
	free(pw);
	free(pb);
	free(qw);
	free(qb);
}

/* "drift in 1/9 new repetitions, ..." into buf */
static void marks_text(char *buf, size_t len, const char *word, size_t bd, size_t bs, size_t nd,
		       size_t ns, size_t st, size_t bt, size_t nt)
{
	const struct {
		size_t n, of;
		const char *what, *side;
	} m[] = {{bd, bt, "drift in", "base"},
		 {nd, nt, "drift in", "new"},
		 {bs, bt, "disturbed", "base"},
		 {ns, nt, "disturbed", "new"},
		 {st, nt, "round trip differs in", "paired"}};
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(m) / sizeof(*m) && at < len; i++)
		if (m[i].n) {
			int k = snprintf(buf + at, len - at, "%s%s %zu/%zu %s %s", at ? ", " : "",
					 m[i].what, m[i].n, m[i].of, m[i].side, word);
			at += k > 0 ? (size_t)k : 0;
		}
}

/* Whether two round trips are different machine states. */
static int states_differ(double a, double b)
{
	return isfinite(a) && isfinite(b) && a > 0 && b > 0 &&
	       (a > b ? a / b : b / a) > CT_STATE_RATIO;
}

/* Copy the values of s not marked drift or disturbed into out; their count. */
static size_t clean_values(const struct ct_series *s, double *out)
{
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++)
		if (!(s->mark[i] & (CT_MARK_DRIFT | CT_MARK_DISTURBED)))
			out[k++] = s->v[i];
	return k;
}

void ct_decide_independent(const char *name, const struct ct_series *b, const struct ct_series *n,
			   const struct ct_decide_opts *o, struct ct_row *r)
{
	struct ct_test t;
	char marks[160];

	row_init(r, name);
	if (!b || !n) {
		r->verdict = b ? CT_V_ONLY_BASE : CT_V_ONLY_NEW;
		r->m = b ? b->m : n->m;
		return;
	}
	r->m = n->m;
	r->multi_pu = ct_series_multi_pu(b) || ct_series_multi_pu(n);
	r->nb = b->n;
	r->nn = n->n;
	if (n->failed && !b->failed) {
		r->verdict = CT_V_FAILED_NEW;
		snprintf(r->note, sizeof(r->note), "%zu/%zu failed: %s", n->failed, n->total,
			 n->error);
		return;
	}
	if (b->failed) {
		r->verdict = n->failed ? CT_V_FAILED_BOTH : CT_V_FAILED_BASE;
		snprintf(r->note, sizeof(r->note), "%s", n->failed ? n->error : b->error);
		return;
	}
	if (b->n == 0 || n->n == 0) {
		r->verdict = CT_V_NO_METRIC;
		snprintf(r->note, sizeof(r->note), "no %s in %s", r->m.name,
			 b->n == 0 && n->n == 0 ? "either"
			 : b->n == 0		? "base"
						: "new");
		return;
	}

	if (b->not_meaningful || n->not_meaningful || strcmp(b->m.name, n->m.name) != 0) {
		r->verdict = CT_V_NOT_MEANINGFUL;
		r->base = ct_median(b->v, b->n);
		r->new = ct_median(n->v, n->n);
		snprintf(
		    r->note, sizeof(r->note), "%s",
		    strcmp(b->m.name, n->m.name) != 0
			? "base and new declare different metrics"
			: "a windowed benchmark's time per iteration is window / (n x threads)");
		return;
	}

	/* Two runs in different machine states are not compared: for a benchmark of several
	 * threads the vCPU placement (the cache-line round trip moved by more than half), for
	 * one on one PU that PU's speed probe (a shared host flips a vCPU between states
	 * within seconds). */
	int multi = ct_series_multi_pu(b) && ct_series_multi_pu(n);
	int single = !ct_series_multi_pu(b) && !ct_series_multi_pu(n);
	if ((multi && states_differ(b->rtt, n->rtt)) ||
	    (single && states_differ(b->speed, n->speed))) {
		r->verdict = CT_V_UNRELIABLE;
		r->base = ct_median(b->v, b->n);
		r->new = ct_median(n->v, n->n);
		if (r->base != 0)
			r->change = (r->new - r->base) / fabs(r->base) * 100;
		if (multi)
			snprintf(r->note, sizeof(r->note),
				 "round trip %.0f ns in base, %.0f ns in new: another vCPU "
				 "placement",
				 b->rtt, n->rtt);
		else
			snprintf(r->note, sizeof(r->note),
				 "PU speed probe %.2f ns in base, %.2f ns in new: another host "
				 "state",
				 b->speed, n->speed);
		return;
	}

	/* Marked repetitions are set aside; the rest decide only if they can reach alpha. */
	double *cb = ct_xrealloc(NULL, b->n * sizeof(double)),
	       *cn = ct_xrealloc(NULL, n->n * sizeof(double));
	size_t nb = clean_values(b, cb), nn = clean_values(n, cn);
	int aggr = b->aggregates_only || n->aggregates_only;
	r->min_p = nb && nn ? ct_mann_whitney_min_p(nb, nn) : 1;
	int can_test = !aggr && nb && nn && r->min_p < o->alpha;
	int set_aside = nb < b->n || nn < n->n;

	marks_text(marks, sizeof(marks), "repetitions", b->drift, b->disturbed, n->drift,
		   n->disturbed, 0, b->total, n->total);
	if (set_aside && !can_test) {
		r->verdict = CT_V_UNRELIABLE;
		r->base = ct_median(b->v, b->n);
		r->new = ct_median(n->v, n->n);
		if (r->base != 0)
			r->change = (r->new - r->base) / fabs(r->base) * 100;
		snprintf(r->note, sizeof(r->note), "%s", marks);
		goto out;
	}
	r->nb = nb;
	r->nn = nn;
	r->base = ct_median(cb, nb);
	r->new = ct_median(cn, nn);
	if (r->base == 0) {
		r->verdict = r->new == 0 ? CT_V_UNCHANGED : CT_V_UNDEFINED;
		if (r->new == 0)
			r->change = 0;
		else
			snprintf(r->note, sizeof(r->note), "base median is 0: no relative change");
		goto out;
	}
	r->change = (r->new - r->base) / fabs(r->base) * 100;
	if (can_test) {
		ct_mann_whitney(cn, nn, cb, nb, &t);
		int pos = 1;
		for (size_t i = 0; i < nb; i++)
			pos &= cb[i] > 0;
		for (size_t i = 0; i < nn; i++)
			pos &= cn[i] > 0;
		if (pos) { /* the interval of the ratio, from the shift of the logarithms */
			double lo, hi;
			for (size_t i = 0; i < nb; i++)
				cb[i] = log(cb[i]);
			for (size_t i = 0; i < nn; i++)
				cn[i] = log(cn[i]);
			ct_shift_ci(cn, nn, cb, nb, 1 - o->alpha, &lo, &hi);
			ci_from_logs(r, lo, hi);
		}
	}
	decide(r, o, can_test, can_test ? t.p_greater : 1, can_test ? t.p_less : 1,
	       aggr ? "aggregates only, no repetitions: no test" : NULL);
	if (set_aside)
		snprintf(r->note, sizeof(r->note), "marked set aside: %s", marks);
out:
	free(cb);
	free(cn);
}

void ct_decide_paired(const char *name, const double *old, const double *new, const unsigned *om,
		      const unsigned *nm, size_t rounds, const struct ct_metric *m,
		      const struct ct_decide_opts *o, struct ct_row *r)
{
	size_t k, np = 0, nc = 0, ofail = 0, nfail = 0, od = 0, os = 0, nd = 0, ns = 0, st = 0,
		  nold = 0, nnew = 0;
	double *a = ct_xrealloc(NULL, (rounds + 1) * sizeof(double));
	double *b = ct_xrealloc(NULL, (rounds + 1) * sizeof(double));
	double *d = ct_xrealloc(NULL, (rounds + 1) * sizeof(double));
	double *ratio = ct_xrealloc(NULL, (rounds + 1) * sizeof(double));
	int positive = 1;
	struct ct_test t;
	char marks[160];
	const unsigned bad = CT_MARK_DRIFT | CT_MARK_DISTURBED | CT_MARK_STATE;

	row_init(r, name);
	r->m = *m;
	for (k = 0; k < rounds; k++) {
		ofail += !!(om[k] & CT_MARK_FAILED);
		nfail += !!(nm[k] & CT_MARK_FAILED);
		od += !!(om[k] & CT_MARK_DRIFT);
		os += !!(om[k] & CT_MARK_DISTURBED);
		nd += !!(nm[k] & CT_MARK_DRIFT);
		ns += !!(nm[k] & CT_MARK_DISTURBED);
		st += !!((om[k] | nm[k]) & CT_MARK_STATE);
		nold += !isnan(old[k]);
		nnew += !isnan(new[k]);
		if (isnan(old[k]) || isnan(new[k]) || ((om[k] | nm[k]) & CT_MARK_FAILED))
			continue;
		np++;
	}
	/* The clean pairs first (they decide), then the marked ones (shown if nothing else). */
	for (int pass = 0; pass < 2; pass++)
		for (k = 0; k < rounds; k++) {
			if (isnan(old[k]) || isnan(new[k]) || ((om[k] | nm[k]) & CT_MARK_FAILED))
				continue;
			if (!!((om[k] | nm[k]) & bad) != pass)
				continue;
			a[nc] = old[k];
			b[nc] = new[k];
			if (old[k] <= 0 || new[k] <= 0)
				positive = 0;
			nc++;
		}
	nc = 0;
	for (k = 0; k < rounds; k++)
		nc +=
		    !isnan(old[k]) && !isnan(new[k]) && !((om[k] | nm[k]) & (bad | CT_MARK_FAILED));
	r->nb = r->nn = np;
	if (nfail && !ofail) {
		r->verdict = CT_V_FAILED_NEW;
		snprintf(r->note, sizeof(r->note), "failed in %zu/%zu new rounds", nfail, rounds);
		goto out;
	}
	if (ofail) {
		r->verdict = nfail ? CT_V_FAILED_BOTH : CT_V_FAILED_BASE;
		snprintf(r->note, sizeof(r->note), "failed in %zu/%zu old, %zu/%zu new rounds",
			 ofail, rounds, nfail, rounds);
		goto out;
	}
	if (np == 0) {
		r->verdict = CT_V_NO_METRIC;
		snprintf(r->note, sizeof(r->note), "no %s in %s", r->m.name,
			 !nold && !nnew ? "either"
			 : !nold	? "old"
					: "new");
		goto out;
	}
	int set_aside = nc < np;
	r->min_p = nc ? ct_wilcoxon_min_p(nc) : 1;
	int can_test = nc && r->min_p < o->alpha;
	size_t use = set_aside && !can_test ? np : nc; /* unreliable rows show every pair */
	marks_text(marks, sizeof(marks), "rounds", od, os, nd, ns, st, rounds, rounds);
	r->base = ct_median(a, use);
	r->new = ct_median(b, use);
	for (k = 0; k < use; k++) {
		d[k] = positive ? log(b[k] / a[k]) : b[k] - a[k];
		ratio[k] = positive ? b[k] / a[k] : 0;
	}
	if (positive)
		r->change = (ct_median(ratio, use) - 1) * 100;
	else if (r->base != 0)
		r->change = (r->new - r->base) / fabs(r->base) * 100;
	if (set_aside && !can_test) {
		r->verdict = CT_V_UNRELIABLE;
		snprintf(r->note, sizeof(r->note), "%s", marks);
		goto out;
	}
	r->nb = r->nn = nc;
	if (isnan(r->change)) {
		r->verdict = CT_V_UNDEFINED;
		snprintf(r->note, sizeof(r->note), "median is 0: no relative change");
		goto out;
	}
	if (can_test) {
		ct_wilcoxon(d, nc, &t);
		if (positive) {
			double lo, hi;
			ct_paired_ci(d, nc, 1 - o->alpha, &lo, &hi);
			ci_from_logs(r, lo, hi);
		}
	}
	decide(r, o, can_test, can_test ? t.p_greater : 1, can_test ? t.p_less : 1, NULL);
	if (set_aside)
		snprintf(r->note, sizeof(r->note), "marked set aside: %s", marks);
out:
	free(a);
	free(b);
	free(d);
	free(ratio);
}
