/*
 * report_gnuplot.c - running gnuplot for the report and the history: the templates in
 * plots/ checked and filled in, text made safe for a gnuplot string or a CSV cell, files
 * written atomically, and gnuplot run on a script with a deadline (its process group
 * killed on timeout or a signal), its PNG and SVG checked.
 */
#define _GNU_SOURCE /* pipe2 */
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "resultsio.h"

static volatile sig_atomic_t no_stop;
volatile sig_atomic_t *rp_stop = &no_stop;

static const char *const templates[] = {"lines.gp", "bars.gp", "heatmap.gp"};

int rp_plots_check(char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct stat sb;

	for (size_t i = 0; i < sizeof(templates) / sizeof(templates[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", ct_plots_dir(), templates[i]);
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			snprintf(err, errlen,
				 "gnuplot template %s missing: the report needs plots/*.gp next to "
				 "the program or in ../share/contend/plots (reinstall contend)",
				 path);
			return -1;
		}
	}
	return 0;
}

const char *rp_find_gnuplot(void)
{
	static char found[PATH_MAX];
	const char *path = getenv("PATH");

	if (!path || !*path)
		return NULL;
	while (*path) {
		const char *c = strchr(path, ':');
		size_t n = c ? (size_t)(c - path) : strlen(path);
		if ((size_t)snprintf(found, sizeof(found), "%.*s/gnuplot", (int)n, n ? path : ".") <
			sizeof(found) &&
		    access(found, X_OK) == 0)
			return found;
		path += n + (c ? 1 : 0);
	}
	return NULL;
}

/* ---- script from template --------------------------------------------------------- */

int rp_fill_template(const char *tmpl, const struct rp_field *f, size_t nf, struct rp_buf *out,
		     char *err, size_t errlen)
{
	char path[PATH_MAX];
	FILE *in;
	struct rp_buf t = {0};
	char chunk[4096];
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", ct_plots_dir(), tmpl);
	if (!(in = fopen(path, "r"))) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		rp_addn(&t, chunk, n);
	fclose(in);
	for (const char *p = rp_str(&t); *p;) {
		const char *at = strchr(p, '@');
		if (!at) {
			rp_add(out, p);
			break;
		}
		rp_addn(out, p, (size_t)(at - p));
		const char *end = strchr(at + 1, '@');
		int done = 0;
		for (size_t i = 0; end && i < nf && !done; i++) {
			size_t k = strlen(f[i].key);
			if ((size_t)(end - at - 1) == k && !strncmp(at + 1, f[i].key, k)) {
				rp_add(out, f[i].val);
				p = end + 1;
				done = 1;
			}
		}
		if (!done) {
			rp_addn(out, at, 1);
			p = at + 1;
		}
	}
	rp_buf_free(&t);
	return 0;
}

void rp_gp_text(struct rp_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '`')
			rp_add(b, "'");
		else if (*s == '\\')
			rp_add(b, "/");
		else if (*s == '\n')
			rp_add(b, "\\n");
		else
			rp_addn(b, s, 1);
	}
}

void rp_csv_text(struct rp_buf *b, const char *s)
{
	for (; *s; s++)
		rp_addn(b, (*s == ',' || *s == '"' || *s == '\n') ? ";" : s, 1);
}

/* ---- running gnuplot -------------------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int rp_run_gnuplot(const char *gnuplot, double timeout, const char *who, const char *dir,
		   const char *script, char *err, size_t errlen)
{
	int pfd[2], status = 0;
	char out[2048];
	size_t outlen = 0;
	double deadline = now_s() + timeout;
	int timed_out = 0;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		if (chdir(dir) != 0) {
			dprintf(2, "cd %s: %s\n", dir, strerror(errno));
			_exit(126);
		}
		execl(gnuplot, "gnuplot", script, (char *)NULL);
		dprintf(2, "cannot run %s: %s\n", gnuplot, strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	close(pfd[1]);
	for (;;) {
		double left = deadline - now_s();
		if (*rp_stop) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			close(pfd[0]);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			snprintf(err, errlen, "interrupted");
			return -1;
		}
		if (left <= 0) {
			timed_out = 1;
			break;
		}
		struct pollfd pf = {pfd[0], POLLIN, 0};
		int pr = poll(&pf, 1, (int)(left * 1000) + 1);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue;
		char buf[512];
		ssize_t n = read(pfd[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		size_t room = sizeof(out) - 1 - outlen;
		size_t take = (size_t)n < room ? (size_t)n : room;
		memcpy(out + outlen, buf, take);
		outlen += take;
	}
	close(pfd[0]);
	out[outlen] = '\0';
	/* Output closed: the process is ending; still hold it to the deadline. */
	while (!timed_out) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			snprintf(err, errlen, "waitpid: %s", strerror(errno));
			return -1;
		}
		if (now_s() >= deadline)
			timed_out = 1;
		else
			usleep(2000);
	}
	if (timed_out) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		snprintf(err, errlen,
			 "gnuplot %s took longer than %.0f s and was stopped (--plot-timeout)",
			 script, timeout);
		return -1;
	}
	/* first line of what it said */
	char *nl = strchr(out, '\n');
	while (nl && nl == out) {
		memmove(out, out + 1, strlen(out));
		nl = strchr(out, '\n');
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		if (outlen)
			fprintf(stderr, "contend: %s: gnuplot %s said: %.*s\n", who, script,
				nl ? (int)(nl - out) : (int)strlen(out), out);
		return 0;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		snprintf(err, errlen, "%.*s (apt-get install gnuplot-nox)",
			 nl ? (int)(nl - out) : (int)strlen(out), out);
		return -1;
	}
	if (WIFSIGNALED(status))
		snprintf(err, errlen, "gnuplot %s/%s was killed by signal %d", dir, script,
			 WTERMSIG(status));
	else
		snprintf(err, errlen, "gnuplot %s/%s failed (exit %d): %.*s", dir, script,
			 WEXITSTATUS(status), nl ? (int)(nl - out) : (int)strlen(out), out);
	return -1;
}

