/*
 * cmd_history.c - `contend history DIR`: its options, then one call (analysis/history.c:
 * each benchmark's median over the runs of one host, in time order, the runs `contend
 * compare` flags against the run before marked) and its exit status.
 */
#define _GNU_SOURCE /* timegm, realpath */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "compare.h"
#include "history.h"
#include "report.h"
#include "resultsio.h"
#include "stats.h"

const char ct_cmd_history_summary[] =
    "each benchmark's median over a host's runs, regressions marked: contend history DIR";

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: contend history DIR [--out OUT] [--metric M] [--direction lower|higher]\n"
	    "                           [--threshold PCT] [--alpha A] [--plot-timeout SECS]\n"
	    "\n"
	    "DIR is one host's results directory (results/<host>/): a directory per run, each\n"
	    "holding a results.json. Draws each benchmark's median over the runs in time order\n"
	    "(context \"date\", else the stamp in the run directory's name), and marks the runs\n"
	    "that `contend compare PREVIOUS RUN` flags: a REGRESSION (or a benchmark that now\n"
	    "fails) against the run before. Improvements are marked too, differently. Pairs\n"
	    "compare refuses (another profile, placement or machine) are shown as not compared.\n"
	    "\n"
	    "Writes OUT/history.md (the runs, the flagged transitions, each chart and its\n"
	    "figures) and, per workload and thread count (as `contend report` groups them), a\n"
	    "line per strategy: NAME.csv, NAME.gp (`gnuplot NAME.gp` in OUT redraws it),\n"
	    "NAME.png and NAME.svg. Prints the path of history.md. Needs gnuplot.\n"
	    "Run directories that cannot be read are skipped with a warning each.\n"
	    "\n"
	    "  --out OUT          where it goes (default DIR/history); a previous history there\n"
	    "                     is replaced whole, any other non-empty directory is refused\n"
	    "  --metric M         real_time (default), cpu_time, items_per_second, a counter\n"
	    "  --direction D      lower|higher is better, for a counter the name does not tell\n"
	    "  --threshold PCT    compare's threshold (default 5)\n"
	    "  --alpha A          compare's significance level (default 0.05)\n"
	    "  --plot-timeout S   the longest one gnuplot call may take (default 60)\n"
	    "\n"
	    "Exit status: 0 written (whether or not anything was flagged), 2 bad input.\n");
}

int ct_cmd_history(int argc, char **argv)
{
	static struct hi_model m; /* static: still reachable when ct_die() exits */
	const char *dir = NULL, *out_opt = NULL, *v;
	struct ct_compare_args ca;
	char tmpl[PATH_MAX];
	struct stat sb;

	ct_compare_args_init(&ca);
	m.plot_timeout = 60;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if ((v = ct_opt_value(argc, argv, &i, "--out"))) {
			if (!*v)
				ct_die("--out: empty path");
			out_opt = v;
		} else if (ct_compare_arg(argc, argv, &i, &ca)) {
			continue;
		} else if ((v = ct_opt_value(argc, argv, &i, "--plot-timeout"))) {
			if (ct_parse_double(v, 0.1, 3600, &m.plot_timeout) != 0)
				ct_die("--plot-timeout %s: not a number of seconds (0.1 to 3600)",
				       v);
		} else if (a[0] == '-' && a[1]) {
			ct_die("history: unknown option %s (try contend history --help)", a);
		} else if (!dir) {
			dir = a;
		} else {
			ct_die("history: too many arguments (%s); give one results directory", a);
		}
	}
	if (!dir)
		ct_die("history: give a host's results directory, e.g. results/<host>/ (try "
		       "contend history --help)");
	if (stat(dir, &sb) != 0)
		ct_die("history: %s: %s", dir, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		ct_die("history: %s: not a directory (give results/<host>/, holding a directory "
		       "per run)",
		       dir);
	ct_compare_args_check(&ca, NULL);
	m.o = ca.o;
	if (!(m.gnuplot = rp_find_gnuplot()))
		ct_die("history: gnuplot not found on PATH; history draws its plots with it: "
		       "apt-get install gnuplot-nox");
	snprintf(tmpl, sizeof(tmpl), "%s/history.gp", ct_plots_dir());
	if (stat(tmpl, &sb) != 0 || !S_ISREG(sb.st_mode))
		ct_die("history: gnuplot template %s missing: history needs plots/history.gp "
		       "next to the program or in ../share/contend/plots",
		       tmpl);

	return ct_history_run(&m, dir, out_opt);
}
