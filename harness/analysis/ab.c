/*
 * ab.c - see ab.h. A baseline measured an hour ago carries that hour's machine state into a
 * comparison (on a VM the vCPU placement can change every few seconds and move a two-thread
 * result 5x); here old and new of one benchmark run seconds apart, in alternating order
 * (so a bias of the first or second slot falls on both sides), and the verdict is drawn
 * from the per-pair ratios new/old: Wilcoxon signed-rank on their logarithms, with the
 * false discovery rate controlled over every benchmark (decide.c).
 */
#include "ab.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <regex.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "names.h"
#include "resultsio.h"
#include "stats.h"
#include "util.h"

extern char **environ;

/* Default rounds only: a benchmark with too few clean pairs runs up to this many times the
 * rounds (ct_ab). */
#define AB_EXTEND 3

static volatile sig_atomic_t got_signal;
static volatile pid_t running_child;

static void on_signal(int sig)
{
	got_signal = sig;
	if (running_child > 0)
		kill(-running_child, sig); /* its process group: the run and what it started */
}

void ct_ab_signals(void)
{
	struct sigaction sa = {.sa_handler = on_signal};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The last non-empty line of a file, for a one-line error. */
static void log_tail(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	char line[512];

	snprintf(out, len, "(no output)");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\n");
		line[n] = '\0';
		if (n)
			snprintf(out, len, "%s", line);
	}
	fclose(f);
}

/* Run argv with stdout (and stderr, unless err_too is 0) into log; its exit status. */
static int spawn_wait(const char *role, char **argv, const char *log, int err_too)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none;
	pid_t pid;
	int status, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (err_too)
		posix_spawn_file_actions_adddup2(&fa, 1, 2);
	else
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addclose(&fa, 0);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&attr, &none);
	/* its own process group: a terminal's ^C reaches only us, and we pass it on once */
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
	rc = posix_spawn(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (rc != 0)
		ct_die("ab: cannot start %s (%s): %s", argv[0], role, strerror(rc));
	running_child = pid;
	if (got_signal)
		kill(-pid, got_signal);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			ct_die("ab: waitpid: %s", strerror(errno));
	running_child = 0;
	if (got_signal)
		ct_die("ab: interrupted (signal %d) while running %s; the runs so far are in %s",
		       (int)got_signal, role, log);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* ---- the benchmarks of each side --------------------------------------------------------- */

struct bench {
	char *name;    /* in the new grammar */
	char *own[2];  /* as each program names it (NULL: it has none) */
	unsigned prof; /* 1 quick, 2 default (NEW's) */
};

static struct bench *find_bench(struct bench *b, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(b[i].name, name))
			return &b[i];
	return NULL;
}

/* Ask prog for its benchmarks (`list`: name, then a tab and the profile marks) into b. */
static void list_side(const struct ct_ab_opts *a, int side, struct bench **b, size_t *n,
		      size_t *cap)
{
	static const char *const role[2] = {"old", "new"};
	char log[PATH_MAX], line[4096], tail[512];
	char *argv[] = {(char *)a->prog[side], "list", NULL};

	snprintf(log, sizeof(log), "%s/%s-list.txt", a->outdir, role[side]);
	int st = spawn_wait(role[side], argv, log, 0);
	if (st != 0) {
		log_tail(log, tail, sizeof(tail));
		ct_die("ab: `%s list` (%s) failed with status %d: %s", a->prog[side], role[side],
		       st, tail);
	}
	FILE *f = fopen(log, "r");
	if (!f)
		ct_die("ab: %s: %s", log, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		char *up = ct_name_upgrade_v1(line);
		const char *nm = up ? up : line;
		struct bench *x = find_bench(*b, *n, nm);
		if (!x) {
			if (*n == *cap) {
				*cap = *cap ? 2 * *cap : 256;
				*b = ct_xrealloc(*b, *cap * sizeof(**b));
			}
			x = &(*b)[(*n)++];
			memset(x, 0, sizeof(*x));
			x->name = ct_xstrdup(nm);
		}
		x->own[side] = ct_xstrdup(line);
		if (side == 1)
			x->prof =
			    (strstr(tab + 1, "[q]") == tab + 1 ? 1u : 0u) |
			    (strncmp(tab + 1, "[d]", 3) == 0 || strncmp(tab + 1, "[q][d]", 6) == 0
				 ? 2u
				 : 0u);
		free(up);
	}
	fclose(f);
}

