/*
 * report_doc.c - report.md and report.html, written side by side from the same calls.
 *
 * The answers table first (report_answers.c), then the machine, then a section per view
 * section (in the order the results first name them): per chart its plots (one per run,
 * side by side), a `winner:` line per group of comparable figures (the best, or the tie
 * group, and by how much it beats the runner-up and the view's baseline), and a table of
 * every figure with its spread, its cost in cache-line round trips, and the marks the
 * harness set (placement drift, disturbance, oversubscription, failure). In Markdown each
 * winner line carries an HTML comment (invisible when rendered) naming the winning
 * benchmark and the metric, so a test can hold the claim against the results. The HTML
 * stands alone: charts are gnuplot's interactive SVGs, each in its own iframe, and tables
 * sort by a click on their header.
 */
#include "report.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resultsio.h"

struct doc {
	struct rp_buf md, html;
	const char *dir;
};

/* ---- the two outputs ---------------------------------------------------------------- */

static void heading(struct doc *d, int level, const char *text)
{
	for (int i = 0; i < level; i++)
		rp_add(&d->md, "#");
	rp_add(&d->md, " ");
	rp_md_esc(&d->md, text);
	rp_add(&d->md, "\n\n");
	rp_addf(&d->html, "<h%d>", level);
	rp_html_esc(&d->html, text);
	rp_addf(&d->html, "</h%d>\n", level);
}

static void para(struct doc *d, const char *text)
{
	rp_md_esc(&d->md, text);
	rp_add(&d->md, "\n\n");
	rp_add(&d->html, "<p>");
	rp_html_esc(&d->html, text);
	rp_add(&d->html, "</p>\n");
}

static void note(struct doc *d, const char *text)
{
	rp_add(&d->md, "_");
	rp_md_esc(&d->md, text);
	rp_add(&d->md, "_\n\n");
	rp_add(&d->html, "<p class=\"note\">");
	rp_html_esc(&d->html, text);
	rp_add(&d->html, "</p>\n");
}

static void warn(struct doc *d, const char *text)
{
	rp_add(&d->md, "> ⚠ ");
	rp_md_esc(&d->md, text);
	rp_add(&d->md, "\n\n");
	rp_add(&d->html, "<p class=\"warn\">⚠ ");
	rp_html_esc(&d->html, text);
	rp_add(&d->html, "</p>\n");
}

static void winner(struct doc *d, const char *who, const char *rest, const char *comment)
{
	rp_add(&d->md, "winner: **");
	rp_md_esc(&d->md, who);
	rp_add(&d->md, "** — ");
	rp_md_esc(&d->md, rest);
	if (comment)
		rp_addf(&d->md, " <!-- %s -->", comment);
	rp_add(&d->md, "\n\n");
	rp_add(&d->html, "<p class=\"winner\">winner: <b>");
	rp_html_esc(&d->html, who);
	rp_add(&d->html, "</b> — ");
	rp_html_esc(&d->html, rest);
	if (comment)
		rp_addf(&d->html, " <!-- %s -->", comment);
	rp_add(&d->html, "</p>\n");
}

static void table_row(struct doc *d, const char *const *cells, size_t n, int header)
{
	rp_add(&d->md, "|");
	rp_add(&d->html, "<tr>");
	for (size_t i = 0; i < n; i++) {
		rp_add(&d->md, " ");
		rp_md_esc(&d->md, cells[i] ? cells[i] : "");
		rp_add(&d->md, " |");
		rp_add(&d->html, header ? "<th>" : "<td>");
		rp_html_esc(&d->html, cells[i] ? cells[i] : "");
		rp_add(&d->html, header ? "</th>" : "</td>");
	}
	rp_add(&d->md, "\n");
	rp_add(&d->html, "</tr>\n");
	if (header) {
		rp_add(&d->md, "|");
		for (size_t i = 0; i < n; i++)
			rp_add(&d->md, " --- |");
		rp_add(&d->md, "\n");
	}
}

static void table_begin(struct doc *d, const char *const *hdr, size_t n)
{
	rp_add(&d->html, "<table class=\"sortable\">\n");
	table_row(d, hdr, n, 1);
}

static void table_end(struct doc *d)
{
	rp_add(&d->md, "\n");
	rp_add(&d->html, "</table>\n");
}

static int slurp(const char *dir, const char *file, const char *ext, struct rp_buf *out, char *err,
		 size_t errlen)
{
	char path[PATH_MAX], chunk[8192];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s.%s", dir, file, ext);
	if (!(f = fopen(path, "rb"))) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rp_addn(out, chunk, n);
	fclose(f);
	return 0;
}

