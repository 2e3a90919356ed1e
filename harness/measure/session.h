/*
 * session.h - one `contend run` from its options to its results file and exit status.
 */
#ifndef CONTEND_SESSION_H
#define CONTEND_SESSION_H

#include <regex.h>

#include "topology.h"

typedef struct ct_session {
	const char *profile_name;
	unsigned profile_flag; /* CT_QUICK, CT_DEFAULT, or 0: everything */
	const char *filter;
	regex_t re;
	ct_placement placement;
	int placement_given;
	const char *cpus;
	int *threads; /* 0-terminated, or NULL */
	long repetitions;
	int interleave; /* each repetition its own child, in passes over benchmarks */
	double min_time;
	double timeout;
	const char *out;
	int ngb;
	char **gb;	       /* --benchmark_* pass-through */
	int dry_run;	       /* list what would run and the estimate; run nothing */
	const char *synthetic; /* --dry-run on a topology we do not have (hwloc synthetic) */
	const char *xml;       /* ... or an hwloc XML file */
} ct_session;

/*
 * Run the selection and write the results (the path on stdout, the summary on stderr).
 * argc/argv are the command's, recorded in the context. Returns the exit status: 0 all
 * ran, 1 some failed, 2 bad input (after a one-line message), 130 interrupted.
 */
int ct_run_session(const ct_session *o, int argc, char **argv);

#endif
