/*
 * report_doc.c - report.md and report.html, written side by side from the same calls
 * (headings, notes, winner lines, tables, figures: the calls report_doc.h names), and the
 * whole document put in order; its sections are in report_doc_machine.c and
 * report_doc_sections.c.
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
#include "report_doc.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "resultsio.h"

/* ---- the two outputs ---------------------------------------------------------------- */

void rp_doc_heading(struct rp_doc *d, int level, const char *text)
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

void rp_doc_para(struct rp_doc *d, const char *text)
{
	rp_md_esc(&d->md, text);
	rp_add(&d->md, "\n\n");
	rp_add(&d->html, "<p>");
	rp_html_esc(&d->html, text);
	rp_add(&d->html, "</p>\n");
}

void rp_doc_note(struct rp_doc *d, const char *text)
{
	rp_add(&d->md, "_");
	rp_md_esc(&d->md, text);
	rp_add(&d->md, "_\n\n");
	rp_add(&d->html, "<p class=\"note\">");
	rp_html_esc(&d->html, text);
	rp_add(&d->html, "</p>\n");
}

void rp_doc_warn(struct rp_doc *d, const char *text)
{
	rp_add(&d->md, "> ⚠ ");
	rp_md_esc(&d->md, text);
	rp_add(&d->md, "\n\n");
	rp_add(&d->html, "<p class=\"warn\">⚠ ");
	rp_html_esc(&d->html, text);
	rp_add(&d->html, "</p>\n");
}

void rp_doc_winner(struct rp_doc *d, const char *who, const char *rest, const char *comment)
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

void rp_doc_table_row(struct rp_doc *d, const char *const *cells, size_t n, int header)
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

void rp_doc_table_begin(struct rp_doc *d, const char *const *hdr, size_t n)
{
	rp_add(&d->html, "<table class=\"sortable\">\n");
	rp_doc_table_row(d, hdr, n, 1);
}

void rp_doc_table_end(struct rp_doc *d)
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
int rp_doc_figures(struct rp_doc *d, char *const *files, size_t n, const char *alt, int interactive,
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

int rp_doc_image(struct rp_doc *d, const char *file, const char *alt, char *err, size_t errlen)
{
	char *files[1] = {(char *)file};
	return rp_doc_figures(d, files, 1, alt, 0, err, errlen);
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
	struct rp_doc d = {{0}, {0}, dir};
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
	rp_doc_heading(&d, 1, "contend report");
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
		rp_doc_para(&d, rp_str(&b));
		rp_buf_free(&b);
	}
	rp_doc_para(
	    &d, "How to read it: each “winner:” line names the strategy with the best figure "
		"for one workload, how many times better it is than the runner-up (and than the "
		"workload's baseline), and whether the gap is inside the spread. Figures are "
		"medians over the repetitions. RTT is the cache-line round trip the harness "
		"measured just before each benchmark: a figure in RTT says how many line "
		"transfers an operation costs. Results marked ⚠ were measured while the vCPU "
		"placement drifted or while other processes took the CPU: trust them less.");
	rp_doc_machine(&d, r);
	if (rp_doc_c2c_section(&d, r, err, errlen) != 0)
		goto out;

	/* the sections, in the order their views first appear in the results */
	const char **secs = NULL;
	size_t nsec = 0, csec = 0;
	for (size_t i = 0; i < r->npts; i++) {
		const struct rp_point *p = &r->pts[i];
		if (p->fam == RP_OTHER)
			continue;
		const char *sname = rp_doc_point_section(p);
		size_t j;
		for (j = 0; j < nsec && strcmp(secs[j], sname) != 0; j++)
			;
		if (j == nsec)
			RP_PUSH(secs, nsec, csec, sname);
	}
	for (size_t si = 0; si < nsec; si++) {
		const char **seen = NULL;
		size_t ns = 0, cs = 0;
		rp_doc_heading(&d, 2, secs[si]);
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
					rp_doc_para(&d, q);
					free(q);
				} else {
					rp_doc_note(&d, texts[k]);
				}
			}
			if (rp_doc_chart_section(&d, r, c, nwinners, err, errlen) != 0) {
				free(seen);
				free(secs);
				goto out;
			}
		}
		free(seen);
		rp_doc_table_section(&d, r, secs[si]);
	}
	free(secs);
	rp_doc_other_section(&d, r);
	rp_doc_failed_section(&d, r);
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
