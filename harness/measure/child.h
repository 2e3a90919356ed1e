/*
 * child.h - run one instance in a child process with a deadline (child.c).
 */
#ifndef CONTEND_CHILD_H
#define CONTEND_CHILD_H

#include <jansson.h>

#include "runner.h"

struct ct_child_outcome {
	json_t *msg;	    /* the child's message {"gbench", "pus", "positions"}, or NULL */
	char error[512];    /* why it failed, when msg is NULL */
	double child_cpu_s; /* CPU time of the child */
	int interrupted;
};

/* Run inst with nreps repetitions in a child, within o->timeout. */
void ct_child_run(const ct_instance *inst, const ct_run_opts *o, long nreps,
		  struct ct_child_outcome *out);

/* The interleaved repetitions' aggregates (mean, median, stddev, cv), as Google Benchmark
 * writes them, appended to out (aggregates.c). */
void ct_add_aggregates(json_t *out, json_t *reps);

#endif
