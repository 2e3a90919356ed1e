/*
 * test_stats.c - the rank tests against textbook values and against brute force.
 *
 * Textbook: the Mann-Whitney critical value for n1 = n2 = 9 at two-sided alpha 0.05 is
 * U = 17 (P(U <= 17) = 0.0200, P(U <= 18) = 0.0252); the Wilcoxon signed-rank critical
 * value for n = 10 is T = 8 (P(T <= 8) = 25/1024, P(T <= 9) = 33/1024); {1,2,3} against
 * {4,5,6} has the smallest U, with probability 1/C(6,3) = 0.05. The tie cases and the
 * normal approximations were computed independently (full enumeration and the textbook
 * formulas, in Python) and are quoted here; the exact distributions are also checked
 * against a brute-force enumeration in C on random, tie-heavy samples.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "stats.h"
#include "lib/check.h"

#define CHECK_NEAR(got, want, tol)                                                                 \
	do {                                                                                       \
		double g_ = (got), w_ = (want);                                                    \
		if (!(fabs(g_ - w_) <= (tol))) {                                                   \
			fprintf(stderr, "%s:%d: %s = %.10g, want %.10g\n", __FILE__, __LINE__,     \
				#got, g_, w_);                                                     \
			ct_check_failures++;                                                       \
		}                                                                                  \
	} while (0)
/* a takes the ranks listed, b the rest of 1..N */
static void split_ranks(const int *ra, size_t na, size_t N, double *a, double *b)
{
	size_t i, j, nb = 0;
	for (i = 0; i < na; i++)
		a[i] = ra[i];
	for (j = 1; j <= N; j++) {
		int in = 0;
		for (i = 0; i < na; i++)
			in |= ra[i] == (int)j;
		if (!in)
			b[nb++] = (double)j;
	}
}

static void textbook_mann_whitney(void)
{
	struct ct_test t;
	double a3[] = {1, 2, 3}, b3[] = {4, 5, 6};

	CHECK(ct_mann_whitney(a3, 3, b3, 3, &t) == 0);
	CHECK(t.exact);
	CHECK_NEAR(t.stat, 0, 0);
	CHECK_NEAR(t.p_less, 0.05, 1e-12);
	CHECK_NEAR(t.p_greater, 1, 1e-12);
	CHECK(ct_mann_whitney(b3, 3, a3, 3, &t) == 0);
	CHECK_NEAR(t.stat, 9, 0);
	CHECK_NEAR(t.p_greater, 0.05, 1e-12);

	/* n1 = n2 = 9: rank sums 62 and 63 give U = 17 and U = 18 */
	static const int r17[] = {1, 2, 3, 4, 5, 6, 7, 16, 18},
			 r18[] = {1, 2, 3, 4, 5, 6, 7, 17, 18};
	double a[9], b[9];
	split_ranks(r17, 9, 18, a, b);
	ct_mann_whitney(a, 9, b, 9, &t);
	CHECK_NEAR(t.stat, 17, 0);
	CHECK_NEAR(t.p_less, 0.019991772932949403, 1e-12);
	CHECK(t.p_less <= 0.025);
	split_ranks(r18, 9, 18, a, b);
	ct_mann_whitney(a, 9, b, 9, &t);
	CHECK_NEAR(t.stat, 18, 0);
	CHECK_NEAR(t.p_less, 0.025154257507198685, 1e-12);
	CHECK(t.p_less > 0.025);

	/* ties, exact (conditional on the ties) */
	double ta[] = {1.5, 2.0, 2.0, 3.1, 4.0, 4.0}, tb[] = {2.0, 3.1, 4.0, 5.2, 5.2, 6.0, 7.0};
	ct_mann_whitney(ta, 6, tb, 7, &t);
	CHECK(t.exact);
	CHECK_NEAR(t.stat, 7.5, 0);
	CHECK_NEAR(t.p_less, 0.03496503496503497, 1e-12);
	CHECK_NEAR(t.p_greater, 0.9836829836829837, 1e-12);

	/* 30 against 30 (N = 60 > CT_STATS_EXACT_MAX): normal approximation, heavy ties */
	double A[30], B[30];
	for (int i = 0; i < 30; i++) {
		A[i] = i % 7;
		B[i] = (i * 3) % 9;
	}
	ct_mann_whitney(A, 30, B, 30, &t);
	CHECK(!t.exact);
	CHECK_NEAR(t.stat, 435, 0);
	CHECK_NEAR(t.p_less, 0.4133056522426037, 1e-9);
	CHECK_NEAR(t.p_greater, 0.592568302378586, 1e-9);

	/* empty sample */
	CHECK(ct_mann_whitney(a3, 0, b3, 3, &t) == -1);
}