/* "^NAME$" with the regular expression's own characters escaped. */
static char *exact_filter(const char *name)
{
	size_t n = strlen(name);
	char *out = ct_xrealloc(NULL, 2 * n + 3), *p = out;

	*p++ = '^';
	for (const char *s = name; *s; s++) {
		if (strchr(".[]()*+?{}|^$\\", *s))
			*p++ = '\\';
		*p++ = *s;
	}
	*p++ = '$';
	*p = '\0';
	return out;
}

/* ---- one run of one benchmark ------------------------------------------------------------ */

struct sample {
	double v, rtt;
	unsigned mark;
	struct ct_metric m;
	int windowed, found;
};

/* Run one benchmark once on one side; the results file's path into path. */
static void run_one(const struct ct_ab_opts *a, int side, const struct bench *b, size_t j, size_t k,
		    char *path, size_t pathlen)
{
	static const char *const role[2] = {"old", "new"};
	char log[PATH_MAX], tail[512];
	char **argv = ct_xrealloc(NULL, ((size_t)a->nrun + 10) * sizeof(char *));
	char *filter = exact_filter(b->own[side]);
	int n = 0;

	snprintf(path, pathlen, "%s/%s-%zu-%zu.json", a->outdir, role[side], j + 1, k + 1);
	snprintf(log, sizeof(log), "%s/%s-%zu-%zu.log", a->outdir, role[side], j + 1, k + 1);
	argv[n++] = (char *)a->prog[side];
	argv[n++] = "run";
	for (int i = 0; i < a->nrun; i++)
		argv[n++] = a->run_args[i];
	argv[n++] = "--filter";
	argv[n++] = filter;
	argv[n++] = "--repetitions";
	argv[n++] = "1";
	argv[n++] = "--out";
	argv[n++] = path;
	argv[n] = NULL;
	unlink(path); /* a stale file from an earlier ab in this directory must not be read */
	int st = spawn_wait(role[side], argv, log, 1);
	free(argv);
	free(filter);
	if (st != 0 && st != 1) { /* 1: the benchmark failed, and its entry says so */
		log_tail(log, tail, sizeof(tail));
		if (st > 128)
			ct_die("ab: %s run of %s (%s) was killed by signal %d: %s (see %s)",
			       role[side], b->name, a->prog[side], st - 128, tail, log);
		ct_die("ab: %s run of %s (%s) ended with status %d%s: %s (see %s)", role[side],
		       b->name, a->prog[side], st, st == 2 ? " (refused its arguments)" : "", tail,
		       log);
	}
}

/* The first OLD run's context: every run must be comparable with it. */
static json_t *first_ctx;

/* The benchmark's value in a results file, under metric want. */
static void read_one(const char *path, const char *name, const struct ct_metric *want,
		     struct sample *out)
{
	char err[PATH_MAX + 512], why[400], note[600] = "";
	json_t *root = ct_results_load(path, err, sizeof(err));
	struct ct_runset rs;

	if (!root)
		ct_die("ab: %s", err);
	json_t *ctx = json_object_get(root, "context");
	if (!first_ctx)
		first_ctx = json_deep_copy(ctx);
	/* same profile, placement and machine (compiler etc. differ between builds by design) */
	else if (ct_context_check(first_ctx, ctx, why, sizeof(why), note, sizeof(note)) != 0)
		ct_die("ab: %s against the first run: %s", path, why);
	if (ct_runset_collect(root, path, want, &rs, err, sizeof(err)) != 0)
		ct_die("ab: %s", err);
	const struct ct_series *s = ct_runset_find(&rs, name);
	memset(out, 0, sizeof(*out));
	out->v = out->rtt = NAN;
	out->m = *want;
	if (s) {
		out->found = 1;
		out->m = s->m;
		out->windowed = s->windowed;
		if (ct_series_multi_pu(s))
			out->rtt = s->rtt;
		out->mark = (s->failed ? CT_MARK_FAILED : 0u) | (s->drift ? CT_MARK_DRIFT : 0u) |
			    (s->disturbed ? CT_MARK_DISTURBED : 0u);
		out->v = s->n ? ct_median(s->v, s->n) : NAN;
	}
	ct_runset_free(&rs);
	json_decref(root);
}

