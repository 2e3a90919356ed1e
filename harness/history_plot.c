/*
 * history_plot.c - each history chart's data as CSV, its gnuplot script (plots/history.gp
 * filled in), and gnuplot run on it with a deadline, for a PNG and an SVG.
 *
 * The CSV holds what the plot shows in the plot's units (named in its first line); the
 * flagged and improved points are in NAME-marks.csv. Runs are evenly spaced along x (their
 * order matters, not the hours between them), the tics their UTC start times.
 */
#define _GNU_SOURCE /* pipe2 */
#include "history.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "report.h"
#include "resultsio.h"

/* ---- the metric in words and units ------------------------------------------------- */

const char *hi_metric_words(const struct ct_metric *m)
{
	if (!strcmp(m->name, "real_time"))
		return "wall time per iteration";
	if (!strcmp(m->name, "cpu_time"))
		return "CPU time per iteration";
	if (!strcmp(m->name, "items_per_second"))
		return "items per second";
	return m->name;
}

void hi_fmt_value(char *out, size_t n, const struct ct_metric *m, double v)
{
	if (!isfinite(v))
		snprintf(out, n, "—");
	else if (m->is_time)
		rp_fmt_time_ns(out, n, v);
	else if (m->is_rate)
		rp_fmt_metric(out, n, RP_M_ITEMS, v);
	else
		rp_fmt_num(out, n, v);
}

/* Display unit for a chart: divide by *div. */
static const char *pick_unit(const struct ct_metric *m, double vmax, double *div)
{
	*div = 1;
	if (m->is_rate)
		return "per second";
	if (!m->is_time)
		return NULL; /* a counter: its own unit, as recorded */
	if (vmax < 2e3)
		return "ns";
	if (vmax < 2e6)
		return *div = 1e3, "µs";
	if (vmax < 2e9)
		return *div = 1e6, "ms";
	return *div = 1e9, "s";
}

/* ---- template and gnuplot ------------------------------------------------------------ */

struct field {
	const char *key;
	const char *val;
};

