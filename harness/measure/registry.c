/*
 * registry.c - the one registry: families register here, list/run/tests read it.
 */
#include "registry.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ct_def *defs;
static int ndefs, capdefs;

const char *ct_int(long long v)
{
	static char slots[16][24];
	static unsigned next;
	char *b = slots[next++ % 16];

	snprintf(b, sizeof(slots[0]), "%lld", v);
	return b;
}

__attribute__((noreturn)) static void bug(const char *what, const char *where)
{
	fprintf(stderr, "contend: bug: %s in the registration of %s\n", what, where);
	abort();
}

/* A name part: non-empty, printable, no '/' (and for a key or a workload/strategy no ':'). */
static int part_ok(const char *s, int colon_ok)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (*s == '/' || *s <= ' ' || (*s == ':' && !colon_ok))
			return 0;
	return 1;
}

void ct_compose_name(const ct_def *def, char *out, size_t outlen)
{
	size_t n = (size_t)snprintf(out, outlen, "%s/%s", def->workload, def->strategy);

	for (int i = 0; i < CT_MAX_PARAMS && def->params[i].key && n < outlen; i++)
		n += (size_t)snprintf(out + n, outlen - n, "/%s:%s", def->params[i].key,
				      def->params[i].value);
}

void ct_register(const ct_def *def)
{
	char name[256];
	const char *where = def->workload ? def->workload : "?";

	if (!part_ok(def->workload, 0) || !part_ok(def->strategy, 0) || !def->fn)
		bug("a missing or malformed workload, strategy or function", where);
	for (int i = 0; i < CT_MAX_PARAMS && def->params[i].key; i++)
		if (!part_ok(def->params[i].key, 0) || !part_ok(def->params[i].value, 1))
			bug("a malformed parameter", where);
	ct_compose_name(def, name, sizeof(name));
	if (strlen(name) >= sizeof(name) - 32)
		bug("a name too long", where);
	if (def->flags & CT_TEST_ONLY) {
		const char *e = getenv("CONTEND_TEST_BENCHES");
		if (!e || strcmp(e, "1") != 0)
			return;
	}
	for (int i = 0; i < ndefs; i++)
		if (!strcmp(defs[i].name, name))
			bug("a name registered twice", name);
	if (ndefs == capdefs) {
		capdefs = capdefs ? 2 * capdefs : 256;
		defs = realloc(defs, sizeof(*defs) * (size_t)capdefs);
		if (!defs)
			abort();
	}
	if (!def->workload || !def->strategy) /* checked above; said again for the analyzer */
		abort();
	ct_def *d = &defs[ndefs++];
	*d = *def;
	d->workload = strdup(def->workload);
	d->strategy = strdup(def->strategy);
	for (int i = 0; i < CT_MAX_PARAMS && def->params[i].key; i++) {
		d->params[i].key = strdup(def->params[i].key);
		d->params[i].value = strdup(def->params[i].value);
	}
	d->name = strdup(name);
	d->summary = strdup(def->summary ? def->summary : "");
	if (!d->workload || !d->strategy || !d->name || !d->summary)
		abort();
}

void ct_registry_init(void (*register_families)(void))
{
	static int done;

	if (done)
		return;
	done = 1;
	register_families();
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

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return x < y ? -1 : x > y;
}

/*
 * A sweep's thread counts for npus PUs, ascending (and 2 x npus as well for
 * CT_THREADS_SWEEP_2X). Up to 64 PUs: the powers of two below npus, the placement's
 * boundaries (topology.c: where a core, L3, NUMA node or package fills, or every one is
 * used once) and npus; on a small machine the boundaries are powers of two already and the
 * sweep is 1, 2, 4 ... npus. Above 64 PUs, where every point costs a process per benchmark:
 * 1, 2, 4 (where contention sets in), the boundaries and npus, and a power of two in any
 * gap wider than 8x (so 4 -> 64 gets 16), not every power of two.
 */
#define SWEEP_DENSE_PUS 64

static int sweep_counts(int npus, const int *boundaries, int twice, int *counts, int max)
{
	int nc = 0;

	if (npus < 1)
		npus = 1;
	for (int t = 1; t < npus && nc < max - 2 && (npus <= SWEEP_DENSE_PUS || t <= 4); t *= 2)
		nc = add_count(counts, nc, t);
	for (int i = 0; boundaries && boundaries[i] && nc < max - 2; i++)
		if (boundaries[i] > 0 && boundaries[i] < npus)
			nc = add_count(counts, nc, boundaries[i]);
	nc = add_count(counts, nc, npus);
	qsort(counts, (size_t)nc, sizeof(int), cmp_int);
	for (int i = 0; i + 1 < nc && nc < max - 1; i++) {
		if (counts[i + 1] <= 8 * counts[i])
			continue;
		/* the power of two nearest the geometric middle of the gap */
		double mid = sqrt((double)counts[i] * (double)counts[i + 1]);
		int p = 1;
		while (p * 2 <= mid)
			p *= 2;
		if (2.0 * p - mid < mid - p)
			p *= 2;
		nc = add_count(counts, nc, p);
		qsort(counts, (size_t)nc, sizeof(int), cmp_int);
		i = -1; /* look again from the start */
	}
	if (twice)
		nc = add_count(counts, nc, 2 * npus);
	return nc;
}

