/*
 * verdict.c - a report's rows: the table a person reads, Markdown for a pull request, and
 * JSON for CI tools.
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

/* ---- report ---------------------------------------------------------------------------- */

struct ct_row *ct_report_add(struct ct_report *rep)
{
	if (rep->n == rep->cap) {
		rep->cap = rep->cap ? 2 * rep->cap : 32;
		rep->rows = ct_xrealloc(rep->rows, rep->cap * sizeof(*rep->rows));
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

int ct_report_status(const struct ct_report *rep, const struct ct_decide_opts *o)
{
	for (size_t i = 0; i < rep->n; i++)
		if (rep->rows[i].verdict == CT_V_REGRESSION ||
		    rep->rows[i].verdict == CT_V_FAILED_NEW ||
		    (o->fail_on_inconclusive && rep->rows[i].verdict == CT_V_INCONCLUSIVE))
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
	case CT_V_INCONCLUSIVE:
		return "inconclusive";
	case CT_V_NOT_MEANINGFUL:
		return "not meaningful";
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
	snprintf(buf, len, "%s%s%s", ct_verdict_word(r->verdict), r->note[0] ? ": " : "", r->note);
}

/* "[-3.1%, +2.0%]", or "-" without an interval */
static void fmt_ci(char *buf, size_t len, const struct ct_row *r)
{
	if (isnan(r->ci_lo) || isnan(r->ci_hi))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "[%+.1f%%, %+.1f%%]", r->ci_lo, r->ci_hi);
}

struct counts {
	size_t reg, imp, same, noise, unrel, failnew, other, onlyb, onlyn, inconcl, nomean;
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
		case CT_V_INCONCLUSIVE:
			c.inconcl++;
			break;
		case CT_V_NOT_MEANINGFUL:
			c.nomean++;
			break;
		default:
			c.other++;
		}
	return c;
}

static void rule_text(char *buf, size_t len, const struct ct_report *rep,
		      const struct ct_decide_opts *o)
{
	size_t tested = 0;
	for (size_t i = 0; i < rep->n; i++)
		tested += rep->rows[i].tested;
	if (o->metric.declared)
		snprintf(
		    buf, len,
		    "each row on its declared metric; a regression is a median more than %g%% "
		    "worse with one-sided %s q <= %g, q the Benjamini-Hochberg adjusted p over "
		    "the %zu rows tested (false discovery rate %g); interval: %g%% confidence "
		    "for the change",
		    o->threshold, rep->test_name, o->alpha, tested, o->alpha, 100 * (1 - o->alpha));
	else
		snprintf(buf, len,
			 "metric %s (%s is better); a regression is a median more than %g%% worse "
			 "with one-sided %s q <= %g, q the Benjamini-Hochberg adjusted p over the "
			 "%zu rows tested (false discovery rate %g); interval: %g%% confidence for "
			 "the change",
			 o->metric.name, o->metric.higher_better ? "higher" : "lower", o->threshold,
			 rep->test_name, o->alpha, tested, o->alpha, 100 * (1 - o->alpha));
}

static int verdict_any(const struct ct_report *rep, enum ct_verdict v)
{
	for (size_t i = 0; i < rep->n; i++)
		if (rep->rows[i].verdict == v)
			return 1;
	return 0;
}

/* The legend lines for the verdicts that need one. */
static void legend(const struct ct_report *rep, const struct ct_decide_opts *o, char *buf,
		   size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	if (verdict_any(rep, CT_V_INCONCLUSIVE))
		n += (size_t)snprintf(
		    buf + n, len - n,
		    "inconclusive: beyond the threshold, but too few %s to reach "
		    "significance: shown, not decided%s\n",
		    rep->sample_word,
		    o->fail_on_inconclusive ? " (and failing: --fail-on-inconclusive)" : "");
	int shifted = 0;
	for (size_t i = 0; i < rep->n && !shifted; i++)
		shifted = isfinite(rep->rows[i].peer_shift);
	if (shifted && n < len)
		n += (size_t)snprintf(
		    buf + n, len - n,
		    "peers moved X %% together: the rows that differ only in strategy (run side by "
		    "side) moved alike between the runs, the machine's share; the change is "
		    "against them (at most the threshold taken out)\n");
	if (verdict_any(rep, CT_V_NOT_MEANINGFUL) && n < len)
		snprintf(buf + n, len - n,
			 "not meaningful: %s of a windowed benchmark is window / (n x threads); "
			 "its declared metric decides it\n",
			 o->metric.name);
}