/* Replace every @KEY@ of plots/<tmpl> by its value. */
static int fill_template(const char *tmpl, const struct field *f, size_t nf, struct rp_buf *out,
			 char *err, size_t errlen)
{
	char path[PATH_MAX], chunk[4096];
	struct rp_buf t = {0};
	FILE *in;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", ct_plots_dir(), tmpl);
	if (!(in = fopen(path, "r"))) {
		snprintf(err, errlen, "gnuplot template %s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		rp_addn(&t, chunk, n);
	fclose(in);
	for (const char *p = rp_str(&t); *p;) {
		const char *at = strchr(p, '@'), *end = at ? strchr(at + 1, '@') : NULL;
		size_t i = nf;
		if (!at) {
			rp_add(out, p);
			break;
		}
		rp_addn(out, p, (size_t)(at - p));
		for (i = 0; end && i < nf; i++)
			if ((size_t)(end - at - 1) == strlen(f[i].key) &&
			    !strncmp(at + 1, f[i].key, strlen(f[i].key)))
				break;
		if (end && i < nf) {
			rp_add(out, f[i].val);
			p = end + 1;
		} else {
			rp_addn(out, at, 1);
			p = at + 1;
		}
	}
	rp_buf_free(&t);
	return 0;
}

/* Text inside a gnuplot double-quoted string; a CSV cell. */
static void gp_text(struct rp_buf *b, const char *s)
{
	for (; *s; s++)
		rp_addn(b, *s == '"' || *s == '`' ? "'" : *s == '\\' ? "/" : s, 1);
}

static void csv_text(struct rp_buf *b, const char *s)
{
	for (; *s; s++)
		rp_addn(b, (*s == ',' || *s == '"' || *s == '\n') ? ";" : s, 1);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * gnuplot SCRIPT in dir, stopped (its process group killed) after the deadline. What it
 * says goes to err on failure. (report_plot.c's run_gnuplot does the same for the report
 * but is static there.)
 */
static int run_gnuplot(const struct hi_model *m, const char *dir, const char *script, char *err,
		       size_t errlen)
{
	int pfd[2], status = 0, timed_out = 0;
	char out[1024];
	size_t outlen = 0;
	double deadline = now_s() + m->plot_timeout;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
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
		if (chdir(dir) != 0)
			_exit(126);
		execl(m->gnuplot, "gnuplot", script, (char *)NULL);
		dprintf(2, "cannot run %s: %s\n", m->gnuplot, strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	close(pfd[1]);
	for (;;) {
		double left = deadline - now_s();
		char buf[512];
		if (left <= 0) {
			timed_out = 1;
			break;
		}
		struct pollfd pf = {pfd[0], POLLIN, 0};
		if (poll(&pf, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		ssize_t n = read(pfd[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		size_t take =
		    (size_t)n < sizeof(out) - 1 - outlen ? (size_t)n : sizeof(out) - 1 - outlen;
		memcpy(out + outlen, buf, take);
		outlen += take;
	}
	close(pfd[0]);
	out[outlen] = '\0';
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
		snprintf(err, errlen, "gnuplot %s took longer than %.0f s and was stopped", script,
			 m->plot_timeout);
		return -1;
	}
	char *line = out + strspn(out, "\n");
	line[strcspn(line, "\n")] = '\0';
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		if (*line)
			fprintf(stderr, "contend: history: gnuplot %s said: %s\n", script, line);
		return 0;
	}
	if (WIFSIGNALED(status))
		snprintf(err, errlen, "gnuplot %s was killed by signal %d", script,
			 WTERMSIG(status));
	else
		snprintf(err, errlen, "gnuplot %s failed (exit %d): %s", script,
			 WEXITSTATUS(status), line);
	return -1;
}

static int write_text(const char *dir, const char *name, const struct rp_buf *b, char *err,
		      size_t errlen)
{
	char *path = rp_fmt("%s/%s", dir, name);
	int rc = ct_write_file_atomic(path, rp_str(b), b->len, err, errlen);
	free(path);
	return rc;
}

static int check_output(const char *dir, const char *base, char *err, size_t errlen)
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

/* ---- one chart -------------------------------------------------------------------------- */

static const char *const colour[] = {"#0072b2", "#e69f00", "#009e73", "#9400d3",
				     "#56b4e9", "#a0522d", "#000000", "#ff69b4",
				     "#808000", "#00ced1", "#708090", "#f0e442"};

/* The change of the benchmark's row in the transition into run u, as "+23.1 %". */
static void change_text(const struct hi_model *m, const struct hi_bench *b, size_t u, char *out,
			size_t n)
{
	snprintf(out, n, "%s", b->mark[u] == HI_FLAGGED ? "regression" : "");
	const struct ct_report *rep = &m->trans[u].rep;
	for (size_t i = 0; i < rep->n; i++)
		if (!strcmp(rep->rows[i].name, b->name) && isfinite(rep->rows[i].change)) {
			snprintf(out, n, "%+.0f%%", rep->rows[i].change);
			return;
		}
}

static int plot_chart(struct hi_model *m, struct hi_chart *c, const char *dir, int *nplots,
		      char *err, size_t errlen)
{
	struct rp_buf csv = {0}, marks = {0}, gp = {0}, title = {0}, note = {0}, settings = {0},
		      mk = {0}, ylabel = {0}, xlabel = {0};
	double vmin = INFINITY, vmax = 0, div = 1;
	int rc = -1, nflag = 0, nimp = 0;
	char name[PATH_MAX], nseries[32], cell[64];
	const struct ct_metric *mt = &m->o.metric;

	for (size_t j = 0; j < c->nb; j++)
		for (size_t u = 0; u < m->nruns; u++) {
			double v = m->benches[c->b[j]].med[u];
			if (!isfinite(v))
				continue;
			if (v > 0 && v < vmin)
				vmin = v;
			if (v > vmax)
				vmax = v;
		}
	if (!(vmax > 0))
		return 0; /* nothing to draw; history.md says so */
	const char *unit = pick_unit(mt, vmax, &div);
	int logy = vmin > 0 && vmax / vmin >= 30;

	/* data */
	rp_addf(&csv, "# %s: %s", c->title, hi_metric_words(mt));
	if (unit)
		rp_addf(&csv, " (%s)", unit);
	rp_add(&csv, "; each run's median over its repetitions; NaN: not in that run\nrun,date");
	for (size_t j = 0; j < c->nb; j++) {
		rp_add(&csv, ",");
		csv_text(&csv, m->benches[c->b[j]].series);
	}
	rp_add(&csv, "\n");
	for (size_t u = 0; u < m->nruns; u++) {
		rp_addf(&csv, "%zu,%s", u + 1, m->runs[u].tic);
		for (size_t j = 0; j < c->nb; j++) {
			const struct hi_bench *b = &m->benches[c->b[j]];
			double v = b->med[u];
			if (!isfinite(v)) {
				rp_add(&csv, ",NaN");
				continue;
			}
			rp_addf(&csv, ",%.6g", v / div);
			if (b->mark[u] != HI_NONE) {
				change_text(m, b, u, cell, sizeof(cell));
				rp_addf(&marks, "%zu,%.6g,%s,%s\n", u + 1, v / div,
					b->mark[u] == HI_FLAGGED ? "flagged" : "improved", cell);
				nflag += b->mark[u] == HI_FLAGGED;
				nimp += b->mark[u] == HI_IMPROVED;
			}
		}
		rp_add(&csv, "\n");
	}
	snprintf(name, sizeof(name), "%s.csv", c->file);
	if (write_text(dir, name, &csv, err, errlen) != 0)
		goto out;
	if (marks.len) {
		struct rp_buf m2 = {0};
		rp_add(&m2, "run,value,kind,change\n");
		rp_add(&m2, rp_str(&marks));
		snprintf(name, sizeof(name), "%s-marks.csv", c->file);
		int w = write_text(dir, name, &m2, err, errlen);
		rp_buf_free(&m2);
		if (w != 0)
			goto out;
		if (nflag)
			rp_addf(
			    &mk,
			    ", \\\n\t'%s' using 1:(strcol(3) eq \"flagged\" ? column(2) : NaN) "
			    "skip 1 with points pt 6 ps 3.4 lw 3 lc rgb \"#d00000\" title "
			    "\"REGRESSION vs the run before it\", \\\n\t'%s' "
			    "using 1:(strcol(3) eq \"flagged\" ? column(2) : NaN):4 skip 1 with "
			    "labels offset 0,1.8 tc rgb \"#d00000\" font \",10\" notitle",
			    name, name);
		if (nimp)
			rp_addf(
			    &mk,
			    ", \\\n\t'%s' using 1:(strcol(3) eq \"improved\" ? column(2) : NaN) "
			    "skip 1 with points pt 8 ps 2.6 lw 2 lc rgb \"#009e73\" title "
			    "\"improved vs the run before it\"",
			    name);
	}

	/* script */
	gp_text(&title, c->title);
	{
		char *sub = rp_fmt("history of %s over %zu runs of %s", hi_metric_words(mt),
				   m->nruns, m->dir);
		rp_add(&title, "\\n");
		gp_text(&title, sub);
		free(sub);
	}
	if (unit)
		rp_addf(&ylabel, "%s (%s), median of the repetitions", hi_metric_words(mt), unit);
	else
		rp_addf(&ylabel, "%s (as recorded), median of the repetitions",
			hi_metric_words(mt));
	rp_add(&xlabel, "run start (UTC), oldest first; runs evenly spaced, not to time scale");
	rp_addf(&note,
		"%s is better. Red circle: contend compare of this run against the one before it "
		"flags a regression (> %g %% worse, Mann-Whitney p < %g). Dashed: no earlier run "
		"to compare with.",
		mt->higher_better ? "higher" : "lower", m->o.threshold, m->o.alpha);
	if (logy)
		rp_addf(&settings, "set logscale y\nset yrange [%.6g:%.6g]\n", vmin / div / 1.6,
			vmax / div * 1.6);
	else
		rp_addf(&settings, "set yrange [0:%.6g]\n", vmax / div * 1.2);
	if (mt->is_rate)
		rp_add(&settings, "set format y \"%.1s %c\"\n");
	if (m->nruns > 8)
		rp_add(&settings, "set xtics rotate by -40\n");
	rp_addf(&settings, "set xrange [0.5:%zu.5]\n", m->nruns);
	for (size_t j = 0; j < c->nb; j++)
		rp_addf(&settings, "set linetype %zu lc rgb \"%s\" dt %zu\n", j + 1,
			colour[j % (sizeof(colour) / sizeof(colour[0]))],
			j / (sizeof(colour) / sizeof(colour[0])) % 5 + 1);
	if (c->nb > 16)
		rp_add(&settings, "set key font \",8\" spacing 0.9\n");
	for (size_t u = 1; u < m->nruns; u++)
		if (!m->trans[u].compared)
			rp_addf(
			    &settings,
			    "set arrow from %zu.5, graph 0 to %zu.5, graph 1 nohead dt 2 lw 1.5 "
			    "lc rgb \"#888888\"\n",
			    u, u);
	snprintf(nseries, sizeof(nseries), "%zu", c->nb);
	snprintf(name, sizeof(name), "%s.csv", c->file);
	struct field f[] = {
	    {"DATA", name},
	    {"NSERIES", nseries},
	    {"TITLE", rp_str(&title)},
	    {"XLABEL", rp_str(&xlabel)},
	    {"YLABEL", rp_str(&ylabel)},
	    {"NOTE", rp_str(&note)},
	    {"SETTINGS", rp_str(&settings)},
	    {"MARKS", rp_str(&mk)},
	    {"OUT", c->file},
	};
	if (fill_template("history.gp", f, sizeof(f) / sizeof(f[0]), &gp, err, errlen) != 0)
		goto out;
	snprintf(name, sizeof(name), "%s.gp", c->file);
	if (write_text(dir, name, &gp, err, errlen) != 0 ||
	    run_gnuplot(m, dir, name, err, errlen) != 0 ||
	    check_output(dir, c->file, err, errlen) != 0)
		goto out;
	(*nplots)++;
	rc = 1;
out:
	rp_buf_free(&csv);
	rp_buf_free(&marks);
	rp_buf_free(&gp);
	rp_buf_free(&title);
	rp_buf_free(&note);
	rp_buf_free(&settings);
	rp_buf_free(&mk);
	rp_buf_free(&ylabel);
	rp_buf_free(&xlabel);
	return rc;
}

/* A file base name no other chart has (and not "history"). */
static char *unique_file(const struct hi_model *m, const char *want)
{
	struct rp_buf b = {0};
	rp_file_token(&b, want);
	if (!b.len)
		rp_add(&b, "chart");
	for (int k = 1;; k++) {
		char *cand = k == 1 ? rp_strdup(rp_str(&b)) : rp_fmt("%s-%d", rp_str(&b), k);
		int clash = !strcmp(cand, "history");
		for (size_t i = 0; i < m->ncharts && !clash; i++)
			clash = m->charts[i].file && !strcmp(m->charts[i].file, cand);
		if (!clash) {
			rp_buf_free(&b);
			return cand;
		}
		free(cand);
	}
}

int hi_plots_write(struct hi_model *m, const char *dir, int *nplots, char *err, size_t errlen)
{
	*nplots = 0;
	for (size_t i = 0; i < m->ncharts; i++) {
		struct hi_chart *c = &m->charts[i];
		c->file = unique_file(m, c->key);
		int rc = plot_chart(m, c, dir, nplots, err, errlen);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			free(c->file);
			c->file = NULL;
		}
	}
	return 0;
}
