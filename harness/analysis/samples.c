/*
 * samples.c - per-benchmark samples of the deciding metric out of a results file.
 *
 * Samples: the per-repetition entries (run_type "iteration", or no run_type) of each
 * benchmark, keyed by run_name (else name); a benchmark with no such entry falls back on
 * its "median" aggregate (else "mean") as a single sample, since with aggregates alone no
 * test is possible. Times are normalised to ns through time_unit. A value that is absent
 * or null is "missing", an entry with error_occurred "failed"; the harness's drift and
 * disturbed counters (0/1 per repetition, their mean or median on aggregates) mark it.
 *
 * Marked samples (repetitions, or rounds in ab) never decide: they are set aside, and the
 * unmarked rest decides only when it is enough for the test to reach alpha; otherwise the
 * benchmark is "unreliable". The harness marks every repetition of an instance at once (it
 * measures the disturbance around the whole child), so in compare a marked benchmark is
 * normally unreliable as a whole; in ab a disturbed round costs one pair.
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

/* ---- samples --------------------------------------------------------------------------- */

static struct ct_series *series_get(struct ct_runset *rs, const char *name, size_t *cap)
{
	for (size_t i = rs->n; i-- > 0;)
		if (!strcmp(rs->s[i].name, name))
			return &rs->s[i];
	if (rs->n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		rs->s = ct_xrealloc(rs->s, *cap * sizeof(*rs->s));
	}
	struct ct_series *s = &rs->s[rs->n++];
	memset(s, 0, sizeof(*s));
	s->name = ct_xstrdup(name);
	return s;
}

static void series_push(struct ct_series *s, double v, unsigned mark)
{
	s->v = ct_xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->mark = ct_xrealloc(s->mark, (s->n + 1) * sizeof(*s->mark));
	s->mark[s->n] = mark;
	s->v[s->n++] = v;
}

static int is_true(const json_t *e, const char *key)
{
	json_t *v = json_object_get(e, key);
	return json_is_true(v) || (json_is_number(v) && json_number_value(v) != 0);
}

static int marked(const json_t *e, const char *key)
{
	double v;
	return ct_json_number(e, key, &v) == 0 && v > 0;
}

/* The metric of one entry: 1 and *out, 0 when absent/null, -1 on a bad time_unit. */
static int entry_value(const json_t *e, const struct ct_metric *m, const char *file, double *out,
		       char *err, size_t errlen)
{
	double v, f = 1;

	if (ct_json_number(e, m->name, &v) != 0 || !isfinite(v))
		return 0;
	if (m->is_time) {
		const char *u = ct_json_string(e, "time_unit");
		if (!u || !strcmp(u, "ns"))
			f = 1;
		else if (!strcmp(u, "us"))
			f = 1e3;
		else if (!strcmp(u, "ms"))
			f = 1e6;
		else if (!strcmp(u, "s"))
			f = 1e9;
		else {
			snprintf(err, errlen, "%s: benchmark %s: unknown time_unit '%s'", file,
				 ct_json_string(e, "name"), u);
			return -1;
		}
	}
	*out = v * f;
	return 1;
}

/* Distinct PUs in a label's "pus:<list>" (up to ';'), or 0 when it has none. */
static int label_pus(const char *label)
{
	unsigned char seen[1024] = {0};
	int n = 0;

	if (!label || strncmp(label, "pus:", 4) != 0)
		return 0;
	for (const char *p = label + 4; *p && *p != ';';) {
		char *end;
		long a = strtol(p, &end, 10), b;
		if (end == p)
			break;
		b = a;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		/* Only PUs below the bitmap's size count: clamp first, so that a range up to
		 * LONG_MAX cannot overflow k (the fuzzer found that one). */
		const long top = (long)sizeof(seen) * 8 - 1;
		if (a < 0)
			a = 0;
		if (b > top)
			b = top;
		for (long k = a; k <= b; k++)
			if (!(seen[k / 8] >> (k % 8) & 1)) {
				seen[k / 8] |= (unsigned char)(1u << (k % 8));
				n++;
			}
		p = *end == ',' ? end + 1 : end;
		if (*end != ',')
			break;
	}
	return n;
}

/* "workload/k:v/.../threads:N": the rows that differ from this one only in strategy, run
 * side by side (interleaved in one chart); NULL when the entry does not say (schema 1). */
static char *peer_key(const json_t *e)
{
	const char *w = ct_json_string(e, "workload"), *k;
	const json_t *params = json_object_get(e, "params"), *v;
	char buf[1024];
	size_t n;
	double t;

	if (!w || !ct_json_string(e, "strategy"))
		return NULL;
	n = (size_t)snprintf(buf, sizeof(buf), "%s", w);
	json_object_foreach ((json_t *)params, k, v)
		if (n < sizeof(buf))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "/%s:%s", k,
					      json_is_string(v) ? json_string_value(v) : "?");
	if (n < sizeof(buf) && ct_json_number(e, "threads", &t) == 0)
		snprintf(buf + n, sizeof(buf) - n, "/threads:%.0f", t);
	return ct_xstrdup(buf);
}

int ct_runset_collect(const json_t *root, const char *file, const struct ct_metric *m,
		      struct ct_runset *out, char *err, size_t errlen)
{
	const json_t *benches = json_object_get(root, "benchmarks"), *e;
	size_t i, cap = 0;
	double v;
	int rc;

