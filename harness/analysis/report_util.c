/*
 * report_util.c - growable strings, number formatting and escaping for `contend report`.
 */
#include "report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *rp_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		fputs("contend: report: out of memory\n", stderr);
		exit(1);
	}
	return q;
}

char *rp_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = rp_xrealloc(NULL, n);

	memcpy(d, s, n);
	return d;
}

char *rp_fmt(const char *fmt, ...)
{
	char small[256], *big;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0, small[0] = '\0';
	big = rp_xrealloc(NULL, (size_t)n + 1);
	if ((size_t)n < sizeof(small)) {
		memcpy(big, small, (size_t)n + 1);
		return big;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return big;
}

void rp_addn(struct rp_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = rp_xrealloc(b->p, cap);
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void rp_add(struct rp_buf *b, const char *s)
{
	rp_addn(b, s, strlen(s));
}

void rp_addf(struct rp_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		rp_addn(b, small, (size_t)n);
		return;
	}
	char *big = rp_xrealloc(NULL, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rp_addn(b, big, (size_t)n);
	free(big);
}

void rp_buf_free(struct rp_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

const char *rp_str(const struct rp_buf *b)
{
	return b->p ? b->p : "";
}

/* Three significant digits: 3.14, 31.4, 314. */
static void sig3(char *out, size_t n, double v, const char *suffix)
{
	double a = fabs(v);

	if (a >= 100 || a == 0)
		snprintf(out, n, "%.0f%s", v, suffix);
	else if (a >= 10)
		snprintf(out, n, "%.1f%s", v, suffix);
	else
		snprintf(out, n, "%.2f%s", v, suffix);
}

void rp_fmt_si(char *out, size_t n, double v)
{
	static const struct {
		double f;
		const char *p;
	} pre[] = {{1e12, " T"}, {1e9, " G"}, {1e6, " M"}, {1e3, " k"}};
	double a = fabs(v);

	if (!isfinite(v)) {
		snprintf(out, n, "—");
		return;
	}
	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
		if (a >= pre[i].f * 0.9995) {
			sig3(out, n, v / pre[i].f, pre[i].p);
			return;
		}
	}
	sig3(out, n, v, " ");
}

void rp_fmt_time_ns(char *out, size_t n, double ns)
{
	double a = fabs(ns);

	if (!isfinite(ns))
		snprintf(out, n, "—");
	else if (a >= 0.9995e9)
		sig3(out, n, ns / 1e9, " s");
	else if (a >= 0.9995e6)
		sig3(out, n, ns / 1e6, " ms");
	else if (a >= 0.9995e3)
		sig3(out, n, ns / 1e3, " µs");
	else
		sig3(out, n, ns, " ns");
}

void rp_fmt_num(char *out, size_t n, double v)
{
	if (!isfinite(v))
		snprintf(out, n, "—");
	else if (fabs(v) >= 1e6)
		snprintf(out, n, "%.3g", v);
	else
		sig3(out, n, v, "");
}

void rp_html_esc(struct rp_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			rp_add(b, "&amp;");
			break;
		case '<':
			rp_add(b, "&lt;");
			break;
		case '>':
			rp_add(b, "&gt;");
			break;
		case '"':
			rp_add(b, "&quot;");
			break;
		default:
			rp_addn(b, s, 1);
		}
	}
}

void rp_md_esc(struct rp_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '|':
			rp_add(b, "\\|");
			break;
		case '*':
			rp_add(b, "\\*");
			break;
		case '<':
			rp_add(b, "&lt;");
			break;
		case '\n':
			rp_add(b, " ");
			break;
		default:
			rp_addn(b, s, 1);
		}
	}
}

void rp_file_token(struct rp_buf *b, const char *s)
{
	int last_sep = 1;

	for (; *s; s++) {
		char c = *s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '_') {
			rp_addn(b, &c, 1);
			last_sep = 0;
		} else if (!last_sep) {
			rp_add(b, "-");
			last_sep = 1;
		}
	}
	while (b->len && b->p[b->len - 1] == '-')
		b->p[--b->len] = '\0';
}

void rp_base64(struct rp_buf *b, const unsigned char *d, size_t n)
{
	static const char tbl[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)d[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)d[i + 1] << 8;
		if (i + 2 < n)
			v |= d[i + 2];
		q[0] = tbl[(v >> 18) & 63];
		q[1] = tbl[(v >> 12) & 63];
		q[2] = i + 1 < n ? tbl[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? tbl[v & 63] : '=';
		rp_addn(b, q, 4);
	}
}

void rp_fmt_ratio(char *out, size_t n, double v)
{
	if (!isfinite(v))
		snprintf(out, n, "—");
	else if (v < 10)
		snprintf(out, n, "%.2f", v);
	else if (v < 100)
		snprintf(out, n, "%.1f", v);
	else
		snprintf(out, n, "%.0f", v);
}