/*
 * A chart: in Markdown its PNG; in HTML its interactive SVG (gnuplot's mouse standalone:
 * a point's value under the pointer, a click on a key entry shows or hides that series),
 * each in an iframe of its own so that the SVGs' element ids and scripts stay apart, or
 * with interactive 0 the PNG inline. Several (one per run) side by side: small multiples.
 */
static int figures(struct doc *d, char *const *files, size_t n, const char *alt, int interactive,
		   char *err, size_t errlen)
{
	size_t shown = 0;

	for (size_t i = 0; i < n; i++)
		shown += files[i] != NULL;
	if (!shown)
		return 0;
	rp_addf(&d->html, "<div class=\"multiples n%zu\">\n", shown);
	for (size_t i = 0; i < n; i++) {
		const char *file = files[i];
		struct rp_buf data = {0};
		if (!file)
			continue;
		if (slurp(d->dir, file, interactive ? "svg" : "png", &data, err, errlen) != 0)
			return -1;
		rp_add(&d->md, "![");
		rp_md_esc(&d->md, alt);
		rp_addf(&d->md,
			"](%s.png)\n\n[SVG](%s.svg) · [data (CSV)](%s.csv) · [gnuplot "
			"script](%s.gp)\n\n",
			file, file, file, file);
		rp_add(&d->html, "<figure>");
		if (interactive) {
			/* the SVG as an HTML document of its own: drop the XML prolog */
			const char *svg = strstr(rp_str(&data), "<svg");
			rp_add(&d->html, "<iframe class=\"chart\" title=\"");
			rp_html_esc(&d->html, alt);
			rp_add(&d->html, "\" srcdoc=\"<!DOCTYPE html><html><head><meta "
					 "charset=&quot;utf-8&quot;><style>html,body{margin:0;"
					 "height:100%;overflow:hidden}svg{display:block;width:100%;"
					 "height:100%}</style></head>"
					 "<body>");
			rp_html_esc(&d->html, svg ? svg : "");
			rp_add(&d->html, "</body></html>\"></iframe>");
		} else {
			rp_add(&d->html, "<img alt=\"");
			rp_html_esc(&d->html, alt);
			rp_add(&d->html, "\" src=\"data:image/png;base64,");
			rp_base64(&d->html, (const unsigned char *)data.p, data.len);
			rp_add(&d->html, "\">");
		}
		rp_addf(&d->html,
			"<figcaption><a href=\"%s.png\">PNG</a> · <a href=\"%s.svg\">SVG</a> · <a "
			"href=\"%s.csv\">data (CSV)</a> · <a href=\"%s.gp\">gnuplot "
			"script</a></figcaption></figure>\n",
			file, file, file, file);
		rp_buf_free(&data);
	}
	rp_add(&d->html, "</div>\n");
	return 0;
}

static int image(struct doc *d, const char *file, const char *alt, char *err, size_t errlen)
{
	char *files[1] = {(char *)file};
	return figures(d, files, 1, alt, 0, err, errlen);
}

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

static void machine(struct doc *d, const struct rp_report *r)
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

	heading(d, 2, "Machine");
	cells[0] = "";
	for (size_t u = 0; u < r->nruns; u++)
		cells[u + 1] = r->runs[u].label;
	table_begin(d, cells, r->nruns + 1);
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
			table_row(d, cells, r->nruns + 1, 0);
		for (size_t u = 0; u < r->nruns; u++)
			rp_buf_free(&txt[u]);
	}
	table_end(d);
	for (size_t u = 0; u < r->nruns; u++)
		if (json_is_true(json_object_get(r->runs[u].ctx, "interrupted"))) {
			char *t = rp_fmt("%s: the run was interrupted; its results are incomplete",
					 r->runs[u].label);
			warn(d, t);
			free(t);
		}
	free(cells);
	free(txt);
}

/* ---- winners ---------------------------------------------------------------------- */

static void drift_detail(struct rp_buf *b, const struct rp_point *p)
{
	if (p->nreps > 1)
		rp_addf(b, "%d of %d repetitions, ", p->ndrift, p->nreps);
	rp_addf(b, "RTT %.0f→%.0f ns", p->drift_before, p->drift_after);
}

