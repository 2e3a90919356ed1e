/*
 * cmd_ab.c - `contend ab OLD NEW`: run two builds interleaved in one session and decide on
 * the pairs.
 *
 * A baseline measured an hour ago carries that hour's machine state into a comparison (on
 * a VM the vCPU placement can change every few seconds and move a two-thread result 5x).
 * Here each round runs OLD and then NEW on the same benchmarks and PUs, a few seconds
 * apart, so both see the same state; the verdict is drawn from the per-round ratios
 * NEW/OLD: the Wilcoxon signed-rank test on their logarithms (one-sided) and the median
 * ratio beyond the threshold. Output and exit status as `contend compare`.
 *
 * Each run is `PROG run [run options] --repetitions R --out DIR/<old|new>-<k>.json`, its
 * output in DIR/<old|new>-<k>.log; the files stay for inspection.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "compare.h"
#include "resultsio.h"
#include "stats.h"

extern char **environ;

const char ct_cmd_ab_summary[] =
    "run two builds interleaved (old, new, old, new ...) and decide on the pairs";

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: contend ab OLD NEW [--rounds N] [run options] [decision options]\n"
	    "\n"
	    "OLD and NEW are two contend programs (say, built from the base commit and from the\n"
	    "change). Each round runs `OLD run ...` and `NEW run ...` over the same benchmarks\n"
	    "and PUs, old first in odd rounds and new first in even ones (so neither side always\n"
	    "gets the same slot); the verdict comes from the per-round ratios NEW/OLD: a\n"
	    "benchmark regressed when the median ratio is worse than the threshold AND the\n"
	    "one-sided Wilcoxon signed-rank test on the pairs gives p < alpha (5 rounds are the\n"
	    "fewest that can reach 0.05; with fewer it decides on the threshold alone and says\n"
	    "so). Rounds the harness marked drift or disturbed are set aside; a benchmark with\n"
	    "too few unmarked rounds left for the test is shown as unreliable, undecided.\n"
	    "\n"
	    "  --rounds N       rounds (default 5)\n"
	    "run options, given to both programs' `run`:\n"
	    "  --quick | --full, --filter REGEX, --placement P, --cpus LIST, --threads LIST,\n"
	    "  --min-time S, --timeout S, --repetitions N (per round, default 1; the round's\n"
	    "  value is their median), and any --benchmark_*=VALUE\n"
	    "decision options, as for contend compare:\n"
	    "  --metric M, --direction lower|higher, --threshold PCT (5), --alpha A (0.05),\n"
	    "  --markdown FILE\n"
	    "  --out DIR        where the round results and logs go (default\n"
	    "                   results/<host>/ab-<UTC stamp>-<pid>)\n"
	    "\n"
	    "Exit status: 0 no regression, 1 regression (or a benchmark failing only in NEW),\n"
	    "2 bad input or a run that could not be read.\n");
}

static volatile sig_atomic_t got_signal;
static volatile pid_t running_child;

static void on_signal(int sig)
{
	got_signal = sig;
	if (running_child > 0)
		kill(-running_child, sig); /* its process group: the run and what it started */
}

/* The last non-empty line of a log, for a one-line error. */
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

