/*
 * names.c - the name grammar taken apart, the schema rule, and the schema-1 rename map
 * (names-v1.tsv, compiled in by the build as ct__names_v1[]).
 */
#include "names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Generated from names-v1.tsv: old, new, old, new, ..., NULL. */
extern const char *const ct__names_v1[];

/* Google Benchmark's own name parts, which end the composed name. */
static int gbench_suffix(const char *p, size_t n)
{
	static const char *const bare[] = {"real_time", "manual_time", "process_time"};
	static const char *const keyed[] = {
	    "threads:", "iterations:", "repeats:", "min_time:", "min_warmup_time:", "real_time:"};

	for (size_t i = 0; i < sizeof(bare) / sizeof(bare[0]); i++)
		if (n == strlen(bare[i]) && !memcmp(p, bare[i], n))
			return 1;
	for (size_t i = 0; i < sizeof(keyed) / sizeof(keyed[0]); i++)
		if (n > strlen(keyed[i]) && !memcmp(p, keyed[i], strlen(keyed[i])))
			return 1;
	return 0;
}

int ct_name_parse(const char *name, size_t *base_len, char *workload, size_t wlen, char *strategy,
		  size_t slen, json_t **params)
{
	const char *p = name;
	int part = 0, ok = 1;
	json_t *ps = params ? json_object() : NULL;

	*base_len = 0;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (part >= 2 && gbench_suffix(p, n))
			break;
		if (part == 0 && workload)
			snprintf(workload, wlen, "%.*s", (int)n, p);
		else if (part == 1 && strategy)
			snprintf(strategy, slen, "%.*s", (int)n, p);
		else if (part >= 2) {
			const char *colon = memchr(p, ':', n);
			if (!colon || colon == p) {
				ok = 0;
			} else if (ps) {
				char key[128];
				snprintf(key, sizeof(key), "%.*s", (int)(colon - p), p);
				json_object_set_new(
				    ps, key, json_stringn(colon + 1, n - (size_t)(colon - p) - 1));
			}
		}
		part++;
		*base_len = (size_t)(p - name) + n;
		p += n + (e ? 1 : 0);
	}
	if (part < 2)
		ok = 0;
	if (params)
		*params = ps;
	return ok ? 0 : -1;
}

const char *ct_name_from_v1(const char *old, size_t len)
{
	for (size_t i = 0; ct__names_v1[i]; i += 2)
		if (strlen(ct__names_v1[i]) == len && !memcmp(ct__names_v1[i], old, len))
			return ct__names_v1[i + 1];
	return NULL;
}

/* name -> new name with the same /threads:N (and aggregate) suffix; NULL if unchanged.
 * The map's names end before the "/threads:" part. malloc'd. */
char *ct_name_upgrade_v1(const char *name)
{
	const char *t = strstr(name, "/threads:");
	size_t base = t ? (size_t)(t - name) : strlen(name);
	const char *nw = ct_name_from_v1(name, base);

	if (!nw)
		return NULL;
	size_t len = strlen(nw) + strlen(name + base) + 1;
	char *out = malloc(len);
	if (!out)
		abort();
	snprintf(out, len, "%s%s", nw, name + base);
	return out;
}

static void rename_key(json_t *b, const char *key)
{
	const char *v = json_string_value(json_object_get(b, key));
	char *nw = v ? ct_name_upgrade_v1(v) : NULL;

	if (nw) {
		json_object_set_new(b, key, json_string(nw));
		free(nw);
	}
}

static void add_parts(json_t *b)
{
	char w[128], s[128];
	size_t base;
	json_t *params;
	const char *name = json_string_value(json_object_get(b, "name"));

	if (!name || json_object_get(b, "workload"))
		return;
	if (ct_name_parse(name, &base, w, sizeof(w), s, sizeof(s), &params) == 0) {
		json_object_set_new(b, "workload", json_string(w));
		json_object_set_new(b, "strategy", json_string(s));
		json_object_set_new(b, "params", params);
	} else {
		json_decref(params);
	}
}

int ct_results_upgrade(json_t *root, const char *path, char *err, size_t errlen)
{
	json_t *ctx = json_object_get(root, "context");
	json_t *sv = json_object_get(ctx, "contend_schema");
	json_t *benches = json_object_get(root, "benchmarks"), *b;
	size_t i;

	if (!json_is_integer(sv) ||
	    (json_integer_value(sv) != CT_SCHEMA && json_integer_value(sv) != CT_SCHEMA_PREVIOUS)) {
		char got[32];
		if (json_is_integer(sv))
			snprintf(got, sizeof(got), "%lld", (long long)json_integer_value(sv));
		else
			snprintf(got, sizeof(got), "none");
		snprintf(err, errlen,
			 "%s: contend_schema %s: this contend reads schema %d and %d (the one "
			 "before it)",
			 path, got, CT_SCHEMA, CT_SCHEMA_PREVIOUS);
		return -1;
	}
	if (json_integer_value(sv) == CT_SCHEMA_PREVIOUS) {
		for (i = 0; i < json_array_size(benches); i++) {
			b = json_array_get(benches, i);
			rename_key(b, "name");
			rename_key(b, "run_name");
		}
		json_object_set_new(ctx, "contend_schema_read_from",
				    json_integer(CT_SCHEMA_PREVIOUS));
		json_object_set_new(ctx, "contend_schema", json_integer(CT_SCHEMA));
	}
	for (i = 0; i < json_array_size(benches); i++)
		add_parts(json_array_get(benches, i));
	return 0;
}