/* The marks on the two figures a winner line compares. */
static void marks_text(struct rp_buf *b, const struct rp_point *best, const struct rp_point *run2)
{
	const struct rp_point *two[2] = {best, run2};
	int nd = 0;

	for (int i = 0; i < 2; i++) {
		const struct rp_point *p = two[i];
		if (p && p->drift) {
			rp_addf(b, "; ⚠ placement drift during %s (", p->series);
			drift_detail(b, p);
			rp_add(b, ")");
		}
		nd += p && p->disturbed;
	}
	if (!nd)
		return;
	rp_add(b, "; ⚠ disturbed:");
	for (int i = 0, k = 0; i < 2; i++)
		if (two[i] && two[i]->disturbed)
			rp_addf(b, "%s %s %.0f %%", k++ ? "," : "", two[i]->series,
				two[i]->disturbed_pct);
	rp_add(b, " of the CPU time went elsewhere");
}

static void winner_line(struct doc *d, const struct rp_report *r, const struct rp_chart *c,
			const struct rp_group *g)
{
	struct rp_buf rest = {0}, com = {0};
	struct rp_verdict v;
	char fig[64], rt[32];

	rp_verdict_of(r, c, g, &v);
	const struct rp_point *best = v.best, *run2 = v.second, *base = v.base;
	rp_add(&rest, best->desc);
	if (best->oversub)
		rp_add(&rest, " (oversubscribed: more threads than PUs)");
	if (r->nruns > 1)
		rp_addf(&rest, " [%s]", r->runs[g->run].label);
	if (!v.nok) {
		rp_add(&rest, ": no figure to compare (every strategy failed or reported none)");
		winner(d, "none", rp_str(&rest), NULL);
		rp_buf_free(&rest);
		return;
	}
	rp_fmt_metric(fig, sizeof(fig), c->metric, best->fig.v);
	if (!run2) {
		rp_addf(&rest, ": the only strategy with a figure here; %s", fig);
	} else if (v.ntie >= 2) {
		/* equal things said once: a tie group, never a winner by 1.02x */
		rp_addf(&rest, ": a tie, %zu strategies inside each other's spread", v.ntie);
		if (v.same_why)
			rp_addf(&rest, " (%s)", v.same_why);
		if (v.runner) {
			rp_fmt_ratio(rt, sizeof(rt), rp_ratio(c, best->fig.v, v.runner->fig.v));
			rp_addf(&rest, "; %s× better than %s (the best outside the tie)", rt,
				v.runner->series);
		}
		if (base && !rp_tie(c, best, base)) {
			rp_fmt_ratio(rt, sizeof(rt), rp_ratio(c, best->fig.v, base->fig.v));
			rp_addf(&rest, ", %s× better than %s", rt, base->series);
		}
		rp_addf(&rest, "; best %s (%s)", fig, best->series);
		if (best->fig.n >= 2)
			rp_addf(&rest, " (median of %d)", best->fig.n);
	} else {
		double rr = rp_ratio(c, best->fig.v, run2->fig.v);
		rp_fmt_ratio(rt, sizeof(rt), rr);
		rp_addf(&rest, ": %s× better than %s (runner-up)", rt, run2->series);
		if (base && base != run2) {
			rp_fmt_ratio(rt, sizeof(rt), rp_ratio(c, best->fig.v, base->fig.v));
			rp_addf(&rest, ", %s× better than %s", rt, base->series);
		}
		rp_addf(&rest, "; %s", fig);
		if (best->fig.n >= 2)
			rp_addf(&rest, " (median of %d)", best->fig.n);
	}
	if (v.split[0])
		rp_addf(&rest, "; %s", v.split);
	if (v.sure == RP_NOT_COMPARABLE)
		rp_addf(&rest, "; ⚠ not comparable: measured at round trips of %.0f and %.0f ns",
			best->rtt_before, run2 ? run2->rtt_before : NAN);
	const char *what;
	double u = rp_point_rtt_units(r, best, &what);
	if (isfinite(u)) {
		char t[32];
		rp_fmt_num(t, sizeof(t), u);
		rp_addf(&rest, "; %s RTT %s", t, what);
	}
	marks_text(&rest, best, run2);
	rp_addf(&com, "best=%s; by=%s", best->name, rp_metric_key(c));
	winner(d, v.answer, rp_str(&rest), rp_str(&com));
	rp_buf_free(&rest);
	rp_buf_free(&com);
}

