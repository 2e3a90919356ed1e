/*
 * cmd_compare.c - `contend compare BASE NEW`: hold a run against a baseline and decide.
 *
 * A benchmark regressed when its median is worse by more than --threshold percent and the
 * one-sided Mann-Whitney U test over the repetitions says p < --alpha; with too few
 * repetitions for the test to reach alpha it decides on the threshold alone and says so.
 * Exit status: 0 no regression, 1 regression (or a benchmark that now fails), 2 bad input.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "compare.h"
#include "resultsio.h"

const char ct_cmd_compare_summary[] =
    "compare two runs (or a run and this machine's baseline): regression verdict";

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: contend compare BASE NEW [options]\n"
	    "       contend compare --baseline NEW [options]\n"
	    "\n"
	    "BASE and NEW are results.json files or run directories (schema 2, or 1 through the\n"
	    "rename map); benchmarks are matched by name, each decided on the metric its\n"
	    "workload declares. A benchmark regressed when its median is worse by more than\n"
	    "the threshold AND the one-sided Mann-Whitney U test over the repetitions is\n"
	    "significant after controlling the false discovery rate over every benchmark\n"
	    "tested (Benjamini-Hochberg, q <= alpha; improvements likewise, in a family of\n"
	    "their own). A benchmark beyond the threshold whose repetitions cannot reach\n"
	    "significance (e.g. 3 against 3) is inconclusive, never a regression on the\n"
	    "threshold alone. Each change comes with a 95 %% interval (Hodges-Lehmann).\n"
	    "Repetitions the harness marked drift or disturbed never decide: they are set\n"
	    "aside, and a benchmark with too few unmarked ones left is unreliable. Runs of\n"
	    "different profiles, placements or machines are not compared. Where three or\n"
	    "more benchmarks differ only in strategy (run side by side), the shift most of\n"
	    "them share is the machine's: it is taken out of each before its test, at most\n"
	    "the threshold of it (the note and --json's peer_shift_pct say how much).\n"
	    "\n"
	    "  --metric M       decide every row on M (real_time, cpu_time, items_per_second,\n"
	    "                   or a counter; default: each row's declared metric);\n"
	    "                   real_time on a windowed row is \"not meaningful\"\n"
	    "  --direction D    lower|higher: which is better (for a counter whose name\n"
	    "                   does not tell)\n"
	    "  --threshold PCT  smallest change of the median that counts, for every row\n"
	    "                   (default 25 for rows on one PU, 55 for rows across PUs: the\n"
	    "                   95th percentiles of the shift between separate runs of one\n"
	    "                   build measured on a 2-vCPU VM; use contend ab below that)\n"
	    "  --threshold-multi PCT  the threshold of rows across PUs alone\n"
	    "  --alpha A        the false discovery rate (default 0.05)\n"
	    "  --fail-on-inconclusive  exit 1 on an inconclusive row too\n"
	    "  --markdown FILE  also write the table as Markdown, for a pull-request comment\n"
	    "  --json FILE      also write the verdict as JSON (per row: metric, medians,\n"
	    "                   change, interval, p, adjusted p, decision)\n"
	    "  --baseline       compare NEW against the stored baseline for its machine\n"
	    "                   (see contend baseline --help)\n"
	    "  --baselines DIR  where baselines are (default ./results/baselines, else the\n"
	    "                   source tree's)\n"
	    "\n"
	    "Exit status: 0 no regression, 1 regression (or a benchmark failing only in NEW),\n"
	    "2 bad input.\n");
}

static json_t *load_or_die(const char *path)
{
	char err[PATH_MAX + 256];
	json_t *j = ct_results_load(path, err, sizeof(err));

	if (!j)
		ct_die("%s", err);
	return j;
}

int ct_cmd_compare(int argc, char **argv)
{
	const char *pos[2] = {NULL, NULL}, *md = NULL;
	const char *bdir = NULL, *v;
	int npos = 0, use_baseline = 0, i, status;
	struct ct_compare_args ca;
	struct ct_report rep = {.test_name = "Mann-Whitney U", .sample_word = "repetitions"};
	char err[PATH_MAX + 512], bpath[PATH_MAX], fp[128], desc[1024];
	json_t *base, *new;

	ct_compare_args_init(&ca);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (ct_compare_arg(argc, argv, &i, &ca)) {
			continue;
		} else if ((v = ct_opt_value(argc, argv, &i, "--markdown"))) {
			md = v;
		} else if ((v = ct_opt_value(argc, argv, &i, "--baselines"))) {
			bdir = v;
		} else if (!strcmp(a, "--baseline")) {
			use_baseline = 1;
		} else if (a[0] == '-' && a[1]) {
			ct_die("compare: unknown option %s (try contend compare --help)", a);
		} else if (npos < 2) {
			pos[npos++] = a;
		} else {
			ct_die("compare: too many arguments (%s); give BASE NEW", a);
		}
	}
	if (use_baseline ? npos != 1 : npos != 2)
		ct_die(use_baseline ? "compare --baseline: give one run, NEW"
				    : "compare: give BASE and NEW (try contend compare --help)");
	ct_compare_args_check(&ca, md);

	if (use_baseline) {
		const char *dir = ct_baselines_dir(bdir);
		struct stat sb;
		char fp2[128];

		new = load_or_die(pos[0]);
		ct_baseline_path(dir, json_object_get(new, "context"), bpath, sizeof(bpath), fp,
				 sizeof(fp), desc, sizeof(desc));
		if (stat(bpath, &sb) != 0)
			ct_die("no baseline for this machine in %s (fingerprint %s from %s); store "
			       "one "
			       "with: contend baseline save RUN",
			       dir, fp, desc);
		base = load_or_die(bpath);
		ct_fingerprint(json_object_get(base, "context"), fp2, sizeof(fp2), NULL, 0);
		if (strcmp(fp, fp2) != 0)
			ct_die(
			    "%s: its fingerprint is %s, not %s: mismatched baseline (save it again "
			    "with contend baseline save)",
			    bpath, fp2, fp);
		pos[1] = pos[0];
		pos[0] = bpath;
	} else {
		base = load_or_die(pos[0]);
		new = load_or_die(pos[1]);
	}
	rep.base_label = pos[0];
	rep.new_label = pos[1];
	if (ct_compare_runs(base, pos[0], new, pos[1], &ca.o, &rep, err, sizeof(err)) != 0)
		ct_die("%s", err);
	status = ct_report_status(&rep, &ca.o);
	ct_compare_output(&rep, &ca.o, md, ca.json);
	ct_report_free(&rep);
	json_decref(base);
	json_decref(new);
	return status;
}