static void textbook_wilcoxon(void)
{
	struct ct_test t;
	double d5[] = {0.1, 0.2, 0.3, 0.4, 0.5};

	CHECK(ct_wilcoxon(d5, 5, &t) == 0);
	CHECK(t.exact);
	CHECK_NEAR(t.stat, 15, 0);
	CHECK_NEAR(t.p_greater, 1.0 / 32, 1e-12);
	CHECK_NEAR(t.p_less, 1, 1e-12);

	/* n = 10, |d| ranks 1..10, positive ranks {1, 7} -> W+ = 8; then {2, 7} -> 9 */
	double d[10];
	for (int i = 0; i < 10; i++)
		d[i] = -(i + 1.0);
	d[0] = 1;
	d[6] = 7;
	ct_wilcoxon(d, 10, &t);
	CHECK_NEAR(t.stat, 8, 0);
	CHECK_NEAR(t.p_less, 25.0 / 1024, 1e-12);
	d[0] = -1;
	d[1] = 2;
	ct_wilcoxon(d, 10, &t);
	CHECK_NEAR(t.stat, 9, 0);
	CHECK_NEAR(t.p_less, 33.0 / 1024, 1e-12);

	/* ties and a zero, exact */
	double dt[] = {0.5, -0.2, 0.5, 1.0, -0.5, 0.0, 1.0, 1.0, 2.0};
	ct_wilcoxon(dt, 9, &t);
	CHECK(t.exact);
	CHECK(t.n == 8);
	CHECK_NEAR(t.stat, 32, 0);
	CHECK_NEAR(t.p_greater, 0.03125, 1e-12);
	CHECK_NEAR(t.p_less, 0.98046875, 1e-12);

	/* 55 differences, 5 of them zero: 50 left, the largest exact case */
	double dn[55];
	for (int i = 0; i < 55; i++)
		dn[i] = ((i * 5) % 11) - 3.0;
	ct_wilcoxon(dn, 55, &t);
	CHECK(t.n == 50 && t.exact);

	double allzero[] = {0, 0, 0};
	ct_wilcoxon(allzero, 3, &t);
	CHECK(t.n == 0 && t.p_less == 1 && t.p_greater == 1);
	CHECK(ct_wilcoxon(allzero, 0, &t) == -1);
}

/* The normal approximation of the signed-rank test on a sample with > 50 nonzero values. */
static void wilcoxon_normal(void)
{
	struct ct_test t;
	double D[66];
	/* 66 differences in -3..7, 6 of them zero: 60 left, heavy ties. The textbook formula
	 * with tie and continuity corrections gives W+ = 1497, P(W+ >= 1497) = 8.7222e-06. */
	for (int i = 0; i < 66; i++)
		D[i] = ((i * 5) % 11) - 3.0;
	ct_wilcoxon(D, 66, &t);
	CHECK(!t.exact && t.n == 60);
	CHECK_NEAR(t.stat, 1497, 0);
	CHECK_NEAR(t.p_greater, 8.722224632529726e-06, 1e-12);
	CHECK_NEAR(t.p_less, 0.9999915636461089, 1e-9);
}

static unsigned long long rng_state = 42;
static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((rng_state >> 33) % n);
}