static void point_notes(struct rp_buf *b, const struct rp_point *p)
{
	const char *sep = "";
#define NOTE(...)                                                                                  \
	do {                                                                                       \
		rp_add(b, sep);                                                                    \
		rp_addf(b, __VA_ARGS__);                                                           \
		sep = "; ";                                                                        \
	} while (0)
	if (p->failed)
		NOTE("✗ failed: %s", p->error ? p->error : "no message");
	else if (!isfinite(p->fig.v))
		NOTE("no figure (null in the results)");
	if (p->drift) {
		NOTE("⚠ placement drift (");
		drift_detail(b, p);
		rp_add(b, ")");
	}
	if (p->disturbed)
		NOTE("⚠ disturbed (%.0f %% of the CPU time elsewhere)", p->disturbed_pct);
	if (p->oversub)
		NOTE("oversubscribed");
	if (isfinite(p->fair_maxmin))
		NOTE("fairness max/min %.3g", p->fair_maxmin);
	if (isfinite(p->cpu_ns_per_op)) {
		char t[64];
		rp_fmt_time_ns(t, sizeof(t), p->cpu_ns_per_op);
		NOTE("CPU %s/op", t);
	}
	if (isfinite(p->max_concurrency)) {
		if (isfinite(p->permits) && p->max_concurrency > p->permits)
			NOTE("⚠ max concurrency %.0f above %.0f permits", p->max_concurrency,
			     p->permits);
		else
			NOTE("max concurrency %.0f", p->max_concurrency);
	}
	if (!p->failed && p->error)
		NOTE("some repetitions failed: %s", p->error);
#undef NOTE
}

static void chart_table(struct doc *d, const struct rp_report *r, const struct rp_chart *c,
			struct rp_group *g, size_t ng)
{
	const char *hdr[8];
	size_t nh = 0;
	char *mh = rp_fmt("%s (median)", rp_metric_axis(c));

	hdr[nh++] = "strategy";
	if (c->kind == RP_LINES)
		hdr[nh++] = c->xname;
	if (c->kind == RP_CLUSTER)
		hdr[nh++] = "workload";
	hdr[nh++] = mh;
	hdr[nh++] = "± stddev";
	hdr[nh++] = "reps";
	hdr[nh++] = "in RTT";
	hdr[nh++] = "notes";
	table_begin(d, hdr, nh);
	for (size_t k = 0; k < ng; k++) {
		for (size_t i = 0; i < g[k].npts; i++) {
			const struct rp_point *p = &r->pts[g[k].pts[i]];
			const char *cells[8], *what;
			char fig[64], sd[64], reps[32], rtt[64];
			struct rp_buf notes = {0};
			size_t nc = 0;
			cells[nc++] = p->label;
			if (c->kind == RP_LINES)
				cells[nc++] = p->xtext ? p->xtext : "";
			if (c->kind == RP_CLUSTER)
				cells[nc++] = p->cat;
			rp_fmt_metric(fig, sizeof(fig), c->metric, p->failed ? NAN : p->fig.v);
			rp_fmt_metric(sd, sizeof(sd), c->metric, p->failed ? NAN : p->fig.sd);
			snprintf(reps, sizeof(reps), "%d", p->fig.n);
			double u = rp_point_rtt_units(r, p, &what);
			if (isfinite(u)) {
				char t[32];
				rp_fmt_num(t, sizeof(t), u);
				snprintf(rtt, sizeof(rtt), "%s %s", t, what);
			} else
				snprintf(rtt, sizeof(rtt), "—");
			point_notes(&notes, p);
			cells[nc++] = fig;
			cells[nc++] = sd;
			cells[nc++] = reps;
			cells[nc++] = rtt;
			cells[nc++] = rp_str(&notes);
			table_row(d, cells, nc, 0);
			rp_buf_free(&notes);
		}
	}
	table_end(d);
	free(mh);
}