/* ---- the whole comparison ------------------------------------------------------------------ */

void ct_ab(const struct ct_ab_opts *a, struct ct_report *rep)
{
	struct bench *b = NULL;
	size_t nb = 0, cap = 0, nsel = 0;
	regex_t re;

	if (a->filter && regcomp(&re, a->filter, REG_EXTENDED | REG_NOSUB) != 0)
		ct_die("--filter %s: not a regular expression", a->filter);
	list_side(a, 1, &b, &nb, &cap);
	list_side(a, 0, &b, &nb, &cap);
	size_t *sel = ct_xrealloc(NULL, (nb ? nb : 1) * sizeof(size_t));
	for (size_t i = 0; i < nb; i++) {
		int in = a->filter	     ? regexec(&re, b[i].name, 0, NULL, 0) == 0
			 : a->profile == 'f' ? 1
			 : a->profile == 'q' ? (b[i].prof & 1) != 0
					     : (b[i].prof & 2) != 0;
		if (!in)
			continue;
		if (b[i].own[0] && b[i].own[1]) {
			sel[nsel++] = i;
		} else {
			struct ct_row *r = ct_report_add(rep);
			memset(r, 0, sizeof(*r));
			r->name = ct_xstrdup(b[i].name);
			r->base = r->new = r->change = r->p = r->q = r->ci_lo = r->ci_hi = NAN;
			r->verdict = b[i].own[0] ? CT_V_ONLY_BASE : CT_V_ONLY_NEW;
		}
	}
	if (a->filter)
		regfree(&re);
	if (!nsel)
		ct_die("ab: OLD and NEW have no benchmark in common%s",
		       a->filter ? " that matches the filter" : " in the profile");

	/* Wilcoxon's smallest one-sided p over N pairs is 2^-N; BH passes the first of nsel
	 * rows at alpha / nsel: a factor 4 to spare (two pairs set aside, or the closest
	 * pair reversed) */
	size_t R = (size_t)a->rounds;
	if (!R)
		while (R < 5 || ldexp(1.0, -(int)R) > a->o.alpha / (4.0 * (double)nsel))
			R++;
	/* With the rounds chosen here, a benchmark left with fewer than R - 2 clean pairs (the
	 * rest marked drift or disturbed, or its halves at round trips CT_STATE_RATIO apart)
	 * gets more pairs, up to AB_EXTEND x R in all: on a host that moves the vCPUs every
	 * few seconds half the pairs can be set aside, and R - 2 clean ones are what the
	 * choice of R counts on. --rounds N runs exactly N. */
	size_t Rmax = a->rounds ? R : AB_EXTEND * R;
	double *val[2];
	unsigned *mark[2];
	struct ct_metric *metric = ct_xrealloc(NULL, nsel * sizeof(*metric));
	int *nomean = ct_xrealloc(NULL, nsel * sizeof(int));
	size_t *nr = ct_xrealloc(NULL, nsel * sizeof(size_t));	  /* pairs run */
	size_t *clean = ct_xrealloc(NULL, nsel * sizeof(size_t)); /* of them clean */
	int *failed = ct_xrealloc(NULL, nsel * sizeof(int));
	for (int s = 0; s < 2; s++) {
		val[s] = ct_xrealloc(NULL, nsel * Rmax * sizeof(double));
		mark[s] = ct_xrealloc(NULL, nsel * Rmax * sizeof(unsigned));
	}
	for (size_t j = 0; j < nsel; j++)
		nr[j] = clean[j] = 0, failed[j] = 0;
	double t0 = now_s();
	size_t done = 0, total = nsel * R, extended = 0;
	for (size_t k = 0; k < Rmax; k++) {
		if (k == R) { /* the extra pairs: count them now, for the progress line */
			for (size_t j = 0; j < nsel; j++)
				if (!failed[j] && clean[j] + 2 < R) {
					total += Rmax - R;
					extended++;
				}
			if (!extended)
				break;
		}
		for (size_t j = 0; j < nsel; j++) {
			if (k >= R && (failed[j] || clean[j] + 2 >= R))
				continue;
			const struct bench *x = &b[sel[j]];
			struct sample sm[2];
			char path[2][PATH_MAX];
			/* new first where (k + j) is odd: each slot falls to both sides equally */
			int first = (k + j) % 2 ? 1 : 0;
			run_one(a, first, x, j, k, path[first], sizeof(path[first]));
			run_one(a, 1 - first, x, j, k, path[1 - first], sizeof(path[1 - first]));
			/* NEW's declared metric (or the given one) decides both sides */
			read_one(path[1], x->name, &a->o.metric, &sm[1]);
			struct ct_metric m = sm[1].m;
			m.declared = 0;
			read_one(path[0], x->name, &m, &sm[0]);
			if (k == 0) {
				metric[j] = m;
				nomean[j] = !a->o.metric.declared && m.is_time && sm[1].windowed;
			}
			for (int s = 0; s < 2; s++) {
				val[s][j * Rmax + k] = sm[s].found ? sm[s].v : NAN;
				mark[s][j * Rmax + k] = sm[s].mark;
			}
			nr[j] = k + 1;
			/* a pair whose two halves saw different vCPU placements is no pair */
			double x0 = sm[0].rtt, x1 = sm[1].rtt;
			if (isfinite(x0) && isfinite(x1) &&
			    (x0 > x1 ? x0 / x1 : x1 / x0) > CT_STATE_RATIO)
				mark[1][j * Rmax + k] |= CT_MARK_STATE;
			unsigned both = mark[0][j * Rmax + k] | mark[1][j * Rmax + k];
			if (!sm[0].found || !sm[1].found || (both & CT_MARK_FAILED))
				failed[j] = 1;
			else if (!(both & (CT_MARK_DRIFT | CT_MARK_DISTURBED | CT_MARK_STATE)))
				clean[j]++;
			done++;
			double el = now_s() - t0;
			fprintf(stderr,
				"ab: [%zu/%zu] round %zu %s: old %.4g new %.4g %s (%.0f s, ~%.0f s "
				"left)\n",
				done, total, k + 1, x->name, sm[0].v, sm[1].v, metric[j].name, el,
				el / (double)done * (double)(total - done));
			/* an extended benchmark with enough clean pairs stops: its share of the
			 * estimate goes */
			if (k >= R && clean[j] + 2 >= R)
				total -= Rmax - k - 1;
		}
	}
	for (size_t j = 0; j < nsel; j++) {
		double *o = &val[0][j * Rmax], *n = &val[1][j * Rmax];
		unsigned *om = &mark[0][j * Rmax], *nm = &mark[1][j * Rmax];
		struct ct_row *r = ct_report_add(rep);
		ct_decide_paired(b[sel[j]].name, o, n, om, nm, nr[j], &metric[j], &a->o, r);
		if (nomean[j]) {
			r->verdict = CT_V_NOT_MEANINGFUL;
			r->tested = 0;
			snprintf(
			    r->note, sizeof(r->note),
			    "a windowed benchmark's time per iteration is window / (n x threads)");
		}
	}
	ct_report_finalize(rep, &a->o);
	json_decref(first_ctx);
	first_ctx = NULL;
	if (extended)
		snprintf(rep->notes, sizeof(rep->notes),
			 "%ld pairs per benchmark, up to %ld for the %zu with fewer than %ld clean "
			 "pairs, old and new of a pair back to back (alternating first), %zu runs "
			 "in %.0f s; runs in %s",
			 (long)R, (long)Rmax, extended, (long)R - 2, 2 * done, now_s() - t0,
			 a->outdir);
	else
		snprintf(rep->notes, sizeof(rep->notes),
			 "%ld pairs per benchmark, old and new of a pair back to back (alternating "
			 "first), %zu runs in %.0f s; runs in %s",
			 (long)R, 2 * done, now_s() - t0, a->outdir);
	for (size_t i = 0; i < nb; i++) {
		free(b[i].name);
		free(b[i].own[0]);
		free(b[i].own[1]);
	}
	free(b);
	free(sel);
	free(metric);
	free(nomean);
	free(nr);
	free(clean);
	free(failed);
	for (int s = 0; s < 2; s++) {
		free(val[s]);
		free(mark[s]);
	}
}