/* Brute force: every subset of size m, every sign pattern. */
static void brute_force(void)
{
	for (int trial = 0; trial < 200; trial++) {
		size_t m = 1 + rnd(7), n = 1 + rnd(7), N = m + n, k;
		double v[14], r[14];
		for (k = 0; k < N; k++)
			v[k] = rnd(5); /* many ties */
		/* midranks, by counting */
		for (k = 0; k < N; k++) {
			double less = 0, eq = 0;
			for (size_t j = 0; j < N; j++)
				less += v[j] < v[k], eq += v[j] == v[k];
			r[k] = less + (eq + 1) / 2;
		}
		double obs = 0, le = 0, ge = 0, tot = 0;
		for (k = 0; k < m; k++)
			obs += r[k];
		for (unsigned mask = 0; mask < (1u << N); mask++) {
			if ((size_t)__builtin_popcount(mask) != m)
				continue;
			double s = 0;
			for (k = 0; k < N; k++)
				if (mask >> k & 1)
					s += r[k];
			tot++;
			le += s <= obs + 1e-9;
			ge += s >= obs - 1e-9;
		}
		struct ct_test t;
		ct_mann_whitney(v, m, v + m, n, &t);
		CHECK_NEAR(t.p_less, le / tot, 1e-12);
		CHECK_NEAR(t.p_greater, ge / tot, 1e-12);

		/* signed-rank on differences in -3..3 */
		double d[14], ad[14], rr[14];
		size_t nz = 0;
		for (k = 0; k < N; k++) {
			d[k] = (double)rnd(7) - 3;
			if (d[k] != 0)
				ad[nz++] = fabs(d[k]);
		}
		for (k = 0; k < nz; k++) {
			double less = 0, eq = 0;
			for (size_t j = 0; j < nz; j++)
				less += ad[j] < ad[k], eq += ad[j] == ad[k];
			rr[k] = less + (eq + 1) / 2;
		}
		double w = 0;
		size_t q = 0;
		for (k = 0; k < N; k++)
			if (d[k] != 0) {
				if (d[k] > 0)
					w += rr[q];
				q++;
			}
		le = ge = tot = 0;
		for (unsigned mask = 0; mask < (1u << nz); mask++) {
			double s = 0;
			for (k = 0; k < nz; k++)
				if (mask >> k & 1)
					s += rr[k];
			tot++;
			le += s <= w + 1e-9;
			ge += s >= w - 1e-9;
		}
		ct_wilcoxon(d, N, &t);
		CHECK_NEAR(t.stat, w, 1e-12);
		CHECK_NEAR(t.p_less, le / tot, 1e-12);
		CHECK_NEAR(t.p_greater, ge / tot, 1e-12);
	}
}

static void helpers(void)
{
	double x[] = {5, 1, 4, 2, 3}, y[] = {4, 1, 3, 2};
	CHECK_NEAR(ct_median(x, 5), 3, 0);
	CHECK_NEAR(ct_median(y, 4), 2.5, 0);
	CHECK(x[0] == 5); /* not modified */
	CHECK(isnan(ct_median(x, 0)));
	CHECK_NEAR(ct_mann_whitney_min_p(3, 3), 0.05, 1e-15);
	CHECK_NEAR(ct_mann_whitney_min_p(9, 9), 1.0 / 48620, 1e-15);
	CHECK_NEAR(ct_mann_whitney_min_p(1, 1), 0.5, 1e-15);
	CHECK_NEAR(ct_wilcoxon_min_p(5), 1.0 / 32, 1e-15);
	CHECK_NEAR(ct_normal_upper(1.959963984540054), 0.025, 1e-12);
}

int main(void)
{
	textbook_mann_whitney();
	textbook_wilcoxon();
	wilcoxon_normal();
	brute_force();
	helpers();
	if (ct_check_failures) {
		fprintf(stderr, "test_stats: %d failure(s)\n", ct_check_failures);
		return 1;
	}
	printf("test_stats: ok\n");
	return 0;
}
