/* lk_test.h - small helpers shared by the locks tests. */
#ifndef CONTEND_LK_TEST_H
#define CONTEND_LK_TEST_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* testcpu.h: CPU_COUNT; so include this header first */
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "testcpu.h"
#include "lib/check.h"

/* TSan runs 5-20x slower: scale the stress down there (it checks the races instead). */
#if defined(__SANITIZE_THREAD__)
#define LK_TEST_SCALE 10
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LK_TEST_SCALE 10
#endif
#endif
#ifndef LK_TEST_SCALE
#define LK_TEST_SCALE 1
#endif

/* Threads for a stress: at least 2 (to contend), at most the CPUs it may run on (a FIFO
 * spinlock with more threads than CPUs waits a scheduler tick per handoff) and 4. */
static inline int lk_test_threads(void)
{
	int n = ct_test_cpus();
	return n < 2 ? 2 : n > 4 ? 4 : n;
}

/* Iterations of a stress: n, less under TSan, and on one CPU (where the two threads of
 * a FIFO spinlock hand over once per time slice) a thousandth. Once, in main: a syscall. */
static inline int lk_iters(int n)
{
	return (int)ct_test_iters(n / LK_TEST_SCALE, 1000);
}

static inline void lk_test_run(int n, void *(*fn)(void *), void *args, size_t argsize)
{
	pthread_t t[16];
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, fn, (char *)args + (size_t)i * argsize)) {
			perror("pthread_create");
			exit(2);
		}
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
}

#endif
