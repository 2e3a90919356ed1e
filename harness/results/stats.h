/*
 * stats.h - the rank tests `compare` and `ab` decide with, written in C so the verdict needs
 * no Python: the median, the Mann-Whitney U test (two independent samples) and the
 * Wilcoxon signed-rank test (paired differences).
 *
 * Both tests give one-sided p-values in each direction; a caller asking "did it get worse?"
 * uses the one for that direction. Ties get midranks. Small samples use the exact
 * permutation distribution of the rank sum (counted by dynamic programming over doubled
 * midranks, so it stays exact with ties: the conditional distribution given the tie
 * pattern); larger ones the normal approximation with tie and continuity corrections.
 */
#ifndef CONTEND_STATS_H
#define CONTEND_STATS_H

#include <stddef.h>

/* Exact distributions up to this many observations (m+n, or pairs), normal above. */
#define CT_STATS_EXACT_MAX 50

/* Median of x[0..n) (not modified); NaN when n == 0. */
double ct_median(const double *x, size_t n);

struct ct_test {
	double stat;	  /* U of the first sample (Mann-Whitney) or W+ (signed-rank) */
	double p_less;	  /* P(stat <= observed): the first sample tends smaller / d < 0 */
	double p_greater; /* P(stat >= observed): the first sample tends larger / d > 0 */
	double z;	  /* the normal approximation's z (0 when exact) */
	size_t n;	  /* observations used (signed-rank: nonzero differences) */
	int exact;	  /* 1: exact distribution, 0: normal approximation */
};

/*
 * Mann-Whitney U of a[0..na) against b[0..nb): U = number of pairs (a_i, b_j) with
 * a_i > b_j, plus half the ties. Returns 0, or -1 when a sample is empty.
 */
int ct_mann_whitney(const double *a, size_t na, const double *b, size_t nb, struct ct_test *t);

/*
 * Wilcoxon signed-rank test of the differences d[0..n) against 0: zero differences are
 * dropped (Wilcoxon's convention), W+ = sum of the ranks of |d| over positive d. With no
 * nonzero difference both p are 1. Returns 0, or -1 when n == 0.
 */
int ct_wilcoxon(const double *d, size_t n, struct ct_test *t);

/* The smallest one-sided p the exact tests can reach, ties aside: 1/C(m+n, m) and 1/2^n. */
double ct_mann_whitney_min_p(size_t na, size_t nb);
double ct_wilcoxon_min_p(size_t n);

/*
 * Distribution-free confidence intervals at level conf (e.g. 0.95), from the rank tests'
 * null distributions without ties: for the shift a - b (the order statistics of all
 * differences a_i - b_j: Hodges-Lehmann, Mann-Whitney), and for the centre of x (the
 * Walsh averages (x_i + x_j) / 2, Wilcoxon). 0, or -1 (and an unbounded interval) when the
 * samples are too small for any interval at that level.
 */
int ct_shift_ci(const double *a, size_t na, const double *b, size_t nb, double conf, double *lo,
		double *hi);
int ct_paired_ci(const double *x, size_t n, double conf, double *lo, double *hi);

/* Benjamini-Hochberg adjusted p-values q[i] of p[0..n): reject where q <= the FDR level. */
void ct_bh_adjust(const double *p, size_t n, double *q);

/* Standard normal upper tail, P(Z >= z). */
double ct_normal_upper(double z);

#endif
