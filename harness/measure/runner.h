/*
 * runner.h - run selected benchmark instances, each in a child process with a deadline,
 * and collect their annotated results (what `contend run` and `contend ab` time).
 */
#ifndef CONTEND_RUNNER_H
#define CONTEND_RUNNER_H

#include <jansson.h>

#include "registry.h"

typedef struct ct_run_opts {
	double min_time;  /* --benchmark_min_time, seconds */
	double timeout;	  /* each child's deadline, seconds */
	long repetitions; /* per instance */
	int interleave;	  /* each repetition its own child, in passes over the instances */
	int ngb;	  /* --benchmark_* flags passed through */
	char **gb;
	const int *order; /* the placement order (OS indices) */
	int norder;
	int pinned; /* threads are bound (placement other than none) */
} ct_run_opts;

typedef struct ct_run_result {
	json_t *benches; /* every entry, annotated, repetitions then aggregates */
	json_t *gb_ctx;	 /* Google Benchmark's context from the first child, or NULL */
	int failed, skipped;
	int pus_used;	 /* how far into the order any benchmark's threads reached */
	int interrupted; /* a SIGINT/SIGTERM arrived: the results so far */
} ct_run_result;

/* SIGINT/SIGTERM: the first stops the running child and ends the run with what finished;
 * the second ends the process at once. */
void ct_runner_signals(void);
int ct_runner_interrupted(void);

void ct_run(ct_instance **sel, int nsel, const ct_run_opts *o, ct_run_result *res);

/* An explicit skip: error_occurred with a message "skipped: ..." (bench.h). */
int ct_result_is_skip(const json_t *b);

#endif