static int chart_section(struct doc *d, const struct rp_report *r, const struct rp_chart *c,
			 int *nwinners, char *err, size_t errlen)
{
	size_t ng;
	struct rp_group *g = rp_chart_groups(r, c, &ng);
	char *t;
	int rc = -1, any = 0;

	rp_addf(&d->md, "<a id=\"%s\"></a>\n\n", c->anchor);
	rp_addf(&d->html, "<section class=\"chart\" id=\"%s\">\n", c->anchor);
	heading(d, 3, c->title);
	for (size_t u = 0; u < r->nruns; u++)
		any |= c->file[u] != NULL;
	if (figures(d, c->file, r->nruns, c->title, 1, err, errlen) != 0)
		goto out;
	t = rp_fmt("fairness: %s", c->title);
	int irc = figures(d, c->fair_file, r->nruns, t, 1, err, errlen);
	free(t);
	if (irc != 0)
		goto out;
	if (!any)
		note(d, "no plot: no benchmark here has a figure");
	{
		struct rp_buf n = {0};
		if (c->maxreps >= 2)
			rp_addf(&n,
				"Figures: median over up to %d repetitions; error bars and ± are "
				"one standard deviation.",
				c->maxreps);
		else
			rp_add(&n, "Figures: one measurement each (no repetitions).");
		rp_addf(&n, " Compared by %s (%s is better).", rp_metric_key(c),
			c->higher ? "higher" : "lower");
		if (c->nhidden)
			rp_addf(&n,
				" The chart draws %d series (the answers, the runners-up, the "
				"baseline and the next best); the table has all %d.",
				c->nshown, c->nshown + c->nhidden);
		note(d, rp_str(&n));
		rp_buf_free(&n);
	}
	for (size_t k = 0; k < ng; k++) {
		winner_line(d, r, c, &g[k]);
		(*nwinners)++;
	}
	chart_table(d, r, c, g, ng);
	rc = 0;
out:
	rp_add(&d->html, "</section>\n");
	rp_groups_free(g, ng);
	return rc;
}

/* ---- families with their own tables ------------------------------------------------- */

static double entries_sum(const struct rp_point *p, const char *key)
{
	double s = 0, med = NAN;
	int have = 0;

	for (size_t i = 0; i < p->nent; i++) {
		const json_t *e = p->ent[i];
		const char *rt = ct_json_string(e, "run_type");
		double v;
		if (ct_json_number(e, key, &v) != 0 || !isfinite(v))
			continue;
		if (rt && !strcmp(rt, "aggregate")) {
			const char *a = ct_json_string(e, "aggregate_name");
			if (a && !strcmp(a, "median"))
				med = v;
		} else if (!json_is_true(json_object_get(e, "error_occurred"))) {
			s += v;
			have = 1;
		}
	}
	return have ? s : med;
}

static const char *point_section(const struct rp_point *p)
{
	const char *s = rp_view_str(p->view, "section");
	return s ? s : "Results";
}

/* A table view's results: their outcome_* counts and forbidden_seen, summed over the
 * repetitions, a row per result (litmus tests). */
static void table_section(struct doc *d, const struct rp_report *r, const char *section)
{
	const char **keys = NULL;
	size_t nk = 0, ck = 0, np = 0;

	for (size_t i = 0; i < r->npts; i++) {
		const struct rp_point *p = &r->pts[i];
		if (p->fam != RP_TABLE || strcmp(point_section(p), section) != 0)
			continue;
		np++;
		for (size_t k = 0; k < p->nent; k++) {
			const char *key;
			json_t *v;
			json_object_foreach ((json_t *)p->ent[k], key, v) {
				if (strncmp(key, "outcome_", 8) != 0)
					continue;
				size_t j;
				for (j = 0; j < nk && strcmp(keys[j], key) != 0; j++)
					;
				if (j == nk)
					RP_PUSH(keys, nk, ck, key);
			}
		}
	}
	if (!np) {
		free(keys);
		return;
	}
	/* outcome_00 < outcome_01 < ... */
	for (size_t a = 1; a < nk; a++)
		for (size_t k = a; k > 0 && strcmp(keys[k - 1], keys[k]) > 0; k--) {
			const char *t = keys[k];
			keys[k] = keys[k - 1];
			keys[k - 1] = t;
		}
	heading(d, 3, "Outcomes seen");
	{
		/* each table view's notes, once */
		const char **seen = NULL;
		size_t ns = 0, cs = 0;
		for (size_t i = 0; i < r->npts; i++) {
			const struct rp_point *p = &r->pts[i];
			const char *n = rp_view_str(p->view, "notes");
			if (p->fam != RP_TABLE || strcmp(point_section(p), section) != 0 || !n)
				continue;
			size_t j;
			for (j = 0; j < ns && strcmp(seen[j], n) != 0; j++)
				;
			if (j == ns) {
				RP_PUSH(seen, ns, cs, n);
				note(d, n);
			}
		}
		free(seen);
		note(d, "Counts over every trial of every repetition.");
	}
	const char **hdr = rp_xrealloc(NULL, (nk + 4) * sizeof(char *));
	char **own = rp_xrealloc(NULL, (nk + 4) * sizeof(char *));
	size_t nh = 0;
	hdr[nh++] = "test";
	hdr[nh++] = "ordering";
	for (size_t k = 0; k < nk; k++) {
		own[k] = rp_fmt("r1r2 = %s", keys[k] + 8);
		hdr[nh++] = own[k];
	}
	hdr[nh++] = "forbidden seen";
	table_begin(d, hdr, nh);
	for (size_t i = 0; i < r->npts; i++) {
		const struct rp_point *p = &r->pts[i];
		if (p->fam != RP_TABLE || strcmp(point_section(p), section) != 0)
			continue;
		char **cell = rp_xrealloc(NULL, (nk + 4) * sizeof(char *));
		size_t nc = 0;
		const char *title = rp_view_str(p->view, "title");
		cell[nc++] =
		    rp_fmt("%s%s%s", title ? title : p->workload, r->nruns > 1 ? " · " : "",
			   r->nruns > 1 ? r->runs[p->run].label : "");
		cell[nc++] = rp_strdup(p->series);
		for (size_t k = 0; k < nk; k++) {
			double v = entries_sum(p, keys[k]);
			cell[nc++] = isfinite(v) ? rp_fmt("%.0f", v) : rp_strdup("—");
		}
		double f = entries_sum(p, "forbidden_seen");
		if (p->failed)
			cell[nc++] = rp_fmt("✗ failed: %s", p->error ? p->error : "no message");
		else if (!isfinite(f))
			cell[nc++] = rp_strdup("—");
		else if (f > 0)
			cell[nc++] = rp_fmt("⚠ %.0f times", f);
		else
			cell[nc++] = rp_strdup("never");
		table_row(d, (const char *const *)cell, nc, 0);
		for (size_t k = 0; k < nc; k++)
			free(cell[k]);
		free(cell);
	}
	table_end(d);
	for (size_t k = 0; k < nk; k++)
		free(own[k]);
	free(own);
	free(hdr);
	free(keys);
}

