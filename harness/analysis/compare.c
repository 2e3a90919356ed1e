/*
 * compare.c - see compare.h.
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
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"
#include "resultsio.h"
#include "stats.h"

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* ---- metric ---------------------------------------------------------------------------- */

int ct_metric_resolve(const char *name, const char *direction, struct ct_metric *m, char *err,
		      size_t errlen)
{
	static const char *const lower_suffix[] = {"_ns",     "_us",  "_ms", "_time",
						   "_per_op", "_pct", "_cv", "_maxmin"};
	static const char *const lower_part[] = {"rtt", "latency", "makespan"};
	static const char *const higher_suffix[] = {"per_second", "_per_sec", "_per_s",
						    "throughput"};
	int dir = -1;
	size_t i;

	if (!name)
		name = "real_time";
	memset(m, 0, sizeof(*m));
	if (!*name || strlen(name) >= sizeof(m->name)) {
		snprintf(err, errlen,
			 "--metric: give a metric name (real_time, cpu_time, "
			 "items_per_second or a counter)");
		return -1;
	}
	snprintf(m->name, sizeof(m->name), "%s", name);
	if (!strcmp(name, "drift") || !strcmp(name, "disturbed") ||
	    !strcmp(name, "oversubscribed")) {
		snprintf(err, errlen, "--metric %s: a mark the harness sets, not a measure", name);
		return -1;
	}
	if (!strcmp(name, "real_time") || !strcmp(name, "cpu_time")) {
		m->is_time = 1;
		dir = 0;
	}
	for (i = 0; dir < 0 && i < sizeof(higher_suffix) / sizeof(*higher_suffix); i++)
		if (ends_with(name, higher_suffix[i]))
			dir = 1;
	for (i = 0; dir < 0 && i < sizeof(lower_suffix) / sizeof(*lower_suffix); i++)
		if (ends_with(name, lower_suffix[i]))
			dir = 0;
	for (i = 0; dir < 0 && i < sizeof(lower_part) / sizeof(*lower_part); i++)
		if (strstr(name, lower_part[i]))
			dir = 0;
	m->is_rate = ends_with(name, "per_second");
	if (direction) {
		if (!strcmp(direction, "lower"))
			dir = 0;
		else if (!strcmp(direction, "higher"))
			dir = 1;
		else {
			snprintf(err, errlen,
				 "--direction %s: say lower or higher (which is better)",
				 direction);
			return -1;
		}
	}
	if (dir < 0) {
		snprintf(
		    err, errlen,
		    "--metric %s: cannot tell from the name whether lower or higher is better; "
		    "add --direction lower|higher",
		    name);
		return -1;
	}
	m->higher_better = dir;
	return 0;
}

/* ---- samples --------------------------------------------------------------------------- */

static struct ct_series *series_get(struct ct_runset *rs, const char *name, size_t *cap)
{
	for (size_t i = rs->n; i-- > 0;)
		if (!strcmp(rs->s[i].name, name))
			return &rs->s[i];
	if (rs->n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		rs->s = xrealloc(rs->s, *cap * sizeof(*rs->s));
	}
	struct ct_series *s = &rs->s[rs->n++];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	return s;
}

static void series_push(struct ct_series *s, double v, unsigned mark)
{
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->mark = xrealloc(s->mark, (s->n + 1) * sizeof(*s->mark));
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
		s->total++;
		if (ct_json_number(e, "threads", &v) == 0 && v > s->threads)
			s->threads = (long)v;
		if (label_pus(ct_json_string(e, "label")) > s->pus)
			s->pus = label_pus(ct_json_string(e, "label"));
		if (ct_json_number(e, "rtt_before_ns", &v) == 0 && isfinite(v) && v > 0) {
			s->rttv = xrealloc(s->rttv, (s->nrtt + 1) * sizeof(*s->rttv));
			s->rttv[s->nrtt++] = v;
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
		rc = entry_value(e, m, file, &v, err, errlen);
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
			s->aggregates_only = 1;
			if (ct_json_number(e, "threads", &v) == 0)
				s->threads = (long)v;
			if (ct_json_number(e, "rtt_before_ns", &v) == 0 && isfinite(v) && v > 0) {
				s->rttv = xrealloc(s->rttv, sizeof(*s->rttv));
				s->rttv[0] = v;
				s->nrtt = 1;
			}
			s->total = 1;
			rc = entry_value(e, m, file, &v, err, errlen);
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
		/* The drift check is a ping-pong between two PUs: meaningless for a result that
		 * ran on one (issue 2 measures it for multi-threaded benchmarks only). */
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
	}
	free(rs->s);
	memset(rs, 0, sizeof(*rs));
}

