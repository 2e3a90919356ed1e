/*
 * lk_work.h - busy work of a given length in ns, for lock_cs (work inside and outside the
 * critical section). A chain of dependent multiply-adds the compiler cannot fold or
 * vectorise, calibrated once per process against the monotonic clock.
 */
#ifndef CONTEND_LK_WORK_H
#define CONTEND_LK_WORK_H

#include <stdint.h>

#include "arch.h"

static inline uint64_t lk_work(uint64_t loops)
{
	uint64_t x = loops;
	for (uint64_t i = 0; i < loops; i++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		__asm__ __volatile__("" : "+r"(x));
	}
	return x;
}

/* Loops per ns (best of three 2^18-loop runs: the fastest is the least disturbed).
 * Call from one thread (the result is cached in a plain static). */
static inline double lk_work_loops_per_ns(void)
{
	static double per_ns;
	if (per_ns > 0)
		return per_ns;
	double best = 0;
	for (int r = 0; r < 3; r++) {
		uint64_t t0 = ct_now_ns();
		uint64_t x = lk_work(1u << 18);
		uint64_t dt = ct_now_ns() - t0;
		ct_do_not_optimize(x);
		double v = (double)(1u << 18) / (double)(dt ? dt : 1);
		best = v > best ? v : best;
	}
	per_ns = best;
	return per_ns;
}

#endif