static int c2c_section(struct doc *d, const struct rp_report *r, char *err, size_t errlen)
{
	int any = 0;

	for (size_t u = 0; u < r->nruns; u++)
		any |= r->runs[u].c2c_file != NULL;
	if (!any)
		return 0;
	heading(d, 3, "Core-to-core cache-line round trip");
	note(d, "The physical limit every other figure is held against: the time for a cache "
		"line to go from one PU to another and back. Each result's own RTT unit is the "
		"round trip the harness measured just before it (rtt_before_ns).");
	for (size_t u = 0; u < r->nruns; u++) {
		if (!r->runs[u].c2c_file)
			continue;
		char *alt = rp_fmt("core-to-core round trip, %s", r->runs[u].label);
		int rc = image(d, r->runs[u].c2c_file, alt, err, errlen);
		free(alt);
		if (rc)
			return -1;
	}
	return 0;
}

static void other_section(struct doc *d, const struct rp_report *r)
{
	const char *hdr[] = {"benchmark", "run", "time per iteration", "items per second", "notes"};
	struct rp_buf fams = {0};

	if (!r->nother)
		return;
	heading(d, 2, "Other results");
	for (size_t i = 0; i < r->npts; i++) {
		const struct rp_point *p = &r->pts[i];
		if (p->fam != RP_OTHER)
			continue;
		const char *sl = strchr(p->name, '/');
		char *f = p->workload
			      ? rp_strdup(p->workload)
			      : rp_fmt("%.*s", (int)(sl ? (size_t)(sl - p->name) : strlen(p->name)),
				       p->name);
		char *quoted = rp_fmt("%s,", f);
		struct rp_buf all = {0};
		rp_addf(&all, "%s,", rp_str(&fams));
		if (!strstr(rp_str(&all), quoted) || !fams.len)
			rp_addf(&fams, "%s%s", fams.len ? ", " : "", f);
		rp_buf_free(&all);
		free(quoted);
		free(f);
	}
	char *w = rp_fmt("%zu benchmark%s of workloads without a report view in their run (%s): "
			 "shown as they are, with no plot and no winner.",
			 r->nother, r->nother == 1 ? "" : "s", rp_str(&fams));
	warn(d, w);
	free(w);
	table_begin(d, hdr, 5);
	for (size_t i = 0; i < r->npts; i++) {
		const struct rp_point *p = &r->pts[i];
		if (p->fam != RP_OTHER)
			continue;
		char tm[64], it[64];
		struct rp_buf notes = {0};
		struct rp_stat ts = {NAN, NAN, 0, 0};
		double items = rp_point_counter(p, "items_per_second").v;
		/* time: median over repetitions, in ns */
		ts.v = p->fig.v;
		rp_fmt_time_ns(tm, sizeof(tm), p->failed ? NAN : ts.v);
		rp_fmt_metric(it, sizeof(it), RP_M_ITEMS, p->failed ? NAN : items);
		point_notes(&notes, p);
		const char *cells[] = {p->name, r->runs[p->run].label, tm, it, rp_str(&notes)};
		table_row(d, cells, 5, 0);
		rp_buf_free(&notes);
	}
	table_end(d);
	rp_buf_free(&fams);
}

