/*
 * c2c.c - see c2c.h.
 */
#include "c2c.h"

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "arch.h"
#include "rtt.h"

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

static uint64_t next_rand(uint64_t *s) /* xorshift64* */
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

/* Index of the unordered pair (i < j) of n: row-major over the upper triangle. */
static long pair_index(long i, long j, long n)
{
	return i * n - i * (i + 1) / 2 + (j - i - 1);
}

int ct_c2c_measure(const int *pus, int n, int sample_max, int repeats, double span_s, ct_c2c *out)
{
	*out = (ct_c2c){.repeats = repeats < 1 ? 1 : repeats,
			.selection = "all",
			.span_s = span_s > 0 ? span_s : 0};
	uint64_t t0 = ct_now_ns();

	out->pus = malloc(sizeof(int) * (size_t)(n > 0 ? n : 1));
	if (!out->pus)
		return -1;
	for (int i = 0; i < n; i++) {
		int dup = 0;
		for (int k = 0; k < out->npus; k++)
			dup |= out->pus[k] == pus[i];
		if (!dup)
			out->pus[out->npus++] = pus[i];
	}
	long np = out->npus, total = np * (np - 1) / 2;
	out->pairs_total = total;
	if (sample_max < 1)
		sample_max = 1;
	long want = total <= sample_max ? total : sample_max;
	out->pairs = calloc((size_t)(want > 0 ? want : 1), sizeof(ct_c2c_pair));
	double *samples =
	    calloc((size_t)(want > 0 ? want : 1) * (size_t)out->repeats, sizeof(double));
	unsigned char *taken = total > want ? calloc((size_t)total, 1) : NULL;
	if (!out->pairs || !samples || (total > want && !taken)) {
		free(samples);
		free(taken);
		ct_c2c_free(out);
		return -1;
	}

	/* Select: all pairs, or the first PU's row, then a seeded draw. */
	if (total <= want) {
		for (long i = 0; i < np; i++)
			for (long j = i + 1; j < np; j++)
				out->pairs[out->npairs++] =
				    (ct_c2c_pair){.a = out->pus[i], .b = out->pus[j]};
	} else {
		uint64_t seed = 0x9e3779b97f4a7c15ull;
		for (long j = 1; j < np && out->npairs < want; j++) {
			taken[pair_index(0, j, np)] = 1;
			out->pairs[out->npairs++] =
			    (ct_c2c_pair){.a = out->pus[0], .b = out->pus[j]};
		}
		while (out->npairs < want) {
			long i = (long)(next_rand(&seed) % (uint64_t)np),
			     j = (long)(next_rand(&seed) % (uint64_t)np);
			if (i == j)
				continue;
			if (i > j) {
				long t = i;
				i = j;
				j = t;
			}
			if (taken[pair_index(i, j, np)])
				continue;
			taken[pair_index(i, j, np)] = 1;
			out->pairs[out->npairs++] =
			    (ct_c2c_pair){.a = out->pus[i], .b = out->pus[j]};
		}
		out->selection = "every pair with the first PU, then pairs drawn with a fixed seed";
	}
	free(taken);

	/* Rounds over all pairs; odd rounds swap the ends. */
	for (int r = 0; r < out->repeats; r++) {
		/* round r starts no earlier than r / repeats of the span */
		uint64_t due = t0 + (uint64_t)(out->span_s * 1e9 * r / out->repeats);
		for (uint64_t now = ct_now_ns(); now < due; now = ct_now_ns()) {
			struct timespec ts = {.tv_sec = (time_t)((due - now) / 1000000000u),
					      .tv_nsec = (long)((due - now) % 1000000000u)};
			nanosleep(&ts, NULL);
		}
		for (int k = 0; k < out->npairs; k++) {
			ct_c2c_pair *p = &out->pairs[k];
			double v = r % 2 ? ct_rtt_ns(p->b, p->a, 1, CT_C2C_BATCHES)
					 : ct_rtt_ns(p->a, p->b, 1, CT_C2C_BATCHES);
			if (v > 0)
				samples[(size_t)k * (size_t)out->repeats + (size_t)p->samples++] =
				    v;
		}
	}
	for (int k = 0; k < out->npairs; k++) {
		ct_c2c_pair *p = &out->pairs[k];
		double *s = &samples[(size_t)k * (size_t)out->repeats];
		p->rtt_ns = p->min_ns = p->max_ns = -1;
		if (p->samples == 0)
			continue;
		qsort(s, (size_t)p->samples, sizeof(double), cmp_double);
		p->min_ns = s[0];
		p->max_ns = s[p->samples - 1];
		p->rtt_ns = p->samples % 2 ? s[p->samples / 2]
					   : (s[p->samples / 2 - 1] + s[p->samples / 2]) / 2;
	}
	free(samples);
	out->seconds = (double)(ct_now_ns() - t0) / 1e9;
	return 0;
}

void ct_c2c_free(ct_c2c *m)
{
	free(m->pus);
	free(m->pairs);
	m->pus = NULL;
	m->pairs = NULL;
	m->npus = m->npairs = 0;
}

json_t *ct_c2c_list_json(const ct_c2c *m)
{
	json_t *list = json_array();

	for (int k = 0; k < m->npairs; k++) {
		const ct_c2c_pair *p = &m->pairs[k];
		if (p->samples == 0)
			continue;
		json_array_append_new(list,
				      json_pack("{s:i, s:i, s:f, s:f, s:f, s:i}", "a", p->a, "b",
						p->b, "rtt_ns", p->rtt_ns, "min_ns", p->min_ns,
						"max_ns", p->max_ns, "samples", p->samples));
	}
	return list;
}

json_t *ct_c2c_sample_json(const ct_c2c *m)
{
	json_t *pus = json_array();
	int failed = 0;

	for (int i = 0; i < m->npus; i++)
		json_array_append_new(pus, json_integer(m->pus[i]));
	for (int k = 0; k < m->npairs; k++)
		failed += m->pairs[k].samples == 0;
	return json_pack("{s:o, s:I, s:i, s:i, s:s, s:i, s:i, s:f, s:f}", "pus", pus, "pairs_total",
			 (json_int_t)m->pairs_total, "pairs_measured", m->npairs - failed, "failed",
			 failed, "selection", m->selection, "repeats", m->repeats, "batches",
			 CT_C2C_BATCHES, "span_s", m->span_s, "seconds", m->seconds);
}

json_t *ct_c2c_json(const int *pus, int n, int sample_max)
{
	ct_c2c m;

	if (ct_c2c_measure(pus, n, sample_max, CT_C2C_REPEATS, 0, &m) != 0)
		return NULL;
	json_t *list = ct_c2c_list_json(&m);
	ct_c2c_free(&m);
	return list;
}

int ct_c2c_context(json_t *ctx, const int *pus, int n, int sample_max)
{
	ct_c2c m;

	if (ct_c2c_measure(pus, n, sample_max, CT_C2C_REPEATS, 0, &m) != 0)
		return -1;
	json_object_set_new(ctx, "c2c", ct_c2c_list_json(&m));
	json_object_set_new(ctx, "c2c_sample", ct_c2c_sample_json(&m));
	ct_c2c_free(&m);
	return 0;
}
