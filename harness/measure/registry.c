/*
 * registry.c - the one registry: families register here, list/run/tests read it.
 */
#include "registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ct_def *defs;
static int ndefs, capdefs;

void ct_register(const ct_def *def)
{
	if (!def->name || !def->fn) {
		fprintf(stderr, "contend: bug: registration without a name or function\n");
		abort();
	}
	if (def->flags & CT_TEST_ONLY) {
		const char *e = getenv("CONTEND_TEST_BENCHES");
		if (!e || strcmp(e, "1") != 0)
			return;
	}
	for (int i = 0; i < ndefs; i++)
		if (!strcmp(defs[i].name, def->name)) {
			fprintf(stderr, "contend: bug: benchmark %s registered twice\n", def->name);
			abort();
		}
	if (ndefs == capdefs) {
		capdefs = capdefs ? 2 * capdefs : 256;
		defs = realloc(defs, sizeof(*defs) * (size_t)capdefs);
		if (!defs)
			abort();
	}
	defs[ndefs] = *def;
	defs[ndefs].name = strdup(def->name);
	defs[ndefs].summary = strdup(def->summary ? def->summary : "");
	ndefs++;
}

void ct_registry_init(void (*register_families)(void))
{
	static int done;

	if (done)
		return;
	done = 1;
	register_families();
}

int ct_registry_count(void)
{
	return ndefs;
}

const ct_def *ct_registry_get(int i)
{
	return i >= 0 && i < ndefs ? &defs[i] : NULL;
}

void ct_instance_name(const ct_def *def, int threads, char *out, size_t outlen)
{
	const char *tt = "";

	if (def->flags & CT_MANUAL_TIME)
		tt = "/manual_time";
	else if (def->flags & CT_REAL_TIME)
		tt = "/real_time";
	snprintf(out, outlen, "%s%s/threads:%d", def->name, tt, threads);
}

static int add_count(int *list, int n, int v)
{
	for (int i = 0; i < n; i++)
		if (list[i] == v)
			return n;
	list[n] = v;
	return n + 1;
}

ct_instance *ct_instances(int npus, const int *override_threads, int *count)
{
	ct_instance *out = NULL;
	int n = 0, cap = 0;

	for (int d = 0; d < ndefs; d++) {
		const ct_def *def = &defs[d];
		int counts[64], nc = 0;

		if (def->threads[0] == CT_THREADS_SWEEP || def->threads[0] == CT_THREADS_SWEEP_2X) {
			if (override_threads) {
				for (int i = 0; override_threads[i] && nc < 64; i++)
					nc = add_count(counts, nc, override_threads[i]);
			} else {
				for (int t = 1; t < npus && nc < 62; t *= 2)
					nc = add_count(counts, nc, t);
				nc = add_count(counts, nc, npus > 0 ? npus : 1);
				if (def->threads[0] == CT_THREADS_SWEEP_2X)
					nc = add_count(counts, nc, npus > 0 ? 2 * npus : 2);
			}
		} else {
			for (int i = 0; i < CT_MAX_THREAD_COUNTS && def->threads[i] > 0; i++)
				nc = add_count(counts, nc, def->threads[i]);
			if (nc == 0)
				counts[nc++] = 1;
		}
		for (int i = 0; i < nc; i++) {
			if (n == cap) {
				cap = cap ? 2 * cap : 256;
				out = realloc(out, sizeof(*out) * (size_t)cap);
				if (!out)
					abort();
			}
			out[n].def = def;
			out[n].threads = counts[i];
			ct_instance_name(def, counts[i], out[n].name, sizeof(out[n].name));
			n++;
		}
	}
	*count = n;
	return out;
}

void ct__native_null_cpp(ct_state *st, void *ctx)
{
	/* The shim runs its native C++ loop instead; reaching here is a bug. */
	(void)ctx;
	ct_skip_error(st, "contend: bug: harness_null_cpp ran as C");
}