static void failed_section(struct doc *d, const struct rp_report *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->npts; i++)
		n += r->pts[i].failed;
	if (!n)
		return;
	heading(d, 2, "Failed benchmarks");
	para(d, "These reported an error instead of a figure (a wrong answer, a crash, a "
		"deadline); they are left out of every comparison.");
	const char *hdr[] = {"benchmark", "run", "error"};
	table_begin(d, hdr, 3);
	for (size_t i = 0; i < r->npts; i++) {
		const struct rp_point *p = &r->pts[i];
		if (!p->failed)
			continue;
		const char *cells[] = {p->name, r->runs[p->run].label,
				       p->error ? p->error : "no message"};
		table_row(d, cells, 3, 0);
	}
	table_end(d);
}

/* ---- the whole document ------------------------------------------------------------- */

static const char css[] =
    "body{font-family:system-ui,sans-serif;max-width:1300px;margin:0.8em auto;padding:0 1em;"
    "color:#222;line-height:1.45}"
    "table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:0.9em}"
    "th,td{border:1px solid #ccc;padding:0.25em 0.6em;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}"
    "figure{margin:1em 0}figure img{max-width:100%;border:1px solid #ddd}"
    "figcaption{font-size:0.85em;color:#555}"
    ".winner{background:#eef7ee;border-left:4px solid #2a7a2a;padding:0.35em 0.7em;"
    "margin:0.4em 0}"
    ".warn{background:#fff6e0;border-left:4px solid #d08a00;padding:0.35em 0.7em}"
    ".note{color:#555;font-style:italic}"
    ".multiples{display:flex;flex-wrap:wrap;gap:0.5em}.multiples figure{flex:1 1 540px;"
    "margin:0.5em 0}iframe.chart{width:100%;aspect-ratio:1100/650;border:1px solid #ddd}"
    ".n1 figure{flex-basis:100%}"
    "table.sortable th{cursor:pointer}table.sortable th:hover{background:#e6e6e6}"
    "table.answers{font-size:0.8em;line-height:1.25;width:100%}"
    "table.answers td,table.answers th{padding:0.12em 0.4em}"
    "table.answers td:first-child{width:34%}h1{margin:0.2em 0 0.3em}"
    "h2#answers{margin:0.3em 0;font-size:1.25em}"
    ".sure-clear td:nth-child(5){color:#1a6b1a}.sure-tie td:nth-child(5){color:#555}"
    ".sure-unreliable td:nth-child(5),.sure-not.comparable td:nth-child(5){color:#b35c00}";

/* Sortable tables: a click on a header sorts by that column (numbers by value), again to
 * reverse. */
static const char sort_js[] =
    "document.querySelectorAll('table.sortable').forEach(function(t){"
    "var h=t.querySelector('tr');if(!h)return;"
    "Array.prototype.forEach.call(h.cells,function(th,i){th.title='sort by this column';"
    "th.addEventListener('click',function(){"
    "var rows=Array.prototype.slice.call(t.rows).filter(function(r){return r!==h;});"
    "var dir=th.dataset.dir==='1'?-1:1;th.dataset.dir=dir===1?'1':'-1';"
    "function key(r){var s=(r.cells[i]||{}).textContent||'';"
    "var n=parseFloat(s.replace(/[^0-9.eE+-]/g,''));return isNaN(n)?s:n;}"
    "rows.sort(function(a,b){var x=key(a),y=key(b);"
    "if(typeof x===typeof y)return (x<y?-1:x>y?1:0)*dir;"
    "return (typeof x==='number'?-1:1)*dir;});"
    "var p=rows.length?rows[0].parentNode:t;rows.forEach(function(r){p.appendChild(r);});"
    "});});});";

