/*
 * cmd_baseline.c - `contend baseline save RUN`: store a run as this machine's baseline,
 * `results/baselines/<fingerprint>.json`, for `contend compare --baseline NEW`.
 *
 * The fingerprint (see ct_fingerprint) is drawn from the CPU model, the topology, the
 * compiler, the placement and the profile, so a baseline is only ever held against a run
 * of the same machine, build toolchain and settings.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "compare.h"
#include "resultsio.h"

const char ct_cmd_baseline_summary[] =
    "store a run as this machine's baseline (baseline save RUN), or show its fingerprint";

static void usage(FILE *f)
{
	fprintf(f,
		"usage: contend baseline save RUN [--baselines DIR]\n"
		"       contend baseline show RUN [--baselines DIR]\n"
		"\n"
		"save: store RUN (a results.json or run directory) as DIR/<fingerprint>.json,\n"
		"      replacing the one there; `contend compare --baseline NEW` finds it.\n"
		"show: print RUN's fingerprint, what it is drawn from, and whether a baseline\n"
		"      for it exists.\n"
		"The fingerprint is drawn from the CPU model, topology, compiler, placement and\n"
		"profile. DIR defaults to ./results/baselines, else the source tree's.\n");
}

int ct_cmd_baseline(int argc, char **argv)
{
	const char *action = NULL, *run = NULL, *bdir = NULL, *v;
	char err[PATH_MAX + 256], path[PATH_MAX], fp[128], desc[1024];
	struct stat sb;
	json_t *j, *b, *e;
	size_t i, good = 0;
	int exists;

	for (int k = 1; k < argc; k++) {
		const char *a = argv[k];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if ((v = ct_opt_value(argc, argv, &k, "--baselines"))) {
			bdir = v;
		} else if (a[0] == '-' && a[1]) {
			ct_die("baseline: unknown option %s (try contend baseline --help)", a);
		} else if (!action) {
			action = a;
		} else if (!run) {
			run = a;
		} else {
			ct_die("baseline: too many arguments (%s)", a);
		}
	}
	if (!action || (strcmp(action, "save") != 0 && strcmp(action, "show") != 0))
		ct_die("baseline: say save RUN or show RUN (try contend baseline --help)");
	if (!run)
		ct_die("baseline %s: give a run (a results.json or run directory)", action);
	j = ct_results_load(run, err, sizeof(err));
	if (!j)
		ct_die("%s", err);
	bdir = ct_baselines_dir(bdir);
	ct_baseline_path(bdir, json_object_get(j, "context"), path, sizeof(path), fp, sizeof(fp),
			 desc, sizeof(desc));
	exists = stat(path, &sb) == 0;
	if (!strcmp(action, "show")) {
		printf("fingerprint: %s\nfrom: %s\nbaseline: %s (%s)\n", fp, desc, path,
		       exists ? "present" : "none yet");
		json_decref(j);
		return 0;
	}
	if (json_is_true(json_object_get(json_object_get(j, "context"), "interrupted")))
		ct_die("baseline save: %s was interrupted; a baseline must be a complete run", run);
	b = json_object_get(j, "benchmarks");
	json_array_foreach (b, i, e) {
		good += !json_is_true(json_object_get(e, "error_occurred"));
	}
	if (!good)
		ct_die("baseline save: %s has no successful benchmark", run);
	if (ct_check_out_path(path, 1, err, sizeof(err)) != 0 ||
	    ct_mkdirs_for(path, err, sizeof(err)) != 0 ||
	    ct_write_json_atomic(path, j, err, sizeof(err)) != 0)
		ct_die("%s", err);
	printf("%s %s\nfingerprint %s, from %s\n", exists ? "replaced" : "saved", path, fp, desc);
	json_decref(j);
	return 0;
}
