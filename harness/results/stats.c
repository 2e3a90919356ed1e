/*
 * stats.c - see stats.h.
 *
 * Exact distributions are counted, not looked up: with every rank doubled (midranks of ties
 * become integers), the number of ways to reach each rank sum is a small dynamic program,
 * O(N * m * N^2) for the U test and O(N * N^2) for the signed-rank test, which for
 * N <= CT_STATS_EXACT_MAX is a few million additions. Counts are doubles: C(50, 25) and
 * 2^50 are below 2^53, so they are exact.
 */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

double ct_median(const double *x, size_t n)
{
	double *s, m;

	if (n == 0)
		return NAN;
	s = malloc(n * sizeof(*s));
	if (!s)
		abort();
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

double ct_normal_upper(double z)
{
	return 0.5 * erfc(z / sqrt(2.0));
}

struct ranked {
	double v;
	size_t idx;
};

static int cmp_ranked(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;

	return (a->v > b->v) - (a->v < b->v);
}

/*
 * Doubled midranks of v[0..n) into r2 (r2[i] = 2 * rank of v[i], ranks from 1), and the tie
 * term sum(t^3 - t) over groups of equal values.
 */
static void midranks2(const double *v, size_t n, long *r2, double *tie_term)
{
	struct ranked *s = malloc(n * sizeof(*s));
	size_t i, j, k;

	if (!s)
		abort();
	for (i = 0; i < n; i++)
		s[i] = (struct ranked){v[i], i};
	qsort(s, n, sizeof(*s), cmp_ranked);
	*tie_term = 0;
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && s[j].v == s[i].v; j++)
			;
		/* positions i..j-1 hold ranks i+1..j: their mean doubled is i+1+j */
		for (k = i; k < j; k++)
			r2[s[k].idx] = (long)(i + 1 + j);
		double t = (double)(j - i);
		*tie_term += t * t * t - t;
	}
	free(s);
}

static double clamp01(double p)
{
	return p < 0 ? 0 : p > 1 ? 1 : p;
}

/* One-sided p-values from an exact null distribution: dist[s] counts the outcomes whose
 * doubled statistic is s (0..maxs); obs2 is the observed doubled statistic. */
static void exact_tails(struct ct_test *t, const double *dist, long maxs, long obs2)
{
	double total = 0, le = 0, ge = 0;

	for (long s = 0; s <= maxs; s++) {
		total += dist[s];
		if (s <= obs2)
			le += dist[s];
		if (s >= obs2)
			ge += dist[s];
	}
	t->p_less = clamp01(le / total);
	t->p_greater = clamp01(ge / total);
	t->exact = 1;
}

/* One-sided p-values from the normal approximation of t->stat (mean mu, variance var),
 * with a continuity correction of 0.5. */
static void normal_tails(struct ct_test *t, double mu, double var)
{
	if (var <= 0) {
		t->p_less = t->p_greater = 1;
	} else {
		double sd = sqrt(var);
		t->z = (t->stat - mu) / sd;
		t->p_greater = clamp01(ct_normal_upper((t->stat - mu - 0.5) / sd));
		t->p_less = clamp01(ct_normal_upper(-(t->stat - mu + 0.5) / sd));
	}
}