ct_instance *ct_instances_sweep(int npus, const int *boundaries, const int *override_threads,
				int *count)
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
				nc = sweep_counts(npus, boundaries,
						  def->threads[0] == CT_THREADS_SWEEP_2X, counts,
						  64);
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

ct_instance *ct_instances(int npus, const int *override_threads, int *count)
{
	return ct_instances_sweep(npus, NULL, override_threads, count);
}

void ct__native_null_cpp(ct_state *st, void *ctx)
{
	/* The shim runs its native C++ loop instead; reaching here is a bug. */
	(void)ctx;
	ct_skip_error(st, "contend: bug: the native C++ reference loop ran as C");
}

/* --- views ------------------------------------------------------------------------------- */

static ct_view *views;
static int nviews, capviews;

static const char *dup_or_null(const char *s)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		abort();
	return d;
}

void ct_register_view(const ct_view *v)
{
	if (!part_ok(v->workload, 0))
		bug("a view without a well-formed workload", v->workload ? v->workload : "?");
	for (int i = 0; i < nviews; i++)
		if (!strcmp(views[i].workload, v->workload))
			bug("a second view", v->workload);
	if (nviews == capviews) {
		capviews = capviews ? 2 * capviews : 64;
		views = realloc(views, sizeof(*views) * (size_t)capviews);
		if (!views)
			abort();
	}
	ct_view *d = &views[nviews++];
	*d = *v;
	d->workload = dup_or_null(v->workload);
	d->section = dup_or_null(v->section);
	d->title = dup_or_null(v->title);
	d->question = dup_or_null(v->question);
	d->x = dup_or_null(v->x);
	d->x_label = dup_or_null(v->x_label);
	d->series = dup_or_null(v->series);
	d->cluster = dup_or_null(v->cluster);
	d->metric = dup_or_null(v->metric);
	d->metric_label = dup_or_null(v->metric_label);
	d->baseline = dup_or_null(v->baseline);
	d->notes = dup_or_null(v->notes);
	for (int i = 0; i < CT_MAX_EQUIV && v->same[i].arch; i++) {
		d->same[i].arch = dup_or_null(v->same[i].arch);
		d->same[i].strategies = dup_or_null(v->same[i].strategies);
		d->same[i].why = dup_or_null(v->same[i].why);
	}
}

const ct_view *ct_view_of(const char *workload)
{
	for (int i = 0; i < nviews; i++)
		if (!strcmp(views[i].workload, workload))
			return &views[i];
	return NULL;
}

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(v));
}

static json_t *words(const char *s)
{
	json_t *a = json_array();

	while (s && *s) {
		while (*s == ' ')
			s++;
		size_t n = strcspn(s, " ");
		if (n)
			json_array_append_new(a, json_stringn(s, n));
		s += n;
	}
	return a;
}

json_t *ct_view_json(const ct_view *v)
{
	json_t *o = json_object(), *same = json_array();

	set_str(o, "section", v->section);
	set_str(o, "title", v->title);
	set_str(o, "question", v->question);
	set_str(o, "x", v->x);
	set_str(o, "x_label", v->x_label);
	json_object_set_new(o, "series", words(v->series));
	set_str(o, "cluster", v->cluster);
	set_str(o, "metric", v->metric);
	set_str(o, "metric_label", v->metric_label);
	json_object_set_new(
	    o, "direction",
	    json_string(v->lower_is_better ? "lower_is_better" : "higher_is_better"));
	set_str(o, "baseline", v->baseline);
	json_object_set_new(o, "limits", words(v->limits));
	set_str(o, "limit_bound", v->limit_bound);
	for (int i = 0; i < CT_MAX_EQUIV && v->same[i].arch; i++)
		json_array_append_new(same, json_pack("{s:s, s:o, s:s}", "arch", v->same[i].arch,
						      "strategies", words(v->same[i].strategies),
						      "why", v->same[i].why ? v->same[i].why : ""));
	json_object_set_new(o, "same_instruction", same);
	set_str(o, "notes", v->notes);
	json_object_set_new(o, "table", json_boolean(v->flags & CT_VIEW_TABLE));
	json_object_set_new(o, "own_threads", json_boolean(v->flags & CT_VIEW_OWN_THREADS));
	return o;
}
