/*
 * cmd_topo.c - `contend topo`: the topology summary and the placement order, for this
 * machine or for a synthetic or XML topology (how placement is checked on machines we
 * do not have).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "topology.h"

const char ct_cmd_topo_summary[] = "show the topology and the PU order a placement gives";

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: contend topo [--synthetic DESC | --xml FILE] [--placement P | --cpus LIST]\n"
	    "                    [-n N]\n\n"
	    "Prints the topology summary, then `order: ` and the OS indices of the PUs that\n"
	    "the first N threads get (default: as many as there are PUs), then `drift pairs: `\n"
	    "and the pairs whose round trips a run measures around each benchmark, as\n"
	    "POSITION:PU-PU:SHARED (the smallest object both PUs are in: core, l3, numa,\n"
	    "package, machine); a benchmark that uses N positions is checked on those below N.\n\n"
	    "  --synthetic DESC  an hwloc synthetic topology, e.g. \"pack:2 numa:2 core:8 pu:2\"\n"
	    "  --xml FILE        an hwloc XML topology (lstopo --of xml)\n"
	    "  --placement P     cores (default), compact, scatter, none\n"
	    "  --cpus LIST       explicit OS indices, e.g. 0,2,4-7\n"
	    "  -n N              number of threads (more than the PUs wraps: oversubscribed)\n");
}

int ct_cmd_topo(int argc, char **argv)
{
	const char *synthetic = NULL, *xml = NULL, *cpus_s = NULL, *v;
	ct_placement p = CT_PL_CORES;
	int placement_given = 0;
	long nthreads = -1;
	char err[512], line[256];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if ((v = ct_opt_value(argc, argv, &i, "--synthetic"))) {
			synthetic = v;
		} else if ((v = ct_opt_value(argc, argv, &i, "--xml"))) {
			xml = v;
		} else if ((v = ct_opt_value(argc, argv, &i, "--placement"))) {
			if (ct_placement_parse(v, &p) != 0)
				ct_die(
				    "--placement %s: unknown placement (cores, compact, scatter, "
				    "none; or --cpus LIST)",
				    v);
			placement_given = 1;
		} else if ((v = ct_opt_value(argc, argv, &i, "--cpus"))) {
			cpus_s = v;
		} else if ((v = ct_opt_value(argc, argv, &i, "-n"))) {
			if (ct_parse_long(v, 1, 1 << 20, &nthreads) != 0)
				ct_die("-n %s: not a thread count (1 or more)", v);
		} else {
			ct_die("topo: unknown option '%s' (see contend topo --help)", argv[i]);
		}
	}
	if (synthetic && xml)
		ct_die("topo: give --synthetic or --xml, not both");
	if (cpus_s && placement_given)
		ct_die("topo: give --placement or --cpus, not both");
	if (ct_topo_load(synthetic, xml, err, sizeof(err)) != 0)
		ct_die("%s", err);

	int *cpus = NULL, ncpus = 0, n = 0;
	if (cpus_s) {
		if (!(cpus = ct_cpus_parse(cpus_s, &ncpus, err, sizeof(err))))
			ct_die("%s", err);
		p = CT_PL_CPUS;
	}
	int *order = ct_topo_order(p, cpus, ncpus, &n);
	ct_topo_summary_line(line, sizeof(line));
	printf("topology: %s%s\n", line, ct_topo_is_thissystem() ? "" : " (not this machine)");
	printf("placement: %s\n", ct_placement_name(p));
	if (nthreads < 0)
		nthreads = n;
	printf("order:");
	for (long i = 0; i < nthreads && n > 0; i++)
		printf(" %d", order[i % n]);
	printf("\n");
	if (nthreads > n)
		printf("oversubscribed: %ld threads on %d PUs\n", nthreads, n);
	int pos[CT_DRIFT_PAIRS];
	const char *shares[CT_DRIFT_PAIRS];
	int np = ct_topo_pair_sample(order, n, pos, shares, CT_DRIFT_PAIRS);
	printf("drift pairs:");
	for (int k = 0; k < np; k++)
		printf(" %d:%d-%d:%s", pos[k], order[0], order[pos[k]], shares[k]);
	printf("\n");
	free(order);
	free(cpus);
	return 0;
}