/* ---- decisions ------------------------------------------------------------------------- */

static void row_init(struct ct_row *r, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->name = xstrdup(name);
	r->base = r->new = r->change = r->p = NAN;
}

/*
 * The common rule, once the change is known: worse beyond the threshold and significant is a
 * regression; better likewise an improvement; beyond it without significance is noise.
 * p_up/p_down: one-sided p that NEW is larger/smaller (ignored when !can_test).
 */
static void decide(struct ct_row *r, const struct ct_decide_opts *o, int can_test, double p_up,
		   double p_down, const char *why_no_test)
{
	int hb = o->metric.higher_better;
	int worse = hb ? r->change < -o->threshold : r->change > o->threshold;
	int better = hb ? r->change > o->threshold : r->change < -o->threshold;
	int up = r->change > 0;

	if (!can_test) {
		r->threshold_only = 1;
		r->verdict = worse ? CT_V_REGRESSION : better ? CT_V_IMPROVED : CT_V_UNCHANGED;
		if (why_no_test)
			snprintf(r->note, sizeof(r->note), "%s", why_no_test);
		return;
	}
	r->p = up ? p_up : p_down;
	if (worse || better)
		r->verdict =
		    r->p < o->alpha ? (worse ? CT_V_REGRESSION : CT_V_IMPROVED) : CT_V_NOISE;
	else
		r->verdict = CT_V_UNCHANGED;
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
		return;
	}
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
		snprintf(r->note, sizeof(r->note), "no %s in %s", o->metric.name,
			 b->n == 0 && n->n == 0 ? "either"
			 : b->n == 0		? "base"
						: "new");
		return;
	}

	/* Two runs in different machine states (vCPU placement: the cache-line round trip
	 * moved by more than half) are not compared for a benchmark of several threads. */
	if (ct_series_multi_pu(b) && ct_series_multi_pu(n) && states_differ(b->rtt, n->rtt)) {
		r->verdict = CT_V_UNRELIABLE;
		r->base = ct_median(b->v, b->n);
		r->new = ct_median(n->v, n->n);
		if (r->base != 0)
			r->change = (r->new - r->base) / fabs(r->base) * 100;
		snprintf(r->note, sizeof(r->note),
			 "round trip %.0f ns in base, %.0f ns in new: another vCPU placement",
			 b->rtt, n->rtt);
		return;
	}

	/* Marked repetitions are set aside; the rest decide only if they can reach alpha. */
	double *cb = xrealloc(NULL, b->n * sizeof(double)),
	       *cn = xrealloc(NULL, n->n * sizeof(double));
	size_t nb = clean_values(b, cb), nn = clean_values(n, cn);
	int aggr = b->aggregates_only || n->aggregates_only;
	int can_test = !aggr && nb && nn && ct_mann_whitney_min_p(nb, nn) < o->alpha;
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
	if (can_test)
		ct_mann_whitney(cn, nn, cb, nb, &t);
	decide(r, o, can_test, can_test ? t.p_greater : 1, can_test ? t.p_less : 1,
	       aggr ? "aggregates only, no repetitions" : NULL);
	if (set_aside)
		snprintf(r->note, sizeof(r->note), "marked set aside: %s", marks);
out:
	free(cb);
	free(cn);
}

