/*
 * plan.c - the run's time estimate (plan.h).
 *
 * The model, per instance: PROCESS_S for each child process (fork, Google Benchmark's
 * start-up, the two round-trip probes around it, reading its JSON back), plus min_time x
 * FIRST_REP for the first repetition of each process (Google Benchmark grows the iteration
 * count about 10x at a time until a run passes min_time, then runs about 1.4x min_time:
 * the growth runs and the final one) and min_time x NEXT_REP for each further repetition
 * in the same process (it reuses the count found). Interleaved runs start one process per
 * repetition, each with its growth. The c2c matrix at the end (at most 64 pairs) and the
 * start-up are below a second and left out; thread creation is not modelled per thread.
 *
 * Measured on this machine (AMD EPYC Zen 4, 2 vCPU KVM, 2026-12) with the quick profile's
 * 90 instances (every family), wall time of `contend run --quick`:
 *   min time 0.02 s, 1 rep: 4.90 s   -> 54.4 ms an instance
 *   min time 0.05 s, 1 rep: 8.69 s   -> 96.6 ms: FIRST_REP (96.6 - 54.4) / 30 = 1.41,
 *                                       PROCESS_S 54.4 - 20 x 1.41 = 26 ms
 *   min time 0.02 s, 3 reps: 9.76 s  -> 108 ms: NEXT_REP (108 - 54.4) / 2 / 20 = 1.35
 * (min time 0.001 s: 10 ms an instance; growth stops early there, so the fixed cost is
 * taken where min times are used.) Checked against a default-profile run (346 instances,
 * 5 x 0.1 s): estimated 245 s, measured 291 s while a build ran beside it. One family
 * alone differs more: 80 atomic_load/atomic_faa instances took 3.7 x min time for the
 * first repetition (two threads on CPU time).
 */
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>

#include "arch.h"

#define PROCESS_S 0.026
#define FIRST_REP 1.41
#define NEXT_REP  1.35

double ct_plan_instance_s(const ct_instance *inst, double min_time, long reps, int interleave)
{
	(void)inst;
	if (reps < 1)
		reps = 1;
	if (interleave)
		return (double)reps * (PROCESS_S + min_time * FIRST_REP);
	return PROCESS_S + min_time * (FIRST_REP + (double)(reps - 1) * NEXT_REP);
}

double ct_plan_total_s(ct_instance *const *sel, int nsel, double min_time, long reps,
		       int interleave)
{
	double t = 0;

	for (int i = 0; i < nsel; i++)
		t += ct_plan_instance_s(sel[i], min_time, reps, interleave);
	return t;
}

void ct_plan_format(double s, char *out, size_t outlen)
{
	long t = s < 0 ? 0 : (long)(s + 0.5);

	if (t >= 3600)
		snprintf(out, outlen, "%ldh%02ldm", t / 3600, t / 60 % 60);
	else if (t >= 60)
		snprintf(out, outlen, "%ldm%02lds", t / 60, t % 60);
	else
		snprintf(out, outlen, "%lds", t);
}

/* --- the run's clock --------------------------------------------------------------------*/

static double *step_s; /* estimate of each step, in the runner's order */
static int nsteps;
static double total_s;
static uint64_t start_ns;

double ct_plan_begin(ct_instance *const *sel, int nsel, double min_time, long reps, int interleave)
{
	free(step_s);
	nsteps = interleave ? nsel * (int)reps : nsel;
	step_s = calloc((size_t)(nsteps > 0 ? nsteps : 1), sizeof(double));
	if (!step_s)
		abort();
	for (int k = 0; k < nsteps; k++)
		step_s[k] = interleave ? ct_plan_instance_s(sel[k % nsel], min_time, 1, 1)
				       : ct_plan_instance_s(sel[k], min_time, reps, 0);
	total_s = 0;
	for (int k = 0; k < nsteps; k++)
		total_s += step_s[k];
	start_ns = ct_now_ns();
	return total_s;
}

void ct_plan_step(int k, char *out, size_t outlen)
{
	double done = 0, elapsed = (double)(ct_now_ns() - start_ns) / 1e9;
	char e[32], r[32];

	for (int i = 0; i < k && i < nsteps; i++)
		done += step_s[i];
	/* what is left at the pace seen so far (bounded: early steps say little) */
	double pace = done > 0 ? elapsed / done : 1;
	pace = pace < 0.5 ? 0.5 : pace > 2 ? 2 : pace;
	ct_plan_format(elapsed, e, sizeof(e));
	ct_plan_format((total_s - done) * pace, r, sizeof(r));
	snprintf(out, outlen, "elapsed %s, ~%s left", e, r);
}

void ct_plan_print(ct_instance *const *sel, int nsel, double min_time, long reps, int interleave,
		   const char *what)
{
	char t[32];

	for (int i = 0; i < nsel; i++) {
		ct_plan_format(ct_plan_instance_s(sel[i], min_time, reps, interleave), t,
			       sizeof(t));
		printf("%s\t%d\t%s\n", sel[i]->name, sel[i]->threads, t);
	}
	double total = ct_plan_total_s(sel, nsel, min_time, reps, interleave);
	ct_plan_format(total, t, sizeof(t));
	printf("%d instance%s, %ld rep%s, min time %g s%s, on %s: estimated %s (%.0f s)\n", nsel,
	       nsel == 1 ? "" : "s", reps, reps == 1 ? "" : "s", min_time,
	       interleave ? ", interleaved" : "", what, t, total);
}