int rp_check_output(const char *dir, const char *base, char *err, size_t errlen)
{
	static const char *const ext[] = {"png", "svg"};
	char path[PATH_MAX];
	struct stat sb;

	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s.%s", dir, base, ext[i]);
		if (stat(path, &sb) != 0 || sb.st_size == 0) {
			snprintf(err, errlen, "gnuplot wrote no %s.%s", base, ext[i]);
			return -1;
		}
	}
	return 0;
}

int rp_write_text(const char *dir, const char *name, const struct rp_buf *b, char *err,
		  size_t errlen)
{
	char *path = rp_fmt("%s/%s", dir, name);
	int rc = ct_write_file_atomic(path, rp_str(b), b->len, err, errlen);

	free(path);
	return rc;
}

int rp_draw(const char *gnuplot, double timeout, const char *who, const char *tmpl,
	    const struct rp_field *f, size_t nf, const char *dir, const char *file, char *err,
	    size_t errlen)
{
	struct rp_buf gp = {0};
	char *name = rp_fmt("%s.gp", file);
	int rc = -1;

	if (rp_fill_template(tmpl, f, nf, &gp, err, errlen) == 0 &&
	    rp_write_text(dir, name, &gp, err, errlen) == 0 &&
	    rp_run_gnuplot(gnuplot, timeout, who, dir, name, err, errlen) == 0 &&
	    rp_check_output(dir, file, err, errlen) == 0)
		rc = 0;
	rp_buf_free(&gp);
	free(name);
	return rc;
}

int rp_write_marks(const char *dir, const char *file, const char *header, const struct rp_buf *body,
		   char *err, size_t errlen)
{
	struct rp_buf b = {0};
	char *name = rp_fmt("%s-marks.csv", file);
	int rc;

	rp_addf(&b, "%s\n", header);
	rp_add(&b, rp_str(body));
	rc = rp_write_text(dir, name, &b, err, errlen);
	rp_buf_free(&b);
	free(name);
	return rc;
}

void rp_chart_text_free(struct rp_chart_text *t)
{
	rp_buf_free(&t->csv);
	rp_buf_free(&t->marks);
	rp_buf_free(&t->title);
	rp_buf_free(&t->note);
	rp_buf_free(&t->settings);
	rp_buf_free(&t->mk);
	rp_buf_free(&t->ylabel);
	rp_buf_free(&t->xlabel);
}

int rp_draw_chart(const char *gnuplot, double timeout, const char *who, const char *tmpl,
		  size_t nseries, const struct rp_chart_text *t, const char *dir, const char *file,
		  char *err, size_t errlen)
{
	char name[PATH_MAX], ns[32];

	snprintf(ns, sizeof(ns), "%zu", nseries);
	snprintf(name, sizeof(name), "%s.csv", file);
	struct rp_field f[] = {
	    {"DATA", name},
	    {"NSERIES", ns},
	    {"TITLE", rp_str(&t->title)},
	    {"XLABEL", rp_str(&t->xlabel)},
	    {"YLABEL", rp_str(&t->ylabel)},
	    {"NOTE", rp_str(&t->note)},
	    {"SETTINGS", rp_str(&t->settings)},
	    {"MARKS", rp_str(&t->mk)},
	    {"OUT", file},
	};
	return rp_draw(gnuplot, timeout, who, tmpl, f, sizeof(f) / sizeof(f[0]), dir, file, err,
		       errlen);
}
