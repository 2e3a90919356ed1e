/*
 * session.c - one `contend run`: check the topology is this machine, order its PUs for the
 * placement, select the registered instances (filter or profile), run them (runner.c),
 * and write results.json atomically with its context (machine, placement, views, c2c).
 */
#include "session.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "c2c.h"
#include "names.h"
#include "plan.h"
#include "resultsio.h"
#include "runner.h"
#include "sysinfo.h"
#include "topology.h"

static void default_out(char *out, size_t outlen)
{
	char host[256] = "localhost", stamp[64];
	struct timespec ts;
	struct tm tm;

	gethostname(host, sizeof(host) - 1);
	for (char *p = host; *p; p++)
		if (*p == '/')
			*p = '_';
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	snprintf(out, outlen, "results/%s/%s.%03ldZ-%ld/results.json", host, stamp,
		 ts.tv_nsec / 1000000, (long)getpid());
}

static json_t *command_line(int argc, char **argv)
{
	size_t n = strlen("contend");
	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	char *s = malloc(n + 1);
	if (!s)
		ct_die("out of memory");
	strcpy(s, "contend");
	for (int i = 0; i < argc; i++) {
		strcat(s, " ");
		strcat(s, argv[i]);
	}
	json_t *j = json_string(s);
	free(s);
	return j;
}