int ct_mann_whitney(const double *a, size_t na, const double *b, size_t nb, struct ct_test *t)
{
	size_t N = na + nb, i, k;
	double *v, tie_term, m = (double)na, n = (double)nb;
	long *r2, obs2 = 0;

	if (na == 0 || nb == 0)
		return -1;
	v = malloc(N * sizeof(*v));
	r2 = malloc(N * sizeof(*r2));
	if (!v || !r2)
		abort();
	memcpy(v, a, na * sizeof(*v));
	memcpy(v + na, b, nb * sizeof(*v));
	midranks2(v, N, r2, &tie_term);
	for (i = 0; i < na; i++)
		obs2 += r2[i];
	memset(t, 0, sizeof(*t));
	t->stat = (double)obs2 / 2 - m * (m + 1) / 2;
	t->n = N;

	if (N <= CT_STATS_EXACT_MAX) {
		/* f[k][s]: subsets of size k of the items seen so far with doubled rank sum s */
		long maxs = (long)(N * (N + 1));
		size_t w = (size_t)maxs + 1;
		double *f = calloc((na + 1) * w, sizeof(*f));

		if (!f)
			abort();
		f[0] = 1;
		for (i = 0; i < N; i++) {
			size_t kmax = i + 1 < na ? i + 1 : na;
			for (k = kmax; k >= 1; k--) {
				double *dst = f + k * w, *src = f + (k - 1) * w;
				for (long s = maxs; s >= r2[i]; s--)
					dst[s] += src[s - r2[i]];
			}
		}
		exact_tails(t, f + na * w, maxs, obs2);
		free(f);
	} else {
		normal_tails(t, m * n / 2,
			     m * n / 12 *
				 ((double)(N + 1) - tie_term / ((double)N * (double)(N - 1))));
	}
	free(v);
	free(r2);
	return 0;
}

int ct_wilcoxon(const double *d, size_t n, struct ct_test *t)
{
	double *absd, tie_term, nn;
	long *r2, obs2 = 0;
	size_t i, nz = 0;

	if (n == 0)
		return -1;
	absd = malloc(n * sizeof(*absd));
	r2 = malloc(n * sizeof(*r2));
	if (!absd || !r2)
		abort();
	for (i = 0; i < n; i++)
		if (d[i] != 0)
			absd[nz++] = fabs(d[i]);
	memset(t, 0, sizeof(*t));
	t->n = nz;
	if (nz == 0) {
		t->p_less = t->p_greater = 1;
		t->exact = 1;
		goto out;
	}
	midranks2(absd, nz, r2, &tie_term);
	for (i = 0, nz = 0; i < n; i++) {
		if (d[i] == 0)
			continue;
		if (d[i] > 0)
			obs2 += r2[nz];
		nz++;
	}
	t->stat = (double)obs2 / 2;
	nn = (double)nz;

	if (nz <= CT_STATS_EXACT_MAX) {
		/* g[s]: sign assignments of the ranks seen so far with doubled positive sum s */
		long maxs = (long)(nz * (nz + 1));
		double *g = calloc((size_t)maxs + 1, sizeof(*g));

		if (!g)
			abort();
		g[0] = 1;
		for (i = 0; i < nz; i++)
			for (long s = maxs; s >= r2[i]; s--)
				g[s] += g[s - r2[i]];
		exact_tails(t, g, maxs, obs2);
		free(g);
	} else {
		normal_tails(t, nn * (nn + 1) / 4,
			     nn * (nn + 1) * (2 * nn + 1) / 24 - tie_term / 48);
	}
out:
	free(absd);
	free(r2);
	return 0;
}

double ct_mann_whitney_min_p(size_t na, size_t nb)
{
	/* 1 / C(na+nb, na), computed as a product to stay in range */
	double p = 1;
	size_t k = na < nb ? na : nb, N = na + nb;

	for (size_t i = 1; i <= k; i++)
		p *= (double)i / (double)(N - k + i);
	return p;
}

double ct_wilcoxon_min_p(size_t n)
{
	return ldexp(1.0, -(int)(n > 1000 ? 1000 : n));
}

/* ---- confidence intervals ------------------------------------------------------------ */

static int cmp_dbl_asc(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a > b) - (a < b);
}

/*
 * The largest k with P(S <= k - 1) <= tail under a null distribution counted in dist[0..max]
 * (total: the number of outcomes); 0 when even P(S = 0) exceeds tail.
 */
static long lower_rank(const double *dist, long max, double total, double tail)
{
	double cum = 0;
	long k = 0;

	for (long s = 0; s <= max; s++) {
		if ((cum + dist[s]) / total > tail)
			break;
		cum += dist[s];
		k = s + 1;
	}
	return k;
}

