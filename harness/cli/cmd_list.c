/*
 * cmd_list.c - `contend list`: every registered benchmark instance, a line each.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "registry.h"
#include "topology.h"

const char ct_cmd_list_summary[] = "list the registered benchmarks (name TAB summary)";

int ct_cmd_list(int argc, char **argv)
{
	const char *filter = NULL, *v;
	regex_t re;
	char err[512];
	int n = 0, npus = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf(
			    "usage: contend list [--filter REGEX]\n\n"
			    "Prints every registered benchmark as `contend run` names it (thread\n"
			    "sweeps expanded for this machine's PUs), a tab, and a one-line "
			    "summary.\n"
			    "Profiles: [q] in --quick, [d] in the default profile.\n");
			return 0;
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
	for (int i = 0; i < n; i++) {
		if (filter && regexec(&re, all[i].name, 0, NULL, 0) != 0)
			continue;
		unsigned f = all[i].def->flags;
		printf("%s\t%s%s%s%s\n", all[i].name, f & CT_QUICK ? "[q]" : "",
		       f & CT_DEFAULT ? "[d]" : "", f & (CT_QUICK | CT_DEFAULT) ? " " : "",
		       all[i].def->summary);
	}
	free(all);
	if (filter)
		regfree(&re);
	return 0;
}