static void summary_text(char *buf, size_t len, const struct ct_report *rep)
{
	struct counts c = count_rows(rep);
	const struct {
		size_t n;
		const char *what;
	} parts[] = {
	    {c.reg, "regressed"},      {c.failnew, "failed in new"}, {c.imp, "improved"},
	    {c.same, "unchanged"},     {c.noise, "not significant"}, {c.inconcl, "inconclusive"},
	    {c.unrel, "unreliable"},   {c.nomean, "not meaningful"}, {c.other, "undecided"},
	    {c.onlyb, "only in base"}, {c.onlyn, "only in new"}};
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

static void row_cells(const struct ct_row *r, char cell[][400])
{
	snprintf(cell[0], 400, "%s", r->name);
	snprintf(cell[1], 400, "%s", r->m.name);
	fmt_value(cell[2], 400, r->base, &r->m);
	fmt_value(cell[3], 400, r->new, &r->m);
	fmt_change(cell[4], 400, r->change);
	fmt_ci(cell[5], 400, r);
	fmt_p(cell[6], 400, r->q);
	fmt_verdict(cell[7], 400, r);
}

static int listed_apart(const struct ct_row *r)
{
	return r->verdict == CT_V_ONLY_BASE || r->verdict == CT_V_ONLY_NEW;
}

void ct_report_print(FILE *f, const struct ct_report *rep, const struct ct_decide_opts *o)
{
	enum { NC = 8 };
	static const char *const head[NC] = {"benchmark", "metric",   "base", "new",
					     "change",	  "interval", "q",    "verdict"};
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
		row_cells(&rep->rows[i], cell);
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
		row_cells(&rep->rows[i], cell);
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
	legend(rep, o, buf, sizeof(buf));
	if (buf[0])
		fprintf(f, "\n%s", buf);
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
		b->s = ct_xrealloc(b->s, b->cap);
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
	char v[5][400], buf[800];
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
	sb_printf(&b, "| benchmark | metric | base | new | change | interval | q | verdict |\n"
		      "|---|---|---:|---:|---:|---:|---:|---|\n");
	for (i = 0; i < rep->n; i++) {
		const struct ct_row *r = &rep->rows[i];
		if (listed_apart(r))
			continue;
		fmt_value(v[0], sizeof(v[0]), r->base, &r->m);
		fmt_value(v[1], sizeof(v[1]), r->new, &r->m);
		fmt_change(v[2], sizeof(v[2]), r->change);
		fmt_verdict(v[3], sizeof(v[3]), r);
		fmt_ci(v[4], sizeof(v[4]), r);
		fmt_p(buf, sizeof(buf), r->q);
		md_cell(v[3]);
		int strong = r->verdict == CT_V_REGRESSION || r->verdict == CT_V_FAILED_NEW;
		sb_printf(&b, "| `%s` | %s | %s | %s | %s | %s | %s | %s%s%s |\n", r->name,
			  r->m.name, v[0], v[1], v[2], v[4], buf, strong ? "**" : "", v[3],
			  strong ? "**" : "");
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
	legend(rep, o, buf, sizeof(buf));
	if (buf[0])
		sb_printf(&b, "\n%s", buf);
	summary_text(buf, sizeof(buf), rep);
	sb_printf(&b, "\n%s.\n", buf);
	return b.s;
}

static json_t *num_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

json_t *ct_report_json(const struct ct_report *rep, const struct ct_decide_opts *o)
{
	json_t *rows = json_array();
	char buf[800];

	for (size_t i = 0; i < rep->n; i++) {
		const struct ct_row *r = &rep->rows[i];
		json_t *j = json_object();
		json_object_set_new(j, "name", json_string(r->name));
		json_object_set_new(j, "metric", json_string(r->m.name));
		json_object_set_new(
		    j, "direction",
		    json_string(r->m.higher_better ? "higher_is_better" : "lower_is_better"));
		json_object_set_new(j, "base_median", num_or_null(r->base));
		json_object_set_new(j, "new_median", num_or_null(r->new));
		json_object_set_new(j, "change_pct", num_or_null(r->change));
		json_object_set_new(
		    j, "interval_pct",
		    json_pack("[o, o]", num_or_null(r->ci_lo), num_or_null(r->ci_hi)));
		json_object_set_new(j, "peer_shift_pct", num_or_null(r->peer_shift));
		json_object_set_new(j, "p", num_or_null(r->p));
		json_object_set_new(j, "p_adjusted", num_or_null(r->q));
		json_object_set_new(j, "samples",
				    json_pack("[I, I]", (json_int_t)r->nb, (json_int_t)r->nn));
		json_object_set_new(j, "multi_pu", json_boolean(r->multi_pu));
		json_object_set_new(j, "decision", json_string(ct_verdict_word(r->verdict)));
		json_object_set_new(j, "note", json_string(r->note));
		json_array_append_new(rows, j);
	}
	rule_text(buf, sizeof(buf), rep, o);
	json_t *doc = json_object();
	json_object_set_new(doc, "contend_verdict", json_integer(1));
	json_object_set_new(doc, "base", json_string(rep->base_label ? rep->base_label : ""));
	json_object_set_new(doc, "new", json_string(rep->new_label ? rep->new_label : ""));
	json_object_set_new(doc, "test", json_string(rep->test_name ? rep->test_name : ""));
	json_object_set_new(doc, "correction", json_string("Benjamini-Hochberg"));
	json_object_set_new(doc, "alpha", json_real(o->alpha));
	json_object_set_new(doc, "threshold_pct", json_real(o->threshold));
	json_object_set_new(doc, "threshold_multi_pct",
			    json_real(o->threshold_multi > 0 ? o->threshold_multi : o->threshold));
	json_object_set_new(doc, "rule", json_string(buf));
	json_object_set_new(doc, "regression", json_boolean(ct_report_status(rep, o)));
	summary_text(buf, sizeof(buf), rep);
	json_object_set_new(doc, "summary", json_string(buf));
	json_object_set_new(doc, "rows", rows);
	return doc;
}
