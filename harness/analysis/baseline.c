/*
 * baseline.c - whether two runs may be compared, the machine fingerprint, and where
 * baselines live.
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