int ct_run_session(const ct_session *so, int argc, char **argv)
{
	ct_session o = *so;
	char err[1024], outpath[PATH_MAX];
	int *cpus = NULL, ncpus = 0, norder = 0, ninst = 0, failed = 0;

	/* This machine only: binding does nothing on a synthetic or XML topology (which only
	 * --dry-run takes: what would run there and for how long). */
	if (ct_topo_load(o.synthetic, o.xml, err, sizeof(err)) != 0)
		ct_die("%s", err);
	if (!ct_topo_is_thissystem() && !o.dry_run)
		ct_die("run: the topology is not this machine (HWLOC_SYNTHETIC or HWLOC_XMLFILE "
		       "set?): threads could not be pinned; use `contend topo` to inspect it");
	if (o.cpus && !(cpus = ct_cpus_parse(o.cpus, &ncpus, err, sizeof(err))))
		ct_die("%s", err);
	int *order = ct_topo_order(o.placement, cpus, ncpus, &norder);
	ct_placement_set(o.placement, order, norder);

	ct_registry_init(ct_families_register);
	int bounds[16] = {0};
	ct_topo_boundaries(order, norder, bounds, 15);
	ct_instance *all = ct_instances_sweep(norder, bounds, o.threads, &ninst);
	ct_instance **sel = calloc((size_t)ninst + 1, sizeof(ct_instance *));
	int nsel = 0;
	if (!sel)
		ct_die("out of memory");
	for (int i = 0; i < ninst; i++) {
		if (o.filter ? regexec(&o.re, all[i].name, 0, NULL, 0) == 0
			     : (!o.profile_flag || (all[i].def->flags & o.profile_flag)))
			sel[nsel++] = &all[i];
	}
	if (nsel == 0)
		ct_die("run: no benchmark matches%s%s (see contend list)",
		       o.filter ? " --filter " : "", o.filter ? o.filter : " the profile");

	if (o.dry_run) {
		char what[300];
		ct_topo_summary_line(what, sizeof(what));
		ct_plan_print(sel, nsel, o.min_time, o.repetitions, o.interleave, what);
		free(sel);
		free(all);
		free(order);
		free(cpus);
		return 0;
	}

	if (o.out)
		snprintf(outpath, sizeof(outpath), "%s", o.out);
	else
		default_out(outpath, sizeof(outpath));
	if (ct_check_out_path(outpath, 1, err, sizeof(err)) != 0)
		ct_die("%s", err);

	ct_runner_signals();

	json_t *ctx = json_object(), *benches, *gb_ctx;
	json_object_set_new(ctx, "load_avg_before", ct_loadavg_json());
	char order_s[8192];
	size_t off = 0;
	order_s[0] = '\0';
	for (int i = 0; i < norder && off < sizeof(order_s); i++)
		off += (size_t)snprintf(order_s + off, sizeof(order_s) - off, "%s%d", i ? "," : "",
					order[i]);

	int pus_used, skipped; /* how far into the order any benchmark's threads reached */
	int pinned = o.placement != CT_PL_NONE, interrupted;
	fprintf(stderr,
		"contend: %d benchmark%s, profile %s, placement %s (PUs %s), %ld rep%s, "
		"min time %g s, deadline %g s each -> %s\n",
		nsel, nsel == 1 ? "" : "s", o.profile_name, ct_placement_name(o.placement), order_s,
		o.repetitions, o.repetitions == 1 ? "" : "s", o.min_time, o.timeout, outpath);

	ct_run_opts ro = {.min_time = o.min_time,
			  .timeout = o.timeout,
			  .repetitions = o.repetitions,
			  .interleave = o.interleave,
			  .ngb = o.ngb,
			  .gb = o.gb,
			  .order = order,
			  .norder = norder,
			  .pinned = pinned};
	ct_run_result rs;
	ct_run(sel, nsel, &ro, &rs);
	benches = rs.benches;
	interrupted = rs.interrupted;
	failed = rs.failed;
	skipped = rs.skipped;
	pus_used = rs.pus_used;
	gb_ctx = rs.gb_ctx;

	/* Google Benchmark's own context first (date, host, caches ...), then ours. */
	json_t *root_ctx = gb_ctx ? gb_ctx : json_object();
	json_object_update(root_ctx, ctx);
	json_decref(ctx);
	ctx = root_ctx;
	json_object_set_new(ctx, "contend_schema", json_integer(CT_SCHEMA));
	json_object_set_new(ctx, "contend_version", json_string(CONTEND_VERSION));
	json_object_set_new(ctx, "command_line", command_line(argc, argv));
	json_object_set_new(ctx, "profile", json_string(o.profile_name));
	json_object_set_new(ctx, "profile_min_time", json_real(o.min_time));
	json_object_set_new(ctx, "profile_repetitions", json_integer(o.repetitions));
	json_object_set_new(ctx, "interleaved", json_boolean(o.interleave));
	json_object_set_new(ctx, "filter", o.filter ? json_string(o.filter) : json_null());
	json_object_set_new(ctx, "placement", json_string(ct_placement_name(o.placement)));
	json_object_set_new(ctx, "placement_order", json_string(order_s));
	ct_sysinfo_fill(ctx);
	/* What the report, compare and history need to know of each workload that ran. */
	json_t *views = json_object();
	for (int i = 0; i < nsel; i++) {
		const char *w = sel[i]->def->workload;
		const ct_view *v = json_object_get(views, w) ? NULL : ct_view_of(w);
		if (v)
			json_object_set_new(views, w, ct_view_json(v));
	}
	json_object_set_new(ctx, "contend_views", views);
	/* The machine's limit for the PUs this run used (unpinned pairs mean nothing). */
	if (pinned && pus_used >= 2 && !interrupted)
		ct_c2c_context(ctx, order, pus_used, 64);
	json_object_set_new(ctx, "load_avg_after", ct_loadavg_json());
	json_object_set_new(ctx, "interrupted", json_boolean(interrupted));
	json_t *root = json_pack("{s:o, s:o}", "context", ctx, "benchmarks", benches);

	int rc = failed ? 1 : 0;
	if (ct_mkdirs_for(outpath, err, sizeof(err)) != 0 ||
	    ct_write_json_atomic(outpath, root, err, sizeof(err)) != 0) {
		fprintf(stderr, "contend: %s\n", err);
		rc = 2;
	} else {
		printf("%s\n", outpath);
		if (failed) {
			json_t *b;
			size_t i;
			fprintf(stderr, "contend: %d run%s failed:\n", failed,
				failed == 1 ? "" : "s");
			json_array_foreach (benches, i, b) {
				if (!json_is_true(json_object_get(b, "error_occurred")) ||
				    ct_result_is_skip(b))
					continue;
				fprintf(stderr, "  %s: %s\n",
					json_string_value(json_object_get(b, "name")),
					json_string_value(json_object_get(b, "error_message")));
			}
		}
		if (skipped)
			fprintf(stderr, "contend: %d run%s skipped (see their error_message)\n",
				skipped, skipped == 1 ? "" : "s");
		if (interrupted) {
			fprintf(stderr, "contend: interrupted; the results so far are in %s\n",
				outpath);
			rc = 130;
		}
	}
	json_decref(root);
	free(sel);
	free(all);
	free(order);
	free(cpus);
	return rc;
}