void ct_decide_paired(const char *name, const double *old, const double *new, const unsigned *om,
		      const unsigned *nm, size_t rounds, const struct ct_decide_opts *o,
		      struct ct_row *r)
{
	size_t k, np = 0, nc = 0, ofail = 0, nfail = 0, od = 0, os = 0, nd = 0, ns = 0, st = 0,
		  nold = 0, nnew = 0;
	double *a = xrealloc(NULL, (rounds + 1) * sizeof(double));
	double *b = xrealloc(NULL, (rounds + 1) * sizeof(double));
	double *d = xrealloc(NULL, (rounds + 1) * sizeof(double));
	double *ratio = xrealloc(NULL, (rounds + 1) * sizeof(double));
	int positive = 1;
	struct ct_test t;
	char marks[160];
	const unsigned bad = CT_MARK_DRIFT | CT_MARK_DISTURBED | CT_MARK_STATE;

	row_init(r, name);
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
		snprintf(r->note, sizeof(r->note), "no %s in %s", o->metric.name,
			 !nold && !nnew ? "either"
			 : !nold	? "old"
					: "new");
		goto out;
	}
	int set_aside = nc < np;
	int can_test = nc && ct_wilcoxon_min_p(nc) < o->alpha;
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
	if (can_test)
		ct_wilcoxon(d, nc, &t);
	decide(r, o, can_test, can_test ? t.p_greater : 1, can_test ? t.p_less : 1, NULL);
	if (set_aside)
		snprintf(r->note, sizeof(r->note), "marked set aside: %s", marks);
out:
	free(a);
	free(b);
	free(d);
	free(ratio);
}

/* ---- context --------------------------------------------------------------------------- */

static const char *str_or(const json_t *ctx, const char *key, const char *dflt)
{
	const char *s = ct_json_string(ctx, key);
	return s ? s : dflt;
}

