/*
 * util.c - the shared small utilities: errors and option parsing, the template folder.
 */
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CONTEND_PLOTS_REL
#define CONTEND_PLOTS_REL "../share/contend/plots"
#endif

void ct_die(const char *fmt, ...)
{
	va_list ap;
	char msg[2048];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fflush(stdout);
	fprintf(stderr, "contend: %s\n", msg);
	exit(2);
}

int ct_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int ct_parse_double(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

const char *ct_opt_value(int argc, char **argv, int *i, const char *name)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc)
		ct_die("%s needs a value", name);
	return argv[++*i];
}

void *ct_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

char *ct_xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

/*
 * The gnuplot templates: plots/ next to the program (a build tree: the build copies them
 * there), else ../share/contend/plots from the program's directory (an installed contend,
 * `cmake --install`). Never the source tree, so an installed program cannot pick up
 * templates of another version. When neither exists, the installed path is returned (the
 * callers' one-line error names it) and *found (if given) is 0.
 */
static int is_dir(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

const char *ct_plots_dir_found(int *found)
{
	static char dir[PATH_MAX];
	static int ok;
	char exe[PATH_MAX];
	ssize_t n;

	if (dir[0]) {
		if (found)
			*found = ok;
		return dir;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(exe, sizeof(exe), ".");
	snprintf(dir, sizeof(dir), "%.4000s/plots", exe);
	ok = is_dir(dir);
	if (!ok) {
		snprintf(dir, sizeof(dir), "%.4000s/%s", exe, CONTEND_PLOTS_REL);
		char real[PATH_MAX];
		if (realpath(dir, real))
			snprintf(dir, sizeof(dir), "%s", real);
		ok = is_dir(dir);
	}
	if (found)
		*found = ok;
	return dir;
}

const char *ct_plots_dir(void)
{
	return ct_plots_dir_found(NULL);
}
