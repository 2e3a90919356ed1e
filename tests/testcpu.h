/*
 * testcpu.h - the CPUs a stress test really has: its affinity mask, not the machine's count
 * (ctest may run it under taskset, CI in a cpuset). With one CPU, threads that hand work to
 * each other run by turns: the spin-waits of the suite then yield after CT_SPIN_YIELD_NS, so
 * a handoff costs tens of microseconds instead of nanoseconds, and a stress scales its
 * iterations down rather than run for minutes. Call these once, before the threads start:
 * each is a system call.
 */
#ifndef CONTEND_TESTS_TESTCPU_H
#define CONTEND_TESTS_TESTCPU_H

#include <sched.h>

static inline int ct_test_cpus(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return 1;
	int n = CPU_COUNT(&set);
	return n > 0 ? n : 1;
}

/* The n-th CPU (modulo their count) of the affinity mask, for a test that must place its
 * threads: -1 when the mask cannot be read. */
static inline int ct_test_cpu_nth(int n)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) != 0 || CPU_COUNT(&set) == 0)
		return -1;
	n %= CPU_COUNT(&set);
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set) && n-- == 0)
			return cpu;
	return -1;
}

/* n iterations of a stress, or n / one_cpu_div (at least 1 when n was) on one CPU. */
static inline long long ct_test_iters(long long n, long long one_cpu_div)
{
	if (ct_test_cpus() >= 2 || n <= 0)
		return n;
	return n / one_cpu_div > 0 ? n / one_cpu_div : 1;
}

#endif
