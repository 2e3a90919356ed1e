/*
 * cmd_c2c.c - `contend c2c`: the cache-line round trip between every pair of PUs (c2c.h),
 * printed as a matrix with each pair's median and spread, and written as JSON.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c2c.h"
#include "cli.h"
#include "resultsio.h"
#include "rtt.h"
#include "sysinfo.h"
#include "topology.h"

const char ct_cmd_c2c_summary[] = "measure the cache-line round trip between every pair of PUs";

#define DEFAULT_SAMPLE	256
#define DEFAULT_REPEATS 15
#define DEFAULT_SPAN	3.0

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: contend c2c [--cpus LIST] [--out FILE] [--sample N] [--repeats N] [--span "
	    "S]\n                   [--pause]\n\n"
	    "Bounces one cache line between two pinned threads for every pair of PUs and\n"
	    "prints the median round trip (ns) per pair as a matrix, then each pair's median\n"
	    "and spread (min-max over the repeats). This is the physical limit every\n"
	    "two-thread result is held against.\n\n"
	    "  --cpus LIST   the PUs (OS indices, e.g. 0,2,4-7; default: all of them)\n"
	    "  --out FILE    also write the matrix as JSON (context, c2c list, c2c_sample)\n"
	    "  --sample N    measure at most N pairs (default %d); more pairs than that are\n"
	    "                sampled: every pair with the first PU, then a seeded draw\n"
	    "  --repeats N   samples per pair, in rounds over all pairs (default %d)\n"
	    "  --span S      start the rounds evenly over S seconds (default %g), so the\n"
	    "                spread shows a host that moves vCPUs every few seconds; 0: back\n"
	    "                to back\n"
	    "  --pause       spin with a PAUSE in the detection loop, as a waiter would (the\n"
	    "                default loop is a bare load, so it adds nothing to what it times)\n",
	    DEFAULT_SAMPLE, DEFAULT_REPEATS, DEFAULT_SPAN);
}

static const ct_c2c_pair *find(const ct_c2c *m, int a, int b)
{
	for (int k = 0; k < m->npairs; k++) {
		const ct_c2c_pair *p = &m->pairs[k];
		if (((p->a == a && p->b == b) || (p->a == b && p->b == a)) && p->samples > 0)
			return p;
	}
	return NULL;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

static void print(const ct_c2c *m)
{
	printf("c2c: cache-line round trip in ns, median of %d samples per pair over %.1f s; %d of "
	       "%ld pairs measured (%s)\n",
	       m->repeats, m->seconds, m->npairs, m->pairs_total, m->selection);
	if (m->npus <= 64) {
		printf("%5s", "");
		for (int j = 0; j < m->npus; j++)
			printf(" %5d", m->pus[j]);
		printf("\n");
		for (int i = 0; i < m->npus; i++) {
			printf("%5d", m->pus[i]);
			for (int j = 0; j < m->npus; j++) {
				const ct_c2c_pair *p =
				    i == j ? NULL : find(m, m->pus[i], m->pus[j]);
				if (i == j)
					printf(" %5s", "-");
				else if (p)
					printf(" %5.0f", p->rtt_ns);
				else
					printf(" %5s", ".");
			}
			printf("\n");
		}
	} else {
		printf("(matrix not printed for %d PUs: see --out)\n", m->npus);
	}
	double *med = malloc(sizeof(double) * (size_t)(m->npairs > 0 ? m->npairs : 1));
	int nm = 0, failed = 0;
	if (m->npairs <= 64)
		printf("pairs (median [min - max] ns):\n");
	for (int k = 0; k < m->npairs; k++) {
		const ct_c2c_pair *p = &m->pairs[k];
		if (p->samples == 0) {
			failed++;
			if (m->npairs <= 64)
				printf("  %d-%d  not measured (every sample failed)\n", p->a, p->b);
			continue;
		}
		if (med)
			med[nm++] = p->rtt_ns;
		if (m->npairs <= 64)
			printf("  %d-%d  %.0f [%.0f - %.0f]%s\n", p->a, p->b, p->rtt_ns, p->min_ns,
			       p->max_ns,
			       p->max_ns > 1.5 * p->min_ns
				   ? "  (spread > 50%: the host moved vCPUs?)"
				   : "");
	}
	if (nm > 0) {
		qsort(med, (size_t)nm, sizeof(double), cmp_double);
		printf("summary: %d pairs, min %.0f ns, median %.0f ns, max %.0f ns%s\n", nm,
		       med[0], med[nm / 2], med[nm - 1], failed ? " (some pairs failed)" : "");
	}
	free(med);
}

int ct_cmd_c2c(int argc, char **argv)
{
	const char *cpus_s = NULL, *out = NULL, *v;
	long sample = DEFAULT_SAMPLE, repeats = DEFAULT_REPEATS;
	double span = DEFAULT_SPAN;
	char err[1024];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--pause")) {
			ct_rtt_pause = 1;
		} else if ((v = ct_opt_value(argc, argv, &i, "--cpus"))) {
			cpus_s = v;
		} else if ((v = ct_opt_value(argc, argv, &i, "--out"))) {
			out = v;
		} else if ((v = ct_opt_value(argc, argv, &i, "--sample"))) {
			if (ct_parse_long(v, 1, 1 << 24, &sample) != 0)
				ct_die("--sample %s: not a number of pairs (1 or more)", v);
		} else if ((v = ct_opt_value(argc, argv, &i, "--repeats"))) {
			if (ct_parse_long(v, 1, 1000, &repeats) != 0)
				ct_die("--repeats %s: not a count from 1 to 1000", v);
		} else if ((v = ct_opt_value(argc, argv, &i, "--span"))) {
			if (ct_parse_double(v, 0, 600, &span) != 0)
				ct_die("--span %s: not a number of seconds from 0 to 600", v);
		} else {
			ct_die("c2c: unknown option '%s' (see contend c2c --help)", argv[i]);
		}
	}
	if (ct_topo_load(NULL, NULL, err, sizeof(err)) != 0)
		ct_die("%s", err);
	if (!ct_topo_is_thissystem())
		ct_die("c2c: the topology is not this machine (HWLOC_SYNTHETIC or HWLOC_XMLFILE "
		       "set?): threads could not be pinned");
	int *pus, n;
	if (cpus_s) {
		if (!(pus = ct_cpus_parse(cpus_s, &n, err, sizeof(err))))
			ct_die("%s", err);
		for (int i = 0; i < n; i++)
			for (int j = 0; j < i; j++)
				if (pus[i] == pus[j])
					ct_die("--cpus %s: PU %d given twice", cpus_s, pus[i]);
		if (n < 2)
			ct_die("--cpus %s: give at least two PUs (a pair)", cpus_s);
	} else {
		pus = ct_topo_order(CT_PL_COMPACT, NULL, 0, &n);
	}
	if (out && ct_check_out_path(out, 1, err, sizeof(err)) != 0)
		ct_die("%s", err);

	ct_c2c m;
	if (ct_c2c_measure(pus, n, (int)sample, (int)repeats, span, &m) != 0)
		ct_die("c2c: out of memory");
	if (m.npus < 2)
		printf("c2c: only %d PU: no pair to measure\n", m.npus);
	else
		print(&m);

	int status = 0;
	if (out) {
		json_t *root = json_object(), *ctx = json_object();
		json_object_set_new(root, "contend_c2c", json_integer(1));
		ct_sysinfo_fill(ctx);
		json_object_set_new(ctx, "contend_version", json_string(CONTEND_VERSION));
		json_object_set_new(root, "context", ctx);
		json_object_set_new(root, "c2c", ct_c2c_list_json(&m));
		json_object_set_new(root, "c2c_sample", ct_c2c_sample_json(&m));
		if (ct_mkdirs_for(out, err, sizeof(err)) != 0 ||
		    ct_write_json_atomic(out, root, err, sizeof(err)) != 0) {
			fprintf(stderr, "contend: %s\n", err);
			status = 1;
		}
		json_decref(root);
	}
	for (int k = 0; k < m.npairs; k++)
		if (m.pairs[k].samples == 0)
			status = status ? status : 1; /* a pair that could not be measured */
	ct_c2c_free(&m);
	free(pus);
	return status;
}
