/*
 * report_doc_machine.c - the report's "Machine" section: a column per run with the
 * context its results carry (CPU, topology, placement, kernel, compiler, governor, load,
 * date, commit ...), its cache-line round trips (the core-to-core matrix and the one
 * measured before each benchmark), and a warning for a run that was interrupted.
 */
#include "report_doc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "resultsio.h"

/* ---- the machine -------------------------------------------------------------------- */

static void ctx_text(struct rp_buf *b, const json_t *v)
{
	if (json_is_string(v)) {
		rp_add(b, json_string_value(v));
	} else if (json_is_integer(v)) {
		rp_addf(b, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		char t[64];
		rp_fmt_num(t, sizeof(t), json_real_value(v));
		rp_add(b, t);
	} else if (json_is_true(v)) {
		rp_add(b, "yes");
	} else if (json_is_false(v)) {
		rp_add(b, "no");
	} else if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach (v, i, e) {
			if (i)
				rp_add(b, " ");
			ctx_text(b, e);
		}
	} else {
		rp_add(b, "—");
	}
}

static void rtt_summary(const struct rp_report *r, size_t u, struct rp_buf *b)
{
	json_t *c2c = json_object_get(r->runs[u].ctx, "c2c"), *e;
	double *v = NULL, lo = INFINITY, hi = 0;
	size_t n = 0, cap = 0, i, nres = 0;

	json_array_foreach (c2c, i, e) {
		double x;
		if (ct_json_number(e, "rtt_ns", &x) == 0 && isfinite(x))
			RP_PUSH(v, n, cap, x);
	}
	if (n) {
		double mn = INFINITY, mx = 0;
		for (i = 0; i < n; i++) {
			mn = v[i] < mn ? v[i] : mn;
			mx = v[i] > mx ? v[i] : mx;
		}
		if (n == 1)
			rp_addf(b, "c2c %.0f ns (1 pair); ", v[0]);
		else
			rp_addf(b, "c2c %.0f–%.0f ns over %zu pairs; ", mn, mx, n);
	}
	n = 0;
	for (i = 0; i < r->npts; i++) {
		const struct rp_point *p = &r->pts[i];
		if (p->run != (int)u || !(p->rtt_before > 0))
			continue;
		RP_PUSH(v, n, cap, p->rtt_before);
		lo = p->rtt_before < lo ? p->rtt_before : lo;
		hi = p->rtt_before > hi ? p->rtt_before : hi;
		nres++;
	}
	if (nres) {
		/* median */
		for (size_t a = 1; a < n; a++)
			for (size_t k = a; k > 0 && v[k - 1] > v[k]; k--) {
				double t = v[k];
				v[k] = v[k - 1];
				v[k - 1] = t;
			}
		double med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
		rp_addf(b, "before each benchmark: median %.0f ns, %.0f–%.0f ns over %zu results",
			med, lo, hi, nres);
	} else if (!b->len) {
		rp_add(b, "—");
	}
	free(v);
}

void rp_doc_machine(struct rp_doc *d, const struct rp_report *r)
{
	static const struct {
		const char *key, *label;
	} rows[] = {
	    {"cpu_model", "CPU"},
	    {"arch", "architecture"},
	    {"num_cpus", "CPUs (Google Benchmark)"},
	    {"smt", "SMT"},
	    {"hypervisor", "hypervisor"},
	    {"placement", "placement"},
	    {"placement_order", "placement order (PUs)"},
	    {"kernel", "kernel"},
	    {"compiler", "compiler"},
	    {"cflags", "flags"},
	    {"governor", "governor"},
	    {"boost", "boost"},
	    {"load_avg_before", "load average before"},
	    {"load_avg_after", "load average after"},
	    {"profile", "profile"},
	    {"date", "date"},
	    {"contend_version", "contend version"},
	    {"git_commit", "git commit"},
	};
	const char **cells = rp_xrealloc(NULL, (r->nruns + 1) * sizeof(char *));
	struct rp_buf *txt = rp_xrealloc(NULL, r->nruns * sizeof(struct rp_buf));

	rp_doc_heading(d, 2, "Machine");
	cells[0] = "";
	for (size_t u = 0; u < r->nruns; u++)
		cells[u + 1] = r->runs[u].label;
	rp_doc_table_begin(d, cells, r->nruns + 1);
	for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]) + 3; k++) {
		const char *label;
		int any = 0;
		memset(txt, 0, r->nruns * sizeof(struct rp_buf));
		for (size_t u = 0; u < r->nruns; u++) {
			json_t *ctx = r->runs[u].ctx;
			if (k < sizeof(rows) / sizeof(rows[0])) {
				json_t *v = json_object_get(ctx, rows[k].key);
				any |= v != NULL;
				ctx_text(&txt[u], v);
			} else if (k == sizeof(rows) / sizeof(rows[0])) {
				json_t *t = json_object_get(ctx, "topology");
				long pk = (long)json_integer_value(json_object_get(t, "packages"));
				long nn =
				    (long)json_integer_value(json_object_get(t, "numa_nodes"));
				long l3 = (long)json_integer_value(json_object_get(t, "l3_caches"));
				long co = (long)json_integer_value(json_object_get(t, "cores"));
				long pu = (long)json_integer_value(json_object_get(t, "pus"));
				any |= t != NULL;
				if (t)
					rp_addf(
					    &txt[u],
					    "%ld package%s, %ld NUMA node%s, %ld L3 cache%s, %ld "
					    "core%s, %ld PU%s",
					    pk, pk == 1 ? "" : "s", nn, nn == 1 ? "" : "s", l3,
					    l3 == 1 ? "" : "s", co, co == 1 ? "" : "s", pu,
					    pu == 1 ? "" : "s");
				else
					rp_add(&txt[u], "—");
			} else if (k == sizeof(rows) / sizeof(rows[0]) + 1) {
				any = 1;
				rtt_summary(r, u, &txt[u]);
			} else {
				size_t nd = 0, nb = 0, nf = 0;
				for (size_t i = 0; i < r->npts; i++) {
					const struct rp_point *p = &r->pts[i];
					if (p->run != (int)u)
						continue;
					nb++;
					nd += p->drift;
					nf += p->failed;
				}
				any = 1;
				rp_addf(
				    &txt[u],
				    "%zu benchmarks, %zu failed, %zu marked for placement drift%s",
				    nb, nf, nd,
				    json_is_true(json_object_get(ctx, "interrupted"))
					? "; the run was interrupted"
					: "");
			}
		}
		label = k < sizeof(rows) / sizeof(rows[0])	  ? rows[k].label
			: k == sizeof(rows) / sizeof(rows[0])	  ? "topology"
			: k == sizeof(rows) / sizeof(rows[0]) + 1 ? "cache-line round trip (RTT)"
								  : "results";
		cells[0] = label;
		for (size_t u = 0; u < r->nruns; u++)
			cells[u + 1] = rp_str(&txt[u]);
		if (any)
			rp_doc_table_row(d, cells, r->nruns + 1, 0);
		for (size_t u = 0; u < r->nruns; u++)
			rp_buf_free(&txt[u]);
	}
	rp_doc_table_end(d);
	for (size_t u = 0; u < r->nruns; u++)
		if (json_is_true(json_object_get(r->runs[u].ctx, "interrupted"))) {
			char *t = rp_fmt("%s: the run was interrupted; its results are incomplete",
					 r->runs[u].label);
			rp_doc_warn(d, t);
			free(t);
		}
	free(cells);
	free(txt);
}
