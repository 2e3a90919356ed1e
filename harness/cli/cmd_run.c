/*
 * cmd_run.c - `contend run`: its options and profiles, then one call (session.c: each
 * instance in a child with a deadline, round trip and busy time measured around it, one
 * results file written atomically) and its exit status.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "cli.h"
#include "session.h"

const char ct_cmd_run_summary[] = "run benchmarks, pinned, each in a child with a deadline";

struct profile {
	const char *name;
	unsigned flag; /* 0: every registered benchmark */
	double min_time;
	long repetitions;
	int interleave; /* each repetition its own process (runs are the unit of replication) */
};

/*
 * Seven repetitions, each in its own process: the fewest with which a one-sided
 * Mann-Whitney U between two runs can reach 1/3432, so that a single changed row survives
 * Benjamini-Hochberg over the ~90 rows of --quick (it needs p <= 0.05/90).
 */
static const struct profile profiles[] = {
    {"quick", CT_QUICK, 0.01, 7, 1},
    {"default", CT_DEFAULT, 0.05, 7, 1},
    {"full", 0, 0.2, 5, 0},
};

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: contend run [--quick|--full] [--filter REGEX] [--placement P] [--cpus LIST]\n"
	    "                   [--threads LIST] [--repetitions N] [--[no-]interleave]\n"
	    "                   [--min-time S]"
	    "                   [--timeout S]"
	    " [--out PATH] [--benchmark_*=...]\n"
	    "       contend run --dry-run [--synthetic DESC | --xml FILE] [run options]\n\n"
	    "Runs the benchmarks of a profile (or those matching --filter), each instance in a\n"
	    "child process with a deadline, and writes one Google Benchmark JSON results file.\n\n"
	    "  --quick          the CI profile: every family, few parameters (min time %.2g s, %ld "
	    "reps)\n"
	    "  (no flag)        the default profile (min time %.2g s, %ld repetitions)\n"
	    "  --full           every registered benchmark (min time %.2g s, %ld repetitions)\n"
	    "  --filter REGEX   run the registered benchmarks whose full name matches (POSIX "
	    "ERE);\n"
	    "                   the profile then only sets min time and repetitions\n"
	    "  --placement P    cores (default: one PU per core first), compact, scatter, none\n"
	    "  --cpus LIST      pin to these OS CPU indices, in this order (e.g. 0,2,4-7)\n"
	    "  --threads LIST   thread counts for benchmarks that sweep threads (e.g. 1,2,4)\n"
	    "  --repetitions N  repetitions of every benchmark\n"
	    "  --interleave     each repetition in its own process, in passes: pass r runs\n"
	    "                   repetition r of every benchmark, those of one report chart\n"
	    "                   one after another (the quick and default profiles do this;\n"
	    "                   --no-interleave: repetitions back to back)\n"
	    "  --min-time S     minimum time of each repetition, in seconds\n"
	    "  --timeout S      deadline of each benchmark instance (default 300 s)\n"
	    "  --out PATH       the results file (default results/<host>/<UTC "
	    "stamp>-<pid>/results.json)\n"
	    "  --benchmark_*    passed to Google Benchmark as is\n"
	    "  --dry-run        run nothing: list the instances (name, threads, estimate) and\n"
	    "                   the estimated time of the whole run\n"
	    "  --synthetic DESC with --dry-run: for an hwloc synthetic topology (e.g. \"pack:2\n"
	    "                   numa:2 core:32 pu:2\"); thread sweeps follow its placement\n"
	    "  --xml FILE       with --dry-run: for an hwloc XML topology (lstopo --of xml)\n\n"
	    "Every progress line says the elapsed time and an estimate of what is left.\n"
	    "Exit status: 0 all ran, 1 some benchmark failed (listed), 2 bad input, 130 "
	    "interrupted.\n",
	    profiles[0].min_time, profiles[0].repetitions, profiles[1].min_time,
	    profiles[1].repetitions, profiles[2].min_time, profiles[2].repetitions);
}

/* --- options ------------------------------------------------------------------------------*/

static int *parse_threads(const char *s)
{
	int cap = 8, n = 0;
	int *v = calloc((size_t)cap + 1, sizeof(int));
	char *copy = strdup(s), *save = NULL, *tok;

	if (!v || !copy)
		ct_die("out of memory");
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long t;
		if (ct_parse_long(tok, 1, 4096, &t) != 0)
			ct_die("--threads %s: '%s' is not a thread count (1 to 4096)", s, tok);
		if (n == cap) {
			cap *= 2;
			v = realloc(v, sizeof(int) * ((size_t)cap + 1));
			if (!v)
				ct_die("out of memory");
		}
		v[n++] = (int)t;
	}
	if (n == 0 || s[strlen(s) - 1] == ',')
		ct_die("--threads %s: not a list of thread counts (e.g. 1,2,4)", s);
	v[n] = 0;
	free(copy);
	return v;
}