int rp_docs_write(struct rp_report *r, const char *dir, int *nwinners, char *err, size_t errlen)
{
	struct doc d = {{0}, {0}, dir};
	char path[PATH_MAX];
	int rc = -1;

	*nwinners = 0;
	for (size_t ci = 0; ci < r->ncharts; ci++) {
		struct rp_buf a = {0};
		rp_add(&a, "chart-");
		rp_file_token(&a, r->charts[ci].key);
		for (size_t cj = 0; cj < ci; cj++)
			if (!strcmp(r->charts[cj].anchor, rp_str(&a)))
				rp_addf(&a, "-%zu", ci);
		free(r->charts[ci].anchor);
		r->charts[ci].anchor = rp_strdup(rp_str(&a));
		rp_buf_free(&a);
	}
	rp_addf(&d.html,
		"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<title>contend report</title>\n<style>%s</style>\n</head>\n<body>\n",
		css);
	heading(&d, 1, "contend report");
	if (rp_answers_write(r, dir, &d.md, &d.html, err, errlen) != 0)
		goto out;
	{
		struct rp_buf b = {0};
		rp_add(&b, "Which synchronization strategy wins for each workload on this machine, "
			   "and by how much. From ");
		for (size_t u = 0; u < r->nruns; u++)
			rp_addf(&b, "%s%s (%s)", u ? (u + 1 == r->nruns ? " and " : ", ") : "",
				r->runs[u].arg, r->runs[u].label);
		rp_add(&b, ".");
		para(&d, rp_str(&b));
		rp_buf_free(&b);
	}
	para(&d, "How to read it: each “winner:” line names the strategy with the best figure "
		 "for one workload, how many times better it is than the runner-up (and than the "
		 "workload's baseline), and whether the gap is inside the spread. Figures are "
		 "medians over the repetitions. RTT is the cache-line round trip the harness "
		 "measured just before each benchmark: a figure in RTT says how many line "
		 "transfers an operation costs. Results marked ⚠ were measured while the vCPU "
		 "placement drifted or while other processes took the CPU: trust them less.");
	machine(&d, r);
	if (c2c_section(&d, r, err, errlen) != 0)
		goto out;

	/* the sections, in the order their views first appear in the results */
	const char **secs = NULL;
	size_t nsec = 0, csec = 0;
	for (size_t i = 0; i < r->npts; i++) {
		const struct rp_point *p = &r->pts[i];
		if (p->fam == RP_OTHER)
			continue;
		const char *sname = point_section(p);
		size_t j;
		for (j = 0; j < nsec && strcmp(secs[j], sname) != 0; j++)
			;
		if (j == nsec)
			RP_PUSH(secs, nsec, csec, sname);
	}
	for (size_t si = 0; si < nsec; si++) {
		const char **seen = NULL;
		size_t ns = 0, cs = 0;
		heading(&d, 2, secs[si]);
		for (size_t ci = 0; ci < r->ncharts; ci++) {
			const struct rp_chart *c = &r->charts[ci];
			if (strcmp(c->section, secs[si]) != 0)
				continue;
			/* the view's question and notes, once per section */
			const char *texts[2] = {c->question, rp_view_str(c->view, "notes")};
			for (int k = 0; k < 2; k++) {
				size_t j;
				if (!texts[k])
					continue;
				for (j = 0; j < ns && strcmp(seen[j], texts[k]) != 0; j++)
					;
				if (j < ns)
					continue;
				RP_PUSH(seen, ns, cs, texts[k]);
				if (k == 0) {
					char *q = rp_fmt("Question: %s", texts[k]);
					para(&d, q);
					free(q);
				} else {
					note(&d, texts[k]);
				}
			}
			if (chart_section(&d, r, c, nwinners, err, errlen) != 0) {
				free(seen);
				free(secs);
				goto out;
			}
		}
		free(seen);
		table_section(&d, r, secs[si]);
	}
	free(secs);
	other_section(&d, r);
	failed_section(&d, r);
	rp_addf(&d.html, "<script>%s</script>\n</body>\n</html>\n", sort_js);

	snprintf(path, sizeof(path), "%s/report.md", dir);
	if (ct_write_file_atomic(path, d.md.p, d.md.len, err, errlen) != 0)
		goto out;
	snprintf(path, sizeof(path), "%s/report.html", dir);
	if (ct_write_file_atomic(path, d.html.p, d.html.len, err, errlen) != 0)
		goto out;
	rc = 0;
out:
	rp_buf_free(&d.md);
	rp_buf_free(&d.html);
	return rc;
}
