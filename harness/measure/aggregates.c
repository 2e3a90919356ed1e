/*
 * aggregates.c - the aggregates of repetitions run each in its own process (mean, median,
 * stddev, cv of every measured key), written as Google Benchmark writes its own.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "resultsio.h"

static void set_num_or_null(json_t *o, const char *k, double v)
{
	json_object_set_new(o, k, v >= 0 && isfinite(v) ? json_real(v) : json_null());
}

/* --- aggregates for interleaved repetitions (as Google Benchmark writes them) -----------*/

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Fields of an entry that are not measurements. */
static int is_field(const char *k)
{
	static const char *const f[] = {"family_index", "per_family_instance_index",
					"repetitions",	"repetition_index",
					"threads",	"iterations"};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (!strcmp(k, f[i]))
			return 1;
	return 0;
}

/* The flags the harness sets: an aggregate is marked if any repetition was. */
static int is_flag(const char *k)
{
	return !strcmp(k, "drift") || !strcmp(k, "oversubscribed") || !strcmp(k, "disturbed");
}

void ct_add_aggregates(json_t *out, json_t *reps)
{
	static const char *const names[] = {"mean", "median", "stddev", "cv"};
	json_t *first = NULL, *b;
	size_t i, n = 0;

	json_array_foreach (reps, i, b)
		if (!json_is_true(json_object_get(b, "error_occurred"))) {
			if (!first)
				first = b;
			n++;
		}
	if (n < 2)
		return;
	double *v = malloc(sizeof(double) * n);
	if (!v)
		return;
	for (int a = 0; a < 4; a++) {
		json_t *agg = json_object();
		const char *run_name = json_string_value(json_object_get(first, "run_name"));
		char name[600];
		snprintf(name, sizeof(name), "%s_%s", run_name ? run_name : "?", names[a]);
		json_object_set_new(agg, "name", json_string(name));
		json_object_set(agg, "family_index", json_object_get(first, "family_index"));
		json_object_set(agg, "per_family_instance_index",
				json_object_get(first, "per_family_instance_index"));
		json_object_set(agg, "run_name", json_object_get(first, "run_name"));
		json_object_set_new(agg, "run_type", json_string("aggregate"));
		json_object_set_new(agg, "repetitions", json_integer((json_int_t)n));
		json_object_set(agg, "threads", json_object_get(first, "threads"));
		json_object_set_new(agg, "aggregate_name", json_string(names[a]));
		json_object_set_new(agg, "aggregate_unit",
				    json_string(a == 3 ? "percentage" : "time"));
		json_object_set_new(agg, "iterations", json_integer((json_int_t)n));
		const char *key;
		json_t *val;
		json_object_foreach (first, key, val) {
			if (!json_is_number(val) || is_field(key))
				continue;
			size_t k = 0, j;
			double mx = 0;
			json_array_foreach (reps, j, b) {
				double x;
				if (json_is_true(json_object_get(b, "error_occurred")) ||
				    ct_json_number(b, key, &x) != 0)
					continue;
				v[k++] = x;
				mx = fmax(mx, x);
			}
			if (k == 0) {
				json_object_set_new(agg, key, json_null());
				continue;
			}
			if (is_flag(key)) {
				json_object_set_new(agg, key, json_integer(mx > 0));
				continue;
			}
			double mean = 0, ss = 0, r;
			for (j = 0; j < k; j++)
				mean += v[j] / (double)k;
			for (j = 0; j < k; j++)
				ss += (v[j] - mean) * (v[j] - mean);
			double sd = k > 1 ? sqrt(ss / (double)(k - 1)) : 0;
			qsort(v, k, sizeof(double), cmp_dbl);
			double med = k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
			r = a == 0	? mean
			    : a == 1	? med
			    : a == 2	? sd
			    : mean != 0 ? sd / mean
					: NAN;
			set_num_or_null(agg, key, r);
		}
		json_object_set(agg, "time_unit", json_object_get(first, "time_unit"));
		for (int f = 0; f < 4; f++) {
			static const char *const same[4] = {"workload", "strategy", "params",
							    "windowed"};
			json_t *v = json_object_get(first, same[f]);
			if (v)
				json_object_set(agg, same[f], v);
		}
		json_object_set(agg, "label", json_object_get(first, "label"));
		json_array_append_new(out, agg);
	}
	free(v);
}