/* snprintf into a path buffer; a path too long is bad input */
__attribute__((format(printf, 3, 4))) static void path_fmt(char *out, size_t len, const char *fmt,
							   ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	/* va_start is above: the analyzer loses it when it inlines this helper */
	n = vsnprintf(out, len, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
	va_end(ap);
	if (n < 0 || (size_t)n >= len)
		ct_die("ab: path too long: %s...", out);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run `prog run <args> --repetitions R --out out`, output to log; dies on failure. */
static void run_one(const char *role, const char *prog, char **run_args, int nrun, const char *reps,
		    const char *out, const char *log)
{
	char **argv = calloc((size_t)nrun + 8, sizeof(char *));
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none;
	pid_t pid;
	int k = 0, status, rc;
	char tail[512];

	if (!argv)
		abort();
	argv[k++] = (char *)prog;
	argv[k++] = "run";
	for (int i = 0; i < nrun; i++)
		argv[k++] = run_args[i];
	argv[k++] = "--repetitions";
	argv[k++] = (char *)reps;
	argv[k++] = "--out";
	argv[k++] = (char *)out;
	argv[k] = NULL;

	unlink(out); /* a stale file from an earlier ab in this directory must not be read */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	posix_spawn_file_actions_addclose(&fa, 0);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&attr, &none);
	/* its own process group: a terminal's ^C reaches only us, and we pass it on once */
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
	rc = posix_spawn(&pid, prog, &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	free(argv);
	if (rc != 0)
		ct_die("ab: cannot start %s (%s): %s", prog, role, strerror(rc));
	running_child = pid;
	if (got_signal)
		kill(-pid, got_signal);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			ct_die("ab: waitpid: %s", strerror(errno));
	running_child = 0;
	if (got_signal)
		ct_die("ab: interrupted (signal %d) while running %s; round results so far are "
		       "next to %s",
		       (int)got_signal, role, out);
	log_tail(log, tail, sizeof(tail));
	if (WIFSIGNALED(status))
		ct_die("ab: %s run (%s) was killed by signal %d: %s (see %s)", role, prog,
		       WTERMSIG(status), tail, log);
	if (WEXITSTATUS(status) == 130)
		ct_die("ab: %s run (%s) was interrupted: %s (see %s)", role, prog, tail, log);
	if (WEXITSTATUS(status) == 2)
		ct_die("ab: %s run (%s) refused its arguments: %s (see %s)", role, prog, tail, log);
	/* 0, or a run in which some benchmarks failed: their entries say so */
}

struct round_set {
	struct ct_runset rs;
	json_t *root;
};

static void load_round(const char *path, const char *log, const struct ct_metric *m,
		       struct round_set *r)
{
	char err[PATH_MAX + 512], tail[512];

	r->root = ct_results_load(path, err, sizeof(err));
	if (!r->root) {
		log_tail(log, tail, sizeof(tail));
		ct_die("ab: %s (its run said: %s)", err, tail);
	}
	if (ct_runset_collect(r->root, path, m, &r->rs, err, sizeof(err)) != 0)
		ct_die("ab: %s", err);
}

/*
 * The value of one benchmark in one round (the median of its repetitions), its marks, and
 * its round trip (NaN unless it ran several threads).
 */
static double round_value(const struct ct_runset *rs, const char *name, unsigned *marks,
			  double *rtt)
{
	const struct ct_series *s = ct_runset_find(rs, name);

	*marks = 0;
	*rtt = NAN;
	if (!s)
		return NAN;
	if (ct_series_multi_pu(s))
		*rtt = s->rtt;
	if (s->failed)
		*marks |= CT_MARK_FAILED;
	if (s->drift)
		*marks |= CT_MARK_DRIFT;
	if (s->disturbed)
		*marks |= CT_MARK_DISTURBED;
	return s->n ? ct_median(s->v, s->n) : NAN;
}

static void default_out_dir(char *out, size_t len)
{
	char host[256] = "localhost", stamp[64];
	struct timeval tv;
	struct tm tm;

	gethostname(host, sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	snprintf(out, len, "results/%s/ab-%s.%03dZ-%d", host, stamp, (int)(tv.tv_usec / 1000),
		 (int)getpid());
}

static int is_run_option(const char *a)
{
	static const char *const names[] = {"--filter",	 "--placement", "--cpus",
					    "--threads", "--timeout",	"--min-time"};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		size_t n = strlen(names[i]);
		if (!strncmp(a, names[i], n) && (a[n] == '\0' || a[n] == '='))
			return 1;
	}
	return 0;
}

int ct_cmd_ab(int argc, char **argv)
{
	const char *prog[2] = {NULL, NULL}, *md = NULL;
	const char *outdir = NULL, *reps = "1", *v;
	static const char *const role[2] = {"old", "new"};
	char **run_args = calloc((size_t)argc + 1, sizeof(char *));
	int nrun = 0, npos = 0, i, status;
	long rounds = 5, nreps;
	struct ct_compare_args ca;
	struct ct_report rep = {.test_name = "Wilcoxon signed-rank (paired rounds)",
				.sample_word = "rounds"};
	char err[PATH_MAX + 512], dirbuf[PATH_MAX];

	if (!run_args)
		abort();
	ct_compare_args_init(&ca);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			free(run_args);
			return 0;
		} else if ((v = ct_opt_value(argc, argv, &i, "--rounds"))) {
			if (ct_parse_long(v, 1, 1000, &rounds) != 0)
				ct_die("--rounds %s: give a whole number from 1 to 1000", v);
		} else if ((v = ct_opt_value(argc, argv, &i, "--repetitions"))) {
			if (ct_parse_long(v, 1, 1000, &nreps) != 0)
				ct_die("--repetitions %s: give a whole number from 1 to 1000", v);
			reps = v;
		} else if (ct_compare_arg(argc, argv, &i, &ca)) {
			continue;
		} else if ((v = ct_opt_value(argc, argv, &i, "--markdown"))) {
			md = v;
		} else if ((v = ct_opt_value(argc, argv, &i, "--out"))) {
			outdir = v;
		} else if (!strcmp(a, "--quick") || !strcmp(a, "--full") ||
			   !strncmp(a, "--benchmark_", 12)) {
			run_args[nrun++] = argv[i];
		} else if (is_run_option(a)) {
			run_args[nrun++] = argv[i];
			if (!strchr(a, '=')) {
				if (i + 1 >= argc)
					ct_die("%s needs a value", a);
				run_args[nrun++] = argv[++i];
			}
		} else if (a[0] == '-' && a[1]) {
			ct_die("ab: unknown option %s (try contend ab --help)", a);
		} else if (npos < 2) {
			prog[npos++] = a;
		} else {
			ct_die("ab: too many arguments (%s); give OLD NEW", a);
		}
	}
	if (npos != 2)
		ct_die("ab: give two contend programs, OLD and NEW (try contend ab --help)");
	for (int s = 0; s < 2; s++) {
		struct stat sb;
		if (stat(prog[s], &sb) != 0)
			ct_die("ab: %s (%s): %s", prog[s], role[s], strerror(errno));
		if (!S_ISREG(sb.st_mode) || access(prog[s], X_OK) != 0)
			ct_die("ab: %s (%s): not an executable program", prog[s], role[s]);
	}
	ct_compare_args_check(&ca, md);
	if (!outdir) {
		default_out_dir(dirbuf, sizeof(dirbuf));
		outdir = dirbuf;
	}
	{
		char probe[PATH_MAX];
		struct stat sb;
		path_fmt(probe, sizeof(probe), "%s/old-1.json", outdir);
		if (stat(outdir, &sb) == 0 && !S_ISDIR(sb.st_mode))
			ct_die("--out %s: exists and is not a directory", outdir);
		if (ct_check_out_path(probe, 1, err, sizeof(err)) != 0 ||
		    ct_mkdirs_for(probe, err, sizeof(err)) != 0)
			ct_die("%s", err);
	}

	struct sigaction sa = {.sa_handler = on_signal}, old_int, old_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	/* old, new, old, new ... */
	struct round_set *rs[2];
	rs[0] = calloc((size_t)rounds, sizeof(struct round_set));
	rs[1] = calloc((size_t)rounds, sizeof(struct round_set));
	if (!rs[0] || !rs[1])
		abort();
	for (long k = 0; k < rounds; k++) {
		double took[2];
		char why[400], note[600]; /* compiler etc. differ between builds by design */
		/* ABBA: old first in even rounds, new first in odd ones, so a bias of the first
		 * or second slot of a round (the machine settling, a periodic neighbour) falls
		 * on both sides equally instead of looking like a change. */
		for (int i = 0; i < 2; i++) {
			int s = k % 2 == 0 ? i : 1 - i;
			char out[PATH_MAX], log[PATH_MAX];
			double t0 = now_s();
			path_fmt(out, sizeof(out), "%s/%s-%ld.json", outdir, role[s], k + 1);
			path_fmt(log, sizeof(log), "%s/%s-%ld.log", outdir, role[s], k + 1);
			run_one(role[s], prog[s], run_args, nrun, reps, out, log);
			load_round(out, log, &ca.o.metric, &rs[s][k]);
			took[s] = now_s() - t0;
			/* every run must be comparable with old's first: same profile, placement */
			if (ct_context_check(json_object_get(rs[0][0].root, "context"),
					     json_object_get(rs[s][k].root, "context"), why,
					     sizeof(why), note, sizeof(note)) != 0)
				ct_die("ab: %s round %ld against old round 1: %s", role[s], k + 1,
				       why);
		}
		fprintf(stderr, "ab: round %ld/%ld: old %.1f s, new %.1f s\n", k + 1, rounds,
			took[0], took[1]);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);

	/* Benchmarks in run order: new's, then those only old has. */
	size_t nnames = 0, cap = 0;
	const char **names = NULL;
	for (int s = 1; s >= 0; s--)
		for (long k = 0; k < rounds; k++)
			for (size_t j = 0; j < rs[s][k].rs.n; j++) {
				const char *nm = rs[s][k].rs.s[j].name;
				size_t q;
				for (q = 0; q < nnames && strcmp(names[q], nm) != 0; q++)
					;
				if (q < nnames)
					continue;
				if (nnames == cap) {
					cap = cap ? 2 * cap : 32;
					names = realloc(names, cap * sizeof(*names));
					if (!names)
						abort();
				}
				names[nnames++] = nm;
			}
	if (!nnames)
		ct_die("ab: the runs reported no benchmarks (does the filter match any? see %s)",
		       outdir);

	double *val[2], *rtt[2];
	unsigned *mark[2];
	size_t common = 0;
	for (int s = 0; s < 2; s++) {
		val[s] = malloc((size_t)rounds * sizeof(double));
		rtt[s] = malloc((size_t)rounds * sizeof(double));
		mark[s] = malloc((size_t)rounds * sizeof(unsigned));
		if (!val[s] || !rtt[s] || !mark[s])
			abort();
	}
	for (size_t j = 0; j < nnames; j++) {
		int seen[2] = {0, 0};
		for (int s = 0; s < 2; s++)
			for (long k = 0; k < rounds; k++) {
				val[s][k] =
				    round_value(&rs[s][k].rs, names[j], &mark[s][k], &rtt[s][k]);
				seen[s] |= ct_runset_find(&rs[s][k].rs, names[j]) != NULL;
			}
		/* a pair whose two halves saw different vCPU placements is no pair */
		for (long k = 0; k < rounds; k++) {
			double a = rtt[0][k], b = rtt[1][k];
			if (isfinite(a) && isfinite(b) && (a > b ? a / b : b / a) > CT_STATE_RATIO)
				mark[1][k] |= CT_MARK_STATE;
		}
		struct ct_row *r = ct_report_add(&rep);
		if (!seen[0] || !seen[1]) {
			memset(r, 0, sizeof(*r));
			r->name = strdup(names[j]);
			if (!r->name)
				abort();
			r->base = r->new = r->change = r->p = NAN;
			r->verdict = seen[0] ? CT_V_ONLY_BASE : CT_V_ONLY_NEW;
			continue;
		}
		common++;
		ct_decide_paired(names[j], val[0], val[1], mark[0], mark[1], (size_t)rounds, &ca.o,
				 r);
	}
	if (!common)
		ct_die("ab: OLD and NEW ran no benchmark in common (see %s)", outdir);

	rep.base_label = prog[0];
	rep.new_label = prog[1];
	if (snprintf(rep.notes, sizeof(rep.notes),
		     "%ld rounds (old and new alternating first), %s repetition%s "
		     "each; runs in %s",
		     rounds, reps, strcmp(reps, "1") ? "s" : "", outdir) >= (int)sizeof(rep.notes))
		snprintf(rep.notes, sizeof(rep.notes), "%ld rounds (old and new alternating first)",
			 rounds);
	status = ct_report_status(&rep);
	ct_compare_output(&rep, &ca.o, md);

	ct_report_free(&rep);
	for (int s = 0; s < 2; s++) {
		for (long k = 0; k < rounds; k++) {
			ct_runset_free(&rs[s][k].rs);
			json_decref(rs[s][k].root);
		}
		free(rs[s]);
		free(val[s]);
		free(rtt[s]);
		free(mark[s]);
	}
	free(names);
	free(run_args);
	return status;
}
