/*
 * plan.h - how long a run will take: an estimate per instance before it starts (the first
 * line of `contend run`, `contend run --dry-run`), and elapsed/remaining on every progress
 * line.
 */
#ifndef CONTEND_PLAN_H
#define CONTEND_PLAN_H

#include <stddef.h>

#include "registry.h"

/* Seconds one instance takes: its processes (one, or one per repetition interleaved) and
 * its repetitions of min_time, with Google Benchmark's iteration growth. */
double ct_plan_instance_s(const ct_instance *inst, double min_time, long reps, int interleave);
/* The whole selection. */
double ct_plan_total_s(ct_instance *const *sel, int nsel, double min_time, long reps,
		       int interleave);
/* "1h02m", "3m07s", "12s" */
void ct_plan_format(double seconds, char *out, size_t outlen);

/* A run's clock: begin before the first child (returns the estimate), then after step k
 * (1-based, in the runner's order) the text "elapsed 1m02s, ~3m10s left". */
double ct_plan_begin(ct_instance *const *sel, int nsel, double min_time, long reps, int interleave);
void ct_plan_step(int k, char *out, size_t outlen);

/* `contend run --dry-run`: one line per instance (name, threads, estimate) on stdout, then
 * the count and the total. */
void ct_plan_print(ct_instance *const *sel, int nsel, double min_time, long reps, int interleave,
		   const char *what);

#endif