	memset(out, 0, sizeof(*out));
	json_array_foreach (benches, i, e) {
		const char *rt = ct_json_string(e, "run_type");
		const char *key = ct_json_string(e, "run_name");
		if (rt && strcmp(rt, "iteration") != 0)
			continue;
		struct ct_series *s = series_get(out, key ? key : ct_json_string(e, "name"), &cap);
		struct ct_metric em;
		if (ct_metric_of_entry(root, e, m, &em, err, errlen) != 0)
			goto bad;
		if (!s->total) {
			s->peer = peer_key(e);
			s->m = em;
			s->windowed = is_true(e, "windowed");
			s->not_meaningful = !m->declared && em.is_time && s->windowed;
		}
		s->total++;
		if (ct_json_number(e, "threads", &v) == 0 && v > s->threads)
			s->threads = (long)v;
		if (label_pus(ct_json_string(e, "label")) > s->pus)
			s->pus = label_pus(ct_json_string(e, "label"));
		if (ct_json_number(e, "rtt_before_ns", &v) == 0 && isfinite(v) && v > 0) {
			s->rttv = ct_xrealloc(s->rttv, (s->nrtt + 1) * sizeof(*s->rttv));
			s->rttv[s->nrtt++] = v;
		}
		if (ct_json_number(e, "speed_before_ns", &v) == 0 && isfinite(v) && v > 0) {
			s->speedv = ct_xrealloc(s->speedv, (s->nspeed + 1) * sizeof(*s->speedv));
			s->speedv[s->nspeed++] = v;
		}
		if (is_true(e, "error_occurred")) {
			s->failed++;
			if (!s->error[0])
				snprintf(s->error, sizeof(s->error), "%s",
					 ct_json_string(e, "error_message")
					     ? ct_json_string(e, "error_message")
					     : "failed");
			continue;
		}
		rc = entry_value(e, &s->m, file, &v, err, errlen);
		if (rc < 0)
			goto bad;
		unsigned mk = (marked(e, "drift") ? CT_MARK_DRIFT : 0) |
			      (marked(e, "disturbed") ? CT_MARK_DISTURBED : 0);
		if (rc == 0) {
			s->missing++;
			continue;
		}
		series_push(s, v, mk);
		s->drift += !!(mk & CT_MARK_DRIFT);
		s->disturbed += !!(mk & CT_MARK_DISTURBED);
	}
	/* Aggregates only where there was no repetition entry: median first, then mean. */
	for (int pass = 0; pass < 2; pass++) {
		const char *want = pass == 0 ? "median" : "mean";
		json_array_foreach (benches, i, e) {
			const char *rt = ct_json_string(e, "run_type");
			const char *key = ct_json_string(e, "run_name");
			const char *agg = ct_json_string(e, "aggregate_name");
			if (!rt || strcmp(rt, "aggregate") != 0 || !key || !agg ||
			    strcmp(agg, want) != 0)
				continue;
			const struct ct_series *have = ct_runset_find(out, key);
			if (have && (!have->aggregates_only || have->n + have->missing > 0))
				continue;
			struct ct_series *s = series_get(out, key, &cap);
			struct ct_metric em;
			if (ct_metric_of_entry(root, e, m, &em, err, errlen) != 0)
				goto bad;
			s->m = em;
			s->windowed = is_true(e, "windowed");
			s->not_meaningful = !m->declared && em.is_time && s->windowed;
			s->aggregates_only = 1;
			if (ct_json_number(e, "threads", &v) == 0)
				s->threads = (long)v;
			if (ct_json_number(e, "rtt_before_ns", &v) == 0 && isfinite(v) && v > 0) {
				s->rttv = ct_xrealloc(s->rttv, sizeof(*s->rttv));
				s->rttv[0] = v;
				s->nrtt = 1;
			}
			s->total = 1;
			rc = entry_value(e, &s->m, file, &v, err, errlen);
			if (rc < 0)
				goto bad;
			s->drift = marked(e, "drift");
			s->disturbed = marked(e, "disturbed");
			if (rc == 0)
				s->missing = 1;
			else
				series_push(s, v,
					    (s->drift ? CT_MARK_DRIFT : 0) |
						(s->disturbed ? CT_MARK_DISTURBED : 0));
		}
	}
	for (i = 0; i < out->n; i++) {
		struct ct_series *s = &out->s[i];
		s->rtt = ct_median(s->rttv, s->nrtt);
		s->speed = ct_median(s->speedv, s->nspeed);
		/* The drift check is a ping-pong between two PUs: meaningless for a result that
		 * ran on one (the runner measures it for multi-threaded benchmarks only). */
		if (s->pus == 1) {
			for (size_t k = 0; k < s->n; k++)
				s->mark[k] &= ~(unsigned)CT_MARK_DRIFT;
			s->drift = 0;
		}
	}
	return 0;
bad:
	ct_runset_free(out);
	return -1;
}

int ct_series_multi_pu(const struct ct_series *s)
{
	return s->pus ? s->pus > 1 : s->threads > 1;
}

const struct ct_series *ct_runset_find(const struct ct_runset *rs, const char *name)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->s[i].name, name))
			return &rs->s[i];
	return NULL;
}

void ct_runset_free(struct ct_runset *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		free(rs->s[i].name);
		free(rs->s[i].v);
		free(rs->s[i].mark);
		free(rs->s[i].rttv);
		free(rs->s[i].speedv);
		free(rs->s[i].peer);
	}
	free(rs->s);
	memset(rs, 0, sizeof(*rs));
}
