/*
 * ab.h - `contend ab`'s core: two contend programs measured benchmark by benchmark, each
 * pair of runs seconds apart, and a paired verdict.
 */
#ifndef CONTEND_AB_H
#define CONTEND_AB_H

#include "compare.h"

struct ct_ab_opts {
	const char *prog[2]; /* OLD, NEW */
	char **run_args;     /* given to both programs' `run` (placement, min time ...) */
	int nrun;
	const char *filter;	 /* POSIX ERE over (new) names, or NULL: the profile's */
	char profile;		 /* 'q' quick, 'd' default, 'f' full (without a filter) */
	long rounds;		 /* pairs per benchmark; 0: the fewest with 2^-N <= alpha/(4 M) */
	const char *outdir;	 /* where each run's results and log go */
	struct ct_decide_opts o; /* metric (declared unless given), threshold, alpha */
};

/*
 * Run the comparison into rep (rows, labels, notes; finalized). Each program is asked for
 * its benchmarks (`list`); an older contend's names are read through the rename map, so
 * OLD may predate the rename. For each round, for each benchmark: `PROG run --filter
 * '^NAME$' --repetitions 1` for old and new, in alternating order. Fatal (ct_die) on bad
 * input or a program that cannot be run or read.
 */
void ct_ab(const struct ct_ab_opts *a, struct ct_report *rep);

/* Interrupted by SIGINT/SIGTERM: ct_ab passes the signal to the running program and dies. */
void ct_ab_signals(void);

#endif
