/*
 * work.h - the two kinds of job work: CPU-bound (spin for W µs of the thread's own CPU time,
 * so that a job preempted by the scheduler still does W µs of work and makespan shows the
 * PUs, not the permits) and blocking (sleep for W µs: the stand-in for I/O).
 */
#ifndef CONTEND_FANOUT_WORK_H
#define CONTEND_FANOUT_WORK_H

#include <time.h>

#include "arch.h"

enum fo_work_kind { FO_WORK_CPU, FO_WORK_SLEEP };

static inline uint64_t fo_thread_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline void fo_spin_cpu_ns(uint64_t ns)
{
	uint64_t end = fo_thread_cpu_ns() + ns;
	unsigned x = 1;
	do {
		for (int i = 0; i < 256; i++) /* ~a few hundred ns between clock reads */
			x = x * 1664525u + 1013904223u;
		ct_do_not_optimize(x);
	} while (fo_thread_cpu_ns() < end);
}

static inline void ap_sleep_ns(uint64_t ns)
{
	struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000u),
			      .tv_nsec = (long)(ns % 1000000000u)};
	while (nanosleep(&ts, &ts) != 0)
		; /* EINTR: sleep the rest */
}

static inline void fo_work(int kind, uint64_t ns)
{
	if (kind == FO_WORK_CPU)
		fo_spin_cpu_ns(ns);
	else
		ap_sleep_ns(ns);
}

#endif