int ct_shift_ci(const double *a, size_t na, const double *b, size_t nb, double conf, double *lo,
		double *hi)
{
	*lo = -INFINITY;
	*hi = INFINITY;
	if (!na || !nb || na * nb > 250000)
		return -1;
	size_t m = na * nb;
	long max = (long)m;
	/* the null distribution of U without ties: f(i, j, u), counted incrementally */
	/* room for the intermediate products below (degree up to na*nb + na) */
	double *dist = calloc((size_t)max + na + 2, sizeof(double));
	double *d = malloc(m * sizeof(double));
	if (!dist || !d) {
		free(dist);
		free(d);
		return -1;
	}
	/* number of arrangements with U = u: coefficients of the Gaussian binomial
	 * [na+nb choose na]_q, built by multiplying (1 - q^(nb+i)) / (1 - q^i) */
	dist[0] = 1;
	long deg = 0;
	for (size_t i = 1; i <= na; i++) {
		long up = (long)(nb + i), down = (long)i;
		/* multiply by (1 - q^up) */
		for (long s = deg + up; s >= up; s--)
			dist[s] -= dist[s - up];
		deg += up;
		/* divide by (1 - q^down) */
		for (long s = down; s <= deg; s++)
			dist[s] += dist[s - down];
		deg -= down;
	}
	double total = 0;
	for (long s = 0; s <= max; s++)
		total += dist[s];
	long k = lower_rank(dist, max, total, (1 - conf) / 2);
	size_t n = 0;
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			d[n++] = a[i] - b[j];
	qsort(d, n, sizeof(double), cmp_dbl_asc);
	if (k >= 1 && (size_t)k <= m) {
		*lo = d[k - 1];
		*hi = d[m - (size_t)k];
	}
	free(dist);
	free(d);
	return k >= 1 ? 0 : -1;
}

int ct_paired_ci(const double *x, size_t n, double conf, double *lo, double *hi)
{
	*lo = -INFINITY;
	*hi = INFINITY;
	if (!n || n > 200)
		return -1;
	long max = (long)(n * (n + 1) / 2);
	double *dist = calloc((size_t)max + 1, sizeof(double));
	double *w = malloc((size_t)max * sizeof(double));
	if (!dist || !w) {
		free(dist);
		free(w);
		return -1;
	}
	dist[0] = 1; /* subsets of ranks 1..n by their sum: the null distribution of W+ */
	long top = 0;
	for (long r = 1; r <= (long)n; r++) {
		for (long s = top; s >= 0; s--)
			dist[s + r] += dist[s];
		top += r;
	}
	double total = ldexp(1.0, (int)n);
	long k = lower_rank(dist, max, total, (1 - conf) / 2);
	size_t nw = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i; j < n; j++)
			w[nw++] = (x[i] + x[j]) / 2; /* the Walsh averages */
	qsort(w, nw, sizeof(double), cmp_dbl_asc);
	if (k >= 1 && k <= max) {
		*lo = w[k - 1];
		*hi = w[(size_t)max - (size_t)k];
	}
	free(dist);
	free(w);
	return k >= 1 ? 0 : -1;
}

void ct_bh_adjust(const double *p, size_t n, double *q)
{
	size_t *ix = malloc((n ? n : 1) * sizeof(size_t));
	if (!ix)
		abort();
	for (size_t i = 0; i < n; i++)
		ix[i] = i;
	/* sort indices by p ascending (insertion sort: n is a report's rows) */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && p[ix[j]] < p[ix[j - 1]]; j--) {
			size_t t = ix[j];
			ix[j] = ix[j - 1];
			ix[j - 1] = t;
		}
	double run = 1;
	for (size_t r = n; r-- > 0;) {
		double v = p[ix[r]] * (double)n / (double)(r + 1);
		run = v < run ? v : run;
		q[ix[r]] = run;
	}
	free(ix);
}