static void parse_options(int argc, char **argv, ct_session *o)
{
	const char *v;
	int quick = 0, full = 0, have_reps = 0, have_min = 0, have_il = 0;

	memset(o, 0, sizeof(*o));
	o->placement = CT_PL_CORES;
	o->timeout = 300;
	o->gb = calloc((size_t)argc + 1, sizeof(char *));
	if (!o->gb)
		ct_die("out of memory");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			free(o->gb);
			exit(0);
		} else if (!strcmp(a, "--quick")) {
			quick = 1;
		} else if (!strcmp(a, "--full")) {
			full = 1;
		} else if (!strcmp(a, "--dry-run")) {
			o->dry_run = 1;
		} else if ((v = ct_opt_value(argc, argv, &i, "--synthetic"))) {
			o->synthetic = v;
		} else if ((v = ct_opt_value(argc, argv, &i, "--xml"))) {
			o->xml = v;
		} else if (!strcmp(a, "--interleave")) {
			o->interleave = 1;
			have_il = 1;
		} else if (!strcmp(a, "--no-interleave")) {
			o->interleave = 0;
			have_il = 1;
		} else if ((v = ct_opt_value(argc, argv, &i, "--filter"))) {
			int rc = regcomp(&o->re, v, REG_EXTENDED | REG_NOSUB);
			if (rc != 0) {
				char msg[128];
				regerror(rc, &o->re, msg, sizeof(msg));
				ct_die("--filter %s: not a regular expression: %s", v, msg);
			}
			o->filter = v;
		} else if ((v = ct_opt_value(argc, argv, &i, "--placement"))) {
			if (ct_placement_parse(v, &o->placement) != 0)
				ct_die(
				    "--placement %s: unknown placement (cores, compact, scatter, "
				    "none; or --cpus LIST)",
				    v);
			o->placement_given = 1;
		} else if ((v = ct_opt_value(argc, argv, &i, "--cpus"))) {
			o->cpus = v;
		} else if ((v = ct_opt_value(argc, argv, &i, "--threads"))) {
			free(o->threads); /* the last --threads counts */
			o->threads = parse_threads(v);
		} else if ((v = ct_opt_value(argc, argv, &i, "--repetitions"))) {
			if (ct_parse_long(v, 1, 1000, &o->repetitions) != 0)
				ct_die("--repetitions %s: not a count from 1 to 1000", v);
			have_reps = 1;
		} else if ((v = ct_opt_value(argc, argv, &i, "--min-time"))) {
			if (ct_parse_double(v, 0.0001, 3600, &o->min_time) != 0)
				ct_die("--min-time %s: not a time in seconds (0.0001 to 3600)", v);
			have_min = 1;
		} else if ((v = ct_opt_value(argc, argv, &i, "--timeout"))) {
			if (ct_parse_double(v, 0.1, 86400, &o->timeout) != 0)
				ct_die("--timeout %s: not a time in seconds (0.1 to 86400)", v);
		} else if ((v = ct_opt_value(argc, argv, &i, "--out"))) {
			o->out = v;
		} else if (!strncmp(a, "--benchmark_", 12)) {
			if (!strchr(a, '='))
				ct_die("%s: pass Google Benchmark flags as --benchmark_x=value", a);
			o->gb[o->ngb++] = argv[i];
		} else {
			ct_die("run: unknown option '%s' (see contend run --help)", a);
		}
	}
	if (o->synthetic && o->xml)
		ct_die("run: give --synthetic or --xml, not both");
	if ((o->synthetic || o->xml) && !o->dry_run)
		ct_die("run: --synthetic and --xml need --dry-run (threads cannot be pinned on a "
		       "topology that is not this machine)");
	if (quick && full)
		ct_die("run: --quick and --full exclude each other");
	if (o->cpus && o->placement_given)
		ct_die("run: give --placement or --cpus, not both");
	if (o->cpus)
		o->placement = CT_PL_CPUS;
	const struct profile *p = quick ? &profiles[0] : full ? &profiles[2] : &profiles[1];
	o->profile_name = p->name;
	o->profile_flag = p->flag;
	if (!have_reps)
		o->repetitions = p->repetitions;
	if (!have_min)
		o->min_time = p->min_time;
	if (!have_il)
		o->interleave = p->interleave;
}

int ct_cmd_run(int argc, char **argv)
{
	ct_session o;

	parse_options(argc, argv, &o);
	int rc = ct_run_session(&o, argc, argv);
	free(o.gb);
	free(o.threads);
	if (o.filter)
		regfree(&o.re);
	return rc;
}
