/*
 * cmd_report.c - `contend report RUN [RUN ...] [--out DIR]`: plots and a report that says
 * which strategy wins each workload, and by how much.
 *
 * Everything is checked before anything is written: the options, gnuplot and the plot
 * templates, every RUN (through ct_results_load), and the output directory. The report is
 * then built in a temporary directory beside the target and renamed into place, so a
 * failure (gnuplot missing or stuck, a full disk, Ctrl-C) leaves no partial report; a
 * previous report in the target is replaced whole.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "report.h"
#include "resultsio.h"

const char ct_cmd_report_summary[] =
    "plots and a report naming each workload's winner: contend report RUN [RUN ...]";

static void usage(FILE *f)
{
	fprintf(f,
		"usage: contend report RUN [RUN ...] [--out DIR] [--plot-timeout SECONDS]\n\n"
		"Turns results into plots and a report that says, for each workload, which\n"
		"strategy wins and by how much, opening with a table of answers. RUN is a\n"
		"results.json or a run directory holding one; several RUNs (other placements,\n"
		"other machines) are drawn side by side, a chart per run, each labelled by host\n"
		"and placement (and stamp or commit when those are the same).\n\n"
		"Writes report.md, answers.json and report.html (self-contained: interactive\n"
		"charts, sortable tables), and for each\n"
		"chart its data (.csv), its gnuplot script (.gp: `gnuplot NAME.gp` in the report\n"
		"directory redraws it), a .png and an .svg. Prints the path of report.md.\n"
		"Needs gnuplot (apt-get install gnuplot-nox).\n\n"
		"  --out DIR             where the report goes (default: the first RUN's\n"
		"                        directory/report); a previous report there is replaced\n"
		"                        whole, any other non-empty directory is refused\n"
		"  --plot-timeout SECS   the longest one gnuplot call may take (default 60)\n");
}

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

int ct_cmd_report(int argc, char **argv)
{
	/* static: still reachable when ct_die() exits (leak checkers) */
	static char **runs;
	static struct rp_report r;
	int nruns = 0, nplots = 0, nwinners = 0, exists;
	const char *out_opt = NULL, *v;
	double timeout = 60;
	char err[PATH_MAX * 2 + 256], out[PATH_MAX], stage[PATH_MAX];

	runs = rp_xrealloc(NULL, (size_t)argc * sizeof(char *));
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			free(runs);
			return 0;
		} else if ((v = ct_opt_value(argc, argv, &i, "--out"))) {
			if (!*v)
				ct_die("--out: empty path");
			out_opt = v;
		} else if ((v = ct_opt_value(argc, argv, &i, "--plot-timeout"))) {
			if (ct_parse_double(v, 0.1, 3600, &timeout) != 0)
				ct_die("--plot-timeout %s: not a number of seconds (0.1 to 3600)",
				       v);
		} else if (argv[i][0] == '-' && argv[i][1]) {
			ct_die("report: unknown option '%s' (see contend report --help)", argv[i]);
		} else {
			runs[nruns++] = argv[i];
		}
	}
	if (!nruns)
		ct_die("report: give at least one RUN: a results.json or a run directory (see "
		       "contend report --help)");
	r.plot_timeout = timeout;
	if (!(r.gnuplot = rp_find_gnuplot()))
		ct_die("report: gnuplot not found on PATH; the report draws its plots with it: "
		       "apt-get install gnuplot-nox");
	if (rp_plots_check(err, sizeof(err)) != 0)
		ct_die("report: %s", err);
	if (rp_load(&r, nruns, runs, err, sizeof(err)) != 0)
		ct_die("%s", err);
	rp_build(&r);
	if (!r.nknown)
		ct_die("report: %s: no benchmark with a report view (context.contend_views; a run "
		       "of contend_schema 1 has none): nothing to report",
		       nruns == 1 ? runs[0] : "these runs");

	/* where it goes */
	if (out_opt)
		snprintf(out, sizeof(out), "%s", out_opt);
	else if ((size_t)snprintf(out, sizeof(out), "%s/report", r.runs[0].dir) >= sizeof(out))
		ct_die("report: output path too long");
	for (size_t n = strlen(out); n > 1 && out[n - 1] == '/'; n--)
		out[n - 1] = '\0';
	if ((exists = ct_check_out_dir(out, "report.md", err, sizeof(err))) < 0)
		ct_die("%s", err);
	if (r.nother)
		fprintf(
		    stderr,
		    "contend: report: warning: %zu benchmark%s without a report view: listed in "
		    "the \"Other results\" table\n",
		    r.nother, r.nother == 1 ? "" : "s");

	/* build it beside the target, then swap it in */
	int staged = ct_out_dir_stage(out, stage, sizeof(stage), err, sizeof(err));
	if (staged == -2) {
		fprintf(stderr, "contend: report: %s\n", err);
		return 1;
	}
	if (staged != 0)
		ct_die("--out %s: %s", out, err);
	struct sigaction sa = {.sa_handler = on_signal}, old_int, old_term;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	rp_stop = &stop_signal;
	if (rp_plots_write(&r, stage, &nplots, err, sizeof(err)) != 0 ||
	    rp_docs_write(&r, stage, &nwinners, err, sizeof(err)) != 0) {
		ct_rm_tree(stage);
		fprintf(stderr, "contend: report: %s; no report written\n", err);
		rp_free(&r);
		free(runs);
		return stop_signal ? 128 + stop_signal : 1;
	}
	if (ct_out_dir_publish(stage, out, exists, "report", err, sizeof(err)) != 0) {
		fprintf(stderr, "contend: report: %s; no report written\n", err);
		return 1;
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	fprintf(stderr, "contend: report: %d workload%s, %d plot%s (PNG and SVG) in %s\n", nwinners,
		nwinners == 1 ? "" : "s", nplots, nplots == 1 ? "" : "s", out);
	printf("%s/report.md\n", out);
	rp_free(&r);
	free(runs);
	return 0;
}
