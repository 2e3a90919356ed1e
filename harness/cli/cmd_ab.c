/*
 * cmd_ab.c - `contend ab OLD NEW`: its options, then one call (analysis/ab.c: old and new of
 * each benchmark run back to back, a paired verdict) and its exit status.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "ab.h"
#include "cli.h"
#include "compare.h"
#include "resultsio.h"

const char ct_cmd_ab_summary[] =
    "run two builds benchmark by benchmark, old and new back to back, and decide on the pairs";

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: contend ab OLD NEW [--rounds N] [run options] [decision options]\n"
	    "\n"
	    "OLD and NEW are two contend programs (say, built from the base commit and from the\n"
	    "change; OLD may predate the rename of contend_schema 2: its names are read through\n"
	    "the rename map). Each is asked for its benchmarks (`list`); then, round after round,\n"
	    "for each benchmark of the profile (or matching --filter) that both have, `OLD run\n"
	    "--filter '^NAME$' --repetitions 1` and the same of NEW run back to back, seconds\n"
	    "apart, old first in one pair and new first in the next. Each benchmark is decided\n"
	    "on NEW's declared metric (or --metric) from its pairs: the median ratio NEW/OLD\n"
	    "beyond the threshold AND the one-sided Wilcoxon signed-rank test on the log-ratios,\n"
	    "with the false discovery rate over all benchmarks held at alpha (Benjamini-\n"
	    "Hochberg, one family for worse, one for better). Wilcoxon's smallest p is 2^-N, and\n"
	    "BH lets the first of M benchmarks through at p <= alpha / M: by default the rounds\n"
	    "are the fewest N with 2^-N <= alpha / (4 M), so a single changed benchmark survives\n"
	    "the correction with two of its pairs set aside or its closest pair reversed (108\n"
	    "benchmarks of --quick at alpha 0.05: 14 rounds). Pairs the harness marked drift or\n"
	    "disturbed, or whose two halves saw round trips more than 1.5x apart, are set\n"
	    "aside; with the default rounds N, a benchmark left with fewer than N - 2 clean\n"
	    "pairs gets more pairs, until it has them or has run 3 N; one with too few even\n"
	    "then is unreliable, undecided. Cost: 2 x rounds x benchmarks runs of ~0.1 s plus\n"
	    "the min time (up to 3x that on a host that moves its vCPUs); the progress line\n"
	    "says the time left.\n"
	    "\n"
	    "  --rounds N       exactly N pairs per benchmark (default: from the benchmarks and\n"
	    "                   alpha, more where pairs were set aside)\n"
	    "run options, given to both programs' `run`:\n"
	    "  --quick | --full (the profile: which benchmarks, and the min time),\n"
	    "  --filter REGEX (over NEW's names), --placement P, --cpus LIST, --threads LIST,\n"
	    "  --min-time S, --timeout S, and any --benchmark_*=VALUE\n"
	    "decision options, as for contend compare:\n"
	    "  --metric M, --direction lower|higher, --threshold PCT (5), --alpha A (0.05),\n"
	    "  --markdown FILE, --json FILE, --fail-on-inconclusive\n"
	    "  --out DIR        where the runs' results and logs go (default\n"
	    "                   results/<host>/ab-<UTC stamp>-<pid>)\n"
	    "\n"
	    "Exit status: 0 no regression, 1 regression (or a benchmark failing only in NEW),\n"
	    "2 bad input or a run that could not be read.\n");
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
	static const char *const names[] = {"--placement", "--cpus", "--threads", "--timeout",
					    "--min-time"};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		size_t n = strlen(names[i]);
		if (!strncmp(a, names[i], n) && (a[n] == '\0' || a[n] == '='))
			return 1;
	}
	return 0;
}

int ct_cmd_ab(int argc, char **argv)
{
	static const char *const role[2] = {"old", "new"};
	struct ct_ab_opts ab = {.rounds = 0, .profile = 'd'}; /* 0: chosen by ct_ab */
	struct ct_compare_args ca;
	struct ct_report rep = {.test_name = "Wilcoxon signed-rank (paired runs)",
				.sample_word = "pairs"};
	const char *md = NULL, *v;
	char dirbuf[PATH_MAX], err[PATH_MAX + 512];
	int npos = 0;

	ab.run_args = calloc((size_t)argc + 1, sizeof(char *));
	if (!ab.run_args)
		abort();
	ct_compare_args_init(&ca);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			free(ab.run_args);
			return 0;
		} else if ((v = ct_opt_value(argc, argv, &i, "--rounds"))) {
			if (ct_parse_long(v, 1, 1000, &ab.rounds) != 0)
				ct_die("--rounds %s: give a whole number from 1 to 1000", v);
		} else if ((v = ct_opt_value(argc, argv, &i, "--filter"))) {
			ab.filter = v;
		} else if (ct_compare_arg(argc, argv, &i, &ca)) {
			continue;
		} else if ((v = ct_opt_value(argc, argv, &i, "--markdown"))) {
			md = v;
		} else if ((v = ct_opt_value(argc, argv, &i, "--out"))) {
			ab.outdir = v;
		} else if (!strcmp(a, "--quick") || !strcmp(a, "--full")) {
			ab.profile = a[2];
			ab.run_args[ab.nrun++] = argv[i];
		} else if (!strncmp(a, "--benchmark_", 12)) {
			ab.run_args[ab.nrun++] = argv[i];
		} else if (is_run_option(a)) {
			ab.run_args[ab.nrun++] = argv[i];
			if (!strchr(a, '=')) {
				if (i + 1 >= argc)
					ct_die("%s needs a value", a);
				ab.run_args[ab.nrun++] = argv[++i];
			}
		} else if (a[0] == '-' && a[1]) {
			ct_die("ab: unknown option %s (try contend ab --help)", a);
		} else if (npos < 2) {
			ab.prog[npos++] = a;
		} else {
			ct_die("ab: too many arguments (%s); give OLD NEW", a);
		}
	}
	if (npos != 2)
		ct_die("ab: give two contend programs, OLD and NEW (try contend ab --help)");
	for (int s = 0; s < 2; s++) {
		struct stat sb;
		if (stat(ab.prog[s], &sb) != 0)
			ct_die("ab: %s (%s): %s", ab.prog[s], role[s], strerror(errno));
		if (!S_ISREG(sb.st_mode) || access(ab.prog[s], X_OK) != 0)
			ct_die("ab: %s (%s): not an executable program", ab.prog[s], role[s]);
	}
	ct_compare_args_check(&ca, md);
	if (!ab.outdir) {
		default_out_dir(dirbuf, sizeof(dirbuf));
		ab.outdir = dirbuf;
	}
	char probe[PATH_MAX];
	struct stat sb;
	if ((size_t)snprintf(probe, sizeof(probe), "%s/old-list.txt", ab.outdir) >= sizeof(probe))
		ct_die("--out %s: path too long", ab.outdir);
	if (stat(ab.outdir, &sb) == 0 && !S_ISDIR(sb.st_mode))
		ct_die("--out %s: exists and is not a directory", ab.outdir);
	if (ct_check_out_path(probe, 1, err, sizeof(err)) != 0 ||
	    ct_mkdirs_for(probe, err, sizeof(err)) != 0)
		ct_die("%s", err);

	ab.o = ca.o;
	if (!ca.threshold_given) /* pairs seconds apart: no between-run shift to allow */
		ab.o.threshold = CT_THRESHOLD_AB;
	if (!ca.threshold_multi_given)
		ab.o.threshold_multi = 0;
	ct_ab_signals();
	ct_ab(&ab, &rep);
	rep.base_label = ab.prog[0];
	rep.new_label = ab.prog[1];
	int status = ct_report_status(&rep, &ab.o);
	ct_compare_output(&rep, &ab.o, md, ca.json); /* the options it decided with */
	ct_report_free(&rep);
	free(ab.run_args);
	return status;
}