static void note_add(char *note, size_t len, const char *fmt, ...)
{
	size_t n = strlen(note);
	va_list ap;

	if (n && n + 2 < len) {
		strcat(note, "; ");
		n += 2;
	}
	va_start(ap, fmt);
	/* va_start is above: the analyzer loses it when it inlines this helper */
	vsnprintf(note + n, len - n, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
	va_end(ap);
}

int ct_context_check(const json_t *bc, const json_t *nc, char *err, size_t errlen, char *note,
		     size_t notelen)
{
	static const char *const must[] = {"profile", "placement"};
	static const char *const noted[] = {"compiler", "cflags", "kernel", "hypervisor"};
	size_t i;

	for (i = 0; i < sizeof(must) / sizeof(*must); i++) {
		json_t *x = json_object_get(bc, must[i]), *y = json_object_get(nc, must[i]);
		if (!json_equal(x, y) && !(json_is_null(x) && !y) && !(!x && json_is_null(y))) {
			snprintf(err, errlen, "not comparable: BASE has %s '%s', NEW '%s'", must[i],
				 str_or(bc, must[i], "(none)"), str_or(nc, must[i], "(none)"));
			return -1;
		}
	}
	if (strcmp(str_or(bc, "cpu_model", ""), str_or(nc, "cpu_model", "")) != 0) {
		snprintf(err, errlen, "not comparable: different machines (cpu_model '%s' vs '%s')",
			 str_or(bc, "cpu_model", "(none)"), str_or(nc, "cpu_model", "(none)"));
		return -1;
	}
	json_t *bt = json_object_get(bc, "topology"), *nt = json_object_get(nc, "topology");
	if ((bt || nt) && !json_equal(bt, nt)) {
		char *x = bt ? json_dumps(bt, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		char *y = nt ? json_dumps(nt, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		snprintf(err, errlen, "not comparable: different machines (topology %s vs %s)",
			 x ? x : "(none)", y ? y : "(none)");
		free(x);
		free(y);
		return -1;
	}
	for (i = 0; i < sizeof(noted) / sizeof(*noted); i++) {
		json_t *x = json_object_get(bc, noted[i]), *y = json_object_get(nc, noted[i]);
		if ((x || y) && !json_equal(x, y))
			note_add(note, notelen, "%s differs: '%s' vs '%s'", noted[i],
				 str_or(bc, noted[i], "(none)"), str_or(nc, noted[i], "(none)"));
	}
	if (json_is_true(json_object_get(bc, "interrupted")))
		note_add(note, notelen, "BASE run was interrupted (some benchmarks missing)");
	if (json_is_true(json_object_get(nc, "interrupted")))
		note_add(note, notelen, "NEW run was interrupted (some benchmarks missing)");
	return 0;
}

static void slug(const char *s, char *out, size_t len, size_t max)
{
	size_t n = 0;
	int dash = 1;

	for (; *s && n + 1 < len && n < max; s++) {
		char c = *s;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			out[n++] = c;
			dash = 0;
		} else if (!dash) {
			out[n++] = '-';
			dash = 1;
		}
	}
	while (n && out[n - 1] == '-')
		n--;
	out[n] = '\0';
	if (!n)
		snprintf(out, len, "unknown");
}

void ct_fingerprint(const json_t *ctx, char *out, size_t outlen, char *desc, size_t desclen)
{
	const json_t *topo = json_object_get(ctx, "topology");
	char *t = topo ? json_dumps(topo, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	const char *cpu = str_or(ctx, "cpu_model", "(unknown)");
	const char *cc = str_or(ctx, "compiler", "(unknown)");
	const char *pl = str_or(ctx, "placement", "(none)");
	const char *pr = str_or(ctx, "profile", "(none)");
	char canon[2048], cs[40], ps[24];
	uint64_t h = 0xcbf29ce484222325ull;

	snprintf(canon, sizeof(canon),
		 "cpu_model=%s\ntopology=%s\ncompiler=%s\nplacement=%s\n"
		 "profile=%s\n",
		 cpu, t ? t : "null", cc, pl, pr);
	for (const unsigned char *p = (const unsigned char *)canon; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ull;
	}
	slug(cpu, cs, sizeof(cs), 32);
	slug(pl, ps, sizeof(ps), 16);
	snprintf(out, outlen, "%s-%s-%012llx", cs, ps, (unsigned long long)(h & 0xffffffffffffull));
	if (desc)
		snprintf(desc, desclen,
			 "cpu_model '%s', topology %s, compiler '%s', placement '%s', "
			 "profile '%s'",
			 cpu, t ? t : "(none)", cc, pl, pr);
	free(t);
}

const char *ct_baselines_dir(const char *given)
{
	struct stat sb;

	if (given)
		return given;
	if (stat("results/baselines", &sb) == 0 && S_ISDIR(sb.st_mode))
		return "results/baselines";
#ifdef CONTEND_SOURCE_DIR
	return CONTEND_SOURCE_DIR "/results/baselines";
#else
	return "results/baselines";
#endif
}

void ct_baseline_path(const char *dir, const json_t *ctx, char *out, size_t outlen, char *fp,
		      size_t fplen, char *desc, size_t desclen)
{
	char f[128];

	ct_fingerprint(ctx, f, sizeof(f), desc, desclen);
	snprintf(out, outlen, "%s/%s.json", dir, f);
	if (fp)
		snprintf(fp, fplen, "%s", f);
}

/* ---- report ---------------------------------------------------------------------------- */

struct ct_row *ct_report_add(struct ct_report *rep)
{
	if (rep->n == rep->cap) {
		rep->cap = rep->cap ? 2 * rep->cap : 32;
		rep->rows = xrealloc(rep->rows, rep->cap * sizeof(*rep->rows));
	}
	return &rep->rows[rep->n++];
}

void ct_report_free(struct ct_report *rep)
{
	for (size_t i = 0; i < rep->n; i++)
		free(rep->rows[i].name);
	free(rep->rows);
	rep->rows = NULL;
	rep->n = rep->cap = 0;
}

int ct_report_status(const struct ct_report *rep)
{
	for (size_t i = 0; i < rep->n; i++)
		if (rep->rows[i].verdict == CT_V_REGRESSION ||
		    rep->rows[i].verdict == CT_V_FAILED_NEW)
			return 1;
	return 0;
}

const char *ct_verdict_word(enum ct_verdict v)
{
	switch (v) {
	case CT_V_UNCHANGED:
		return "unchanged";
	case CT_V_NOISE:
		return "not significant";
	case CT_V_REGRESSION:
		return "REGRESSION";
	case CT_V_IMPROVED:
		return "improved";
	case CT_V_UNRELIABLE:
		return "unreliable";
	case CT_V_FAILED_NEW:
		return "FAILED in new";
	case CT_V_FAILED_BASE:
		return "failed in base";
	case CT_V_FAILED_BOTH:
		return "failed in both";
	case CT_V_NO_METRIC:
		return "no metric";
	case CT_V_UNDEFINED:
		return "undefined";
	case CT_V_ONLY_BASE:
		return "only in base";
	case CT_V_ONLY_NEW:
		return "only in new";
	}
	return "?";
}

static void fmt_value(char *buf, size_t len, double v, const struct ct_metric *m)
{
	static const char *const tu[] = {"ns", "us", "ms", "s"};
	static const char *const si[] = {"", "k", "M", "G", "T"};
	int i = 0;

	if (isnan(v)) {
		snprintf(buf, len, "-");
	} else if (m->is_time) {
		while (i < 3 && fabs(v) >= 1000) {
			v /= 1000;
			i++;
		}
		snprintf(buf, len, "%.4g %s", v, tu[i]);
	} else if (m->is_rate) {
		while (i < 4 && fabs(v) >= 1000) {
			v /= 1000;
			i++;
		}
		snprintf(buf, len, "%.4g %s/s", v, si[i]);
	} else {
		snprintf(buf, len, "%.4g", v);
	}
}

static void fmt_p(char *buf, size_t len, double p)
{
	if (isnan(p))
		snprintf(buf, len, "-");
	else if (p < 0.001)
		snprintf(buf, len, "%.1e", p);
	else
		snprintf(buf, len, "%.3f", p);
}

static void fmt_change(char *buf, size_t len, double c)
{
	if (isnan(c))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%+.1f%%", c);
}

static void fmt_verdict(char *buf, size_t len, const struct ct_row *r)
{
	snprintf(buf, len, "%s%s%s%s", ct_verdict_word(r->verdict),
		 r->threshold_only ? " (threshold only)" : "", r->note[0] ? ": " : "", r->note);
}

struct counts {
	size_t reg, imp, same, noise, unrel, failnew, other, onlyb, onlyn;
};

static struct counts count_rows(const struct ct_report *rep)
{
	struct counts c = {0};
	for (size_t i = 0; i < rep->n; i++)
		switch (rep->rows[i].verdict) {
		case CT_V_REGRESSION:
			c.reg++;
			break;
		case CT_V_IMPROVED:
			c.imp++;
			break;
		case CT_V_UNCHANGED:
			c.same++;
			break;
		case CT_V_NOISE:
			c.noise++;
			break;
		case CT_V_UNRELIABLE:
			c.unrel++;
			break;
		case CT_V_FAILED_NEW:
			c.failnew++;
			break;
		case CT_V_ONLY_BASE:
			c.onlyb++;
			break;
		case CT_V_ONLY_NEW:
			c.onlyn++;
			break;
		default:
			c.other++;
		}
	return c;
}

static void rule_text(char *buf, size_t len, const struct ct_report *rep,
		      const struct ct_decide_opts *o)
{
	snprintf(buf, len,
		 "metric %s (%s is better); a regression is a median more than %g%% worse "
		 "with one-sided %s p < %g",
		 o->metric.name, o->metric.higher_better ? "higher" : "lower", o->threshold,
		 rep->test_name, o->alpha);
}

static int threshold_only_any(const struct ct_report *rep)
{
	for (size_t i = 0; i < rep->n; i++)
		if (rep->rows[i].threshold_only)
			return 1;
	return 0;
}

static void summary_text(char *buf, size_t len, const struct ct_report *rep)
{
	struct counts c = count_rows(rep);
	const struct {
		size_t n;
		const char *what;
	} parts[] = {
	    {c.reg, "regressed"},   {c.failnew, "failed in new"}, {c.imp, "improved"},
	    {c.same, "unchanged"},  {c.noise, "not significant"}, {c.unrel, "unreliable"},
	    {c.other, "undecided"}, {c.onlyb, "only in base"},	  {c.onlyn, "only in new"}};
	size_t n = (size_t)snprintf(buf, len, "verdict: %s (",
				    c.reg || c.failnew ? "REGRESSION" : "no regression");
	const char *sep = "";

	for (size_t i = 0; i < sizeof(parts) / sizeof(*parts) && n < len; i++) {
		if (!parts[i].n)
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%zu %s", sep, parts[i].n, parts[i].what);
		sep = ", ";
	}
	if (n < len)
		snprintf(buf + n, len - n, ")");
}

static void print_cells(FILE *f, const size_t *w, char cell[][400], int ncol)
{
	for (int c = 0; c < ncol; c++) {
		if (c == ncol - 1)
			fprintf(f, "%s\n", cell[c]);
		else if (c == 0)
			fprintf(f, "%-*s  ", (int)w[c], cell[c]);
		else
			fprintf(f, "%*s  ", (int)w[c], cell[c]);
	}
}

static void row_cells(const struct ct_row *r, const struct ct_metric *m, char cell[][400])
{
	snprintf(cell[0], 400, "%s", r->name);
	fmt_value(cell[1], 400, r->base, m);
	fmt_value(cell[2], 400, r->new, m);
	fmt_change(cell[3], 400, r->change);
	fmt_p(cell[4], 400, r->p);
	fmt_verdict(cell[5], 400, r);
}

static int listed_apart(const struct ct_row *r)
{
	return r->verdict == CT_V_ONLY_BASE || r->verdict == CT_V_ONLY_NEW;
}

void ct_report_print(FILE *f, const struct ct_report *rep, const struct ct_decide_opts *o)
{
	enum { NC = 6 };
	static const char *const head[NC] = {"benchmark", "base", "new", "change", "p", "verdict"};
	size_t w[NC], i;
	int c;
	char cell[NC][400], buf[800];

	fprintf(f, "base: %s\nnew:  %s\n", rep->base_label, rep->new_label);
	rule_text(buf, sizeof(buf), rep, o);
	fprintf(f, "%s\n", buf);
	if (rep->notes[0])
		fprintf(f, "note: %s\n", rep->notes);
	for (c = 0; c < NC; c++) {
		snprintf(cell[c], sizeof(cell[c]), "%s", head[c]);
		w[c] = strlen(head[c]);
	}
	for (i = 0; i < rep->n; i++) {
		if (listed_apart(&rep->rows[i]))
			continue;
		row_cells(&rep->rows[i], &o->metric, cell);
		for (c = 0; c < NC; c++)
			if (strlen(cell[c]) > w[c])
				w[c] = strlen(cell[c]);
	}
	for (c = 0; c < NC; c++)
		snprintf(cell[c], sizeof(cell[c]), "%s", head[c]);
	fputc('\n', f);
	print_cells(f, w, cell, NC);
	for (i = 0; i < rep->n; i++) {
		if (listed_apart(&rep->rows[i]))
			continue;
		row_cells(&rep->rows[i], &o->metric, cell);
		print_cells(f, w, cell, NC);
	}
	for (int side = 0; side < 2; side++) {
		enum ct_verdict want = side ? CT_V_ONLY_NEW : CT_V_ONLY_BASE;
		const char *sep = "";
		int any = 0;
		for (i = 0; i < rep->n; i++) {
			if (rep->rows[i].verdict != want)
				continue;
			if (!any)
				fprintf(f, "\n%s: ", ct_verdict_word(want));
			fprintf(f, "%s%s", sep, rep->rows[i].name);
			sep = ", ";
			any = 1;
		}
		if (any)
			fputc('\n', f);
	}
	if (threshold_only_any(rep))
		fprintf(f,
			"\n(threshold only): too few %s for the test to reach p < %g, decided on "
			"the threshold alone\n",
			rep->sample_word, o->alpha);
	summary_text(buf, sizeof(buf), rep);
	fprintf(f, "\n%s\n", buf);
}

struct sb {
	char *s;
	size_t n, cap;
};

__attribute__((format(printf, 2, 3))) static void sb_printf(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	/* va_start is above: the analyzer loses it when it inlines this helper */
	k = vsnprintf(NULL, 0, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
	va_end(ap);
	if (k < 0)
		return;
	if (b->n + (size_t)k + 1 > b->cap) {
		b->cap = (b->n + (size_t)k + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	va_start(ap, fmt);
	/* va_start is above: the analyzer loses it when it inlines this helper */
	vsnprintf(b->s + b->n, b->cap - b->n, fmt,
		  ap); // NOLINT(clang-analyzer-valist.Uninitialized)
	va_end(ap);
	b->n += (size_t)k;
}

/* Markdown cell text: no pipes or newlines. */
static void md_cell(char *s)
{
	for (; *s; s++)
		if (*s == '|' || *s == '\n')
			*s = '/';
}

char *ct_report_markdown(const struct ct_report *rep, const struct ct_decide_opts *o)
{
	struct sb b = {0};
	struct counts c = count_rows(rep);
	char v[4][400], buf[800];
	size_t i;

	if (c.reg || c.failnew)
		sb_printf(&b, "### contend: regression (%zu regressed, %zu failed in new)\n\n",
			  c.reg, c.failnew);
	else
		sb_printf(&b, "### contend: no regression\n\n");
	rule_text(buf, sizeof(buf), rep, o);
	sb_printf(&b, "Base `%s`, new `%s`; %s.\n\n", rep->base_label, rep->new_label, buf);
	if (rep->notes[0])
		sb_printf(&b, "Note: %s\n\n", rep->notes);
	sb_printf(&b, "| benchmark | base | new | change | p | verdict |\n"
		      "|---|---:|---:|---:|---:|---|\n");
	for (i = 0; i < rep->n; i++) {
		const struct ct_row *r = &rep->rows[i];
		if (listed_apart(r))
			continue;
		fmt_value(v[0], sizeof(v[0]), r->base, &o->metric);
		fmt_value(v[1], sizeof(v[1]), r->new, &o->metric);
		fmt_change(v[2], sizeof(v[2]), r->change);
		fmt_verdict(v[3], sizeof(v[3]), r);
		fmt_p(buf, sizeof(buf), r->p);
		md_cell(v[3]);
		int strong = r->verdict == CT_V_REGRESSION || r->verdict == CT_V_FAILED_NEW;
		sb_printf(&b, "| `%s` | %s | %s | %s | %s | %s%s%s |\n", r->name, v[0], v[1], v[2],
			  buf, strong ? "**" : "", v[3], strong ? "**" : "");
	}
	for (int side = 0; side < 2; side++) {
		enum ct_verdict want = side ? CT_V_ONLY_NEW : CT_V_ONLY_BASE;
		const char *sep = "";
		int any = 0;
		for (i = 0; i < rep->n; i++) {
			if (rep->rows[i].verdict != want)
				continue;
			if (!any)
				sb_printf(&b, "\n%s: ", side ? "Only in new" : "Only in base");
			sb_printf(&b, "%s`%s`", sep, rep->rows[i].name);
			sep = ", ";
			any = 1;
		}
		if (any)
			sb_printf(&b, "\n");
	}
	if (threshold_only_any(rep))
		sb_printf(&b, "\n*(threshold only)*: too few %s for the test to reach p < %g.\n",
			  rep->sample_word, o->alpha);
	summary_text(buf, sizeof(buf), rep);
	sb_printf(&b, "\n%s.\n", buf);
	return b.s;
}

/* ---- compare's core -------------------------------------------------------------------- */

static int runset_has_metric(const struct ct_runset *rs, size_t *entries)
{
	*entries = 0;
	for (size_t i = 0; i < rs->n; i++) {
		*entries += rs->s[i].n + rs->s[i].missing;
		if (rs->s[i].n)
			return 1;
	}
	return 0;
}

int ct_compare_runs(const json_t *base, const char *bfile, const json_t *new, const char *nfile,
		    const struct ct_decide_opts *o, struct ct_report *rep, char *err, size_t errlen)
{
	struct ct_runset bs, ns;
	size_t i, common = 0, eb, en;
	char why[400];

	if (ct_context_check(json_object_get(base, "context"), json_object_get(new, "context"), why,
			     sizeof(why), rep->notes, sizeof(rep->notes)) != 0) {
		snprintf(err, errlen, "%s vs %s: %s", bfile, nfile, why);
		return -1;
	}
	if (ct_runset_collect(base, bfile, &o->metric, &bs, err, errlen) != 0)
		return -1;
	if (ct_runset_collect(new, nfile, &o->metric, &ns, err, errlen) != 0) {
		ct_runset_free(&bs);
		return -1;
	}
	if (!runset_has_metric(&bs, &eb) && eb) {
		snprintf(err, errlen, "%s: no benchmark has the metric '%s'", bfile,
			 o->metric.name);
		goto bad;
	}
	if (!runset_has_metric(&ns, &en) && en) {
		snprintf(err, errlen, "%s: no benchmark has the metric '%s'", nfile,
			 o->metric.name);
		goto bad;
	}
	for (i = 0; i < ns.n; i++) {
		const struct ct_series *b = ct_runset_find(&bs, ns.s[i].name);
		common += b != NULL;
		ct_decide_independent(ns.s[i].name, b, &ns.s[i], o, ct_report_add(rep));
	}
	for (i = 0; i < bs.n; i++)
		if (!ct_runset_find(&ns, bs.s[i].name))
			ct_decide_independent(bs.s[i].name, &bs.s[i], NULL, o, ct_report_add(rep));
	if (!common) {
		snprintf(err, errlen, "%s and %s have no benchmark in common", bfile, nfile);
		goto bad;
	}
	ct_runset_free(&bs);
	ct_runset_free(&ns);
	return 0;
bad:
	ct_runset_free(&bs);
	ct_runset_free(&ns);
	return -1;
}

/* ---- the shared command line -------------------------------------------------------- */

void ct_compare_args_init(struct ct_compare_args *a)
{
	memset(a, 0, sizeof(*a));
	a->o.alpha = 0.05;
	a->o.threshold = 5;
}

int ct_compare_arg(int argc, char **argv, int *i, struct ct_compare_args *a)
{
	const char *v;

	if ((v = ct_opt_value(argc, argv, i, "--metric"))) {
		a->metric = v;
	} else if ((v = ct_opt_value(argc, argv, i, "--direction"))) {
		a->direction = v;
	} else if ((v = ct_opt_value(argc, argv, i, "--threshold"))) {
		if (ct_parse_double(v, 0, 1e6, &a->o.threshold) != 0)
			ct_die("--threshold %s: give a percentage, e.g. 5", v);
	} else if ((v = ct_opt_value(argc, argv, i, "--alpha"))) {
		if (ct_parse_double(v, 1e-12, 1, &a->o.alpha) != 0 || a->o.alpha >= 1)
			ct_die("--alpha %s: give a level between 0 and 1, e.g. 0.05", v);
	} else {
		return 0;
	}
	return 1;
}

void ct_compare_args_check(struct ct_compare_args *a, const char *md)
{
	char err[PATH_MAX + 512];

	if (ct_metric_resolve(a->metric, a->direction, &a->o.metric, err, sizeof(err)) != 0)
		ct_die("%s", err);
	if (md && ct_check_out_path(md, 1, err, sizeof(err)) != 0)
		ct_die("%s", err);
}

void ct_compare_output(const struct ct_report *rep, const struct ct_decide_opts *o, const char *md)
{
	char err[PATH_MAX + 512];

	if (md) {
		char *text = ct_report_markdown(rep, o);
		if (ct_mkdirs_for(md, err, sizeof(err)) != 0 ||
		    ct_write_file_atomic(md, text, strlen(text), err, sizeof(err)) != 0)
			ct_die("%s", err);
		free(text);
	}
	ct_report_print(stdout, rep, o);
}
