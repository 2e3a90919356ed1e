/*
 * cmd_list.c - `contend list`: every registered benchmark instance, a line each, in
 * columns (name, profiles, workload, strategy, parameters, summary), or as JSON.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "registry.h"
#include "topology.h"

const char ct_cmd_list_summary[] =
    "list the registered benchmarks: name, profiles, workload, strategy, parameters";

static json_t *as_json(const ct_instance *in)
{
	const ct_def *d = in->def;
	json_t *params = json_object(), *prof = json_array();

	for (int i = 0; i < CT_MAX_PARAMS && d->params[i].key; i++)
		json_object_set_new(params, d->params[i].key, json_string(d->params[i].value));
	if (d->flags & CT_QUICK)
		json_array_append_new(prof, json_string("quick"));
	if (d->flags & CT_DEFAULT)
		json_array_append_new(prof, json_string("default"));
	const char *timing = d->flags & CT_WINDOWED	 ? "windowed"
			     : d->flags & CT_LOCKSTEP	 ? "lockstep"
			     : d->flags & CT_INDEPENDENT ? "independent"
							 : "one thread";
	return json_pack("{s:s, s:s, s:s, s:o, s:i, s:s, s:o, s:s}", "name", in->name, "workload",
			 d->workload, "strategy", d->strategy, "params", params, "threads",
			 in->threads, "timing", timing, "profiles", prof, "summary", d->summary);
}

static void as_line(const ct_instance *in)
{
	const ct_def *d = in->def;
	unsigned f = d->flags;

	printf("%s\t%s%s\t%s\t%s\t", in->name, f & CT_QUICK ? "[q]" : "",
	       f & CT_DEFAULT ? "[d]" : "", d->workload, d->strategy);
	for (int i = 0; i < CT_MAX_PARAMS && d->params[i].key; i++)
		printf("%s%s:%s", i ? " " : "", d->params[i].key, d->params[i].value);
	printf("%s\t%s\n", d->params[0].key ? "" : "-", d->summary);
}

int ct_cmd_list(int argc, char **argv)
{
	const char *filter = NULL, *v;
	regex_t re;
	char err[512];
	int n = 0, npus = 1, json = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf(
			    "usage: contend list [--filter REGEX] [--json]\n\n"
			    "Prints every registered benchmark instance as `contend run` names it\n"
			    "(thread sweeps expanded for this machine's PUs), one per line, in\n"
			    "tab-separated columns: name, profiles ([q] in --quick, [d] in the\n"
			    "default profile), workload, strategy, parameters (key:value ..., or "
			    "-)\n"
			    "and a one-line summary. The name is the composition\n"
			    "<workload>/<strategy>[/<key>:<value>]... then /real_time and "
			    "/threads:N.\n\n"
			    "  --filter REGEX  only names matching REGEX (POSIX extended), as run\n"
			    "  --json          a JSON array of {name, workload, strategy, params,\n"
			    "                  threads, timing, profiles, summary} instead; "
			    "timing\n"
			    "                  is how threads are timed: windowed (one shared\n"
			    "                  window), lockstep, independent, or one thread\n");
			return 0;
		} else if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if ((v = ct_opt_value(argc, argv, &i, "--filter"))) {
			int rc = regcomp(&re, v, REG_EXTENDED | REG_NOSUB);
			if (rc != 0) {
				char msg[128];
				regerror(rc, &re, msg, sizeof(msg));
				ct_die("--filter %s: not a regular expression: %s", v, msg);
			}
			filter = v;
		} else {
			ct_die("list: unknown option '%s' (see contend list --help)", argv[i]);
		}
	}
	int bounds[16] = {0}; /* the default placement's sweep points, as `run` takes them */
	if (ct_topo_load(NULL, NULL, err, sizeof(err)) == 0) {
		ct_topo_summary s;
		ct_topo_summary_get(&s);
		npus = s.cores > 0 ? s.pus : 1;
		int norder = 0, *order = ct_topo_order(CT_PL_CORES, NULL, 0, &norder);
		ct_topo_boundaries(order, norder, bounds, 15);
		free(order);
	}
	ct_registry_init(ct_families_register);
	ct_instance *all = ct_instances_sweep(npus, bounds, NULL, &n);
	json_t *arr = json ? json_array() : NULL;
	for (int i = 0; i < n; i++) {
		if (filter && regexec(&re, all[i].name, 0, NULL, 0) != 0)
			continue;
		if (arr)
			json_array_append_new(arr, as_json(&all[i]));
		else
			as_line(&all[i]);
	}
	if (arr) {
		json_dumpf(arr, stdout, JSON_INDENT(1));
		putchar('\n');
		json_decref(arr);
	}
	free(all);
	if (filter)
		regfree(&re);
	return 0;
}
