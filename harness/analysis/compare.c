/*
 * compare.c - compare's core (two loaded runs to a report) and the command-line options
 * compare, ab and history share.
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

/*
 * Separate runs see different machine states: a whole chart measured a few minutes later
 * can be 10-35 % faster or slower together (measured: two --quick runs of one build, the
 * rows of one chart moving as one). The rows that differ only in strategy (their peers)
 * were run side by side, so what they share is the machine's, not the code's: with three
 * or more peers, the shift most of them agree on (the centre of the largest cluster of
 * log(new/base) medians within 10 %, the one nearest no change when two are as large,
 * none unless it holds half the peers) is taken out of each peer's new samples before its
 * test, and at most the row's threshold of it: a chart that moved further together is
 * still called. One strategy changing alone keeps its own change; most of a chart
 * changing alike is not told from the machine, up to the threshold.
 */
#define PEER_WINDOW 0.0953 /* log(1.10) */

static double peer_shift(const struct ct_runset *bs, const struct ct_runset *ns, size_t i,
			 const struct ct_decide_opts *o)
{
	const struct ct_series *me = &ns->s[i];
	double lr[256];
	size_t n = 0;

	if (!me->peer)
		return 0;
	for (size_t j = 0; j < ns->n && n < 256; j++) {
		const struct ct_series *s = &ns->s[j];
		const struct ct_series *b = ct_runset_find(bs, s->name);
		if (!s->peer || strcmp(s->peer, me->peer) != 0 || !b || !b->n || !s->n)
			continue;
		double mb = ct_median(b->v, b->n), mn = ct_median(s->v, s->n);
		if (isfinite(mb) && isfinite(mn) && mb > 0 && mn > 0)
			lr[n++] = log(mn / mb);
	}
	if (n < 3)
		return 0;
	size_t best = 0, bestc = 0;
	for (size_t a = 0; a < n; a++) {
		size_t c = 0;
		for (size_t k = 0; k < n; k++)
			c += fabs(lr[k] - lr[a]) <= PEER_WINDOW;
		if (c > bestc || (c == bestc && fabs(lr[a]) < fabs(lr[best])))
			best = a, bestc = c;
	}
	if (2 * bestc < n)
		return 0;
	double in[256];
	size_t m = 0;
	for (size_t k = 0; k < n; k++)
		if (fabs(lr[k] - lr[best]) <= PEER_WINDOW)
			in[m++] = lr[k];
	double c = ct_median(in, m);
	double th =
	    ct_series_multi_pu(me) && o->threshold_multi > 0 ? o->threshold_multi : o->threshold;
	double cap = log1p(th / 100.0);
	return c > cap ? cap : c < -cap ? -cap : c;
}

static void decide_with_peers(const struct ct_runset *bs, const struct ct_runset *ns, size_t i,
			      const struct ct_decide_opts *o, struct ct_row *r)
{
	const struct ct_series *n = &ns->s[i], *b = ct_runset_find(bs, n->name);
	double c = b ? peer_shift(bs, ns, i, o) : 0;

	if (fabs(c) < 1e-12) {
		ct_decide_independent(n->name, b, n, o, r);
		return;
	}
	/* times and rates alike: a machine that is f times faster divides every time by f and
	 * multiplies every rate by f, so log(new/base) of either carries it */
	struct ct_series adj = *n;
	adj.v = ct_xrealloc(NULL, (n->n ? n->n : 1) * sizeof(double));
	for (size_t k = 0; k < n->n; k++)
		adj.v[k] = n->v[k] * exp(-c);
	ct_decide_independent(n->name, b, &adj, o, r);
	free(adj.v);
	r->new = ct_median(n->v, n->n);
	r->peer_shift = 100.0 * expm1(c);
	size_t l = strlen(r->note);
	snprintf(r->note + l, sizeof(r->note) - l, "%speers moved %+.0f %% together", l ? "; " : "",
		 r->peer_shift);
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
		decide_with_peers(&bs, &ns, i, o, ct_report_add(rep));
	}
	for (i = 0; i < bs.n; i++)
		if (!ct_runset_find(&ns, bs.s[i].name))
			ct_decide_independent(bs.s[i].name, &bs.s[i], NULL, o, ct_report_add(rep));
	if (!common) {
		snprintf(err, errlen, "%s and %s have no benchmark in common", bfile, nfile);
		goto bad;
	}
	ct_report_finalize(rep, o);
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
	/*
	 * The shift between separate runs of one build, measured here (11 pairs of --quick
	 * runs a minute apart, 2-vCPU KVM): |change| of rows on one PU p95 36 %, after their
	 * peers' share is taken out 18 % (p99 28 %); of rows across PUs p95 45 %, after peers
	 * 27 % (p99 70 %). README ("What the gate can and cannot detect") has the false-alarm
	 * and detection figures; ab, whose pairs are seconds apart, keeps 5 % for every row.
	 */
	a->o.threshold = CT_THRESHOLD_ONE_PU;
	a->o.threshold_multi = CT_THRESHOLD_MULTI_PU;
}

int ct_compare_arg(int argc, char **argv, int *i, struct ct_compare_args *a)
{
	const char *v;

	if ((v = ct_opt_value(argc, argv, i, "--metric"))) {
		a->metric = v;
	} else if ((v = ct_opt_value(argc, argv, i, "--direction"))) {
		a->direction = v;
	} else if ((v = ct_opt_value(argc, argv, i, "--threshold-multi"))) {
		if (ct_parse_double(v, 0, 1e6, &a->o.threshold_multi) != 0)
			ct_die("--threshold-multi %s: give a percentage, e.g. 25", v);
		a->threshold_multi_given = 1;
	} else if ((v = ct_opt_value(argc, argv, i, "--threshold"))) {
		if (ct_parse_double(v, 0, 1e6, &a->o.threshold) != 0)
			ct_die("--threshold %s: give a percentage, e.g. 5", v);
		a->threshold_given = 1;
		if (!a->threshold_multi_given)
			a->o.threshold_multi = a->o.threshold;
	} else if ((v = ct_opt_value(argc, argv, i, "--json"))) {
		a->json = v;
	} else if (!strcmp(argv[*i], "--fail-on-inconclusive")) {
		a->o.fail_on_inconclusive = 1;
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
	if (md && ct_check_out_path_for("--markdown", md, 1, err, sizeof(err)) != 0)
		ct_die("%s", err);
	if (a->json && ct_check_out_path_for("--json", a->json, 1, err, sizeof(err)) != 0)
		ct_die("%s", err);
}

void ct_compare_output(const struct ct_report *rep, const struct ct_decide_opts *o, const char *md,
		       const char *json)
{
	char err[PATH_MAX + 512];

	if (json) {
		json_t *doc = ct_report_json(rep, o);
		if (ct_mkdirs_for(json, err, sizeof(err)) != 0 ||
		    ct_write_json_atomic(json, doc, err, sizeof(err)) != 0)
			ct_die("%s", err);
		json_decref(doc);
	}
	if (md) {
		char *text = ct_report_markdown(rep, o);
		if (ct_mkdirs_for(md, err, sizeof(err)) != 0 ||
		    ct_write_file_atomic(md, text, strlen(text), err, sizeof(err)) != 0)
			ct_die("%s", err);
		free(text);
	}
	ct_report_print(stdout, rep, o);
}
