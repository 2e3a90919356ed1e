/*
 * testutil.h - small helpers for the fanout and antipatterns tests: a check macro, the
 * process's thread count, and the iteration scale under ThreadSanitizer.
 */
#ifndef CONTEND_TESTS_FANOUT_UTIL_H
#define CONTEND_TESTS_FANOUT_UTIL_H

#include <dirent.h>
#include <time.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "lib/check.h"

#if defined(__SANITIZE_THREAD__)
#define CT_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CT_TSAN 1
#endif
#endif
#ifndef CT_TSAN
#define CT_TSAN 0
#endif

/* Stress iterations: fewer under TSan, which is 5-15x slower. */
#define CT_SCALE(n) (CT_TSAN ? ((n) / 10 > 0 ? (n) / 10 : 1) : (n))

/* Threads of this process now (the entries of /proc/self/task). */
static inline int ct_test_threads_now(void)
{
	DIR *d = opendir("/proc/self/task");
	int n = 0;
	struct dirent *e;
	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* The settled thread count: a thread that was joined may still be listed for a moment
 * while the kernel reaps it, so wait until the count holds still (at most ~0.5 s); a
 * leaked thread stays and is still counted. */
static inline int ct_test_threads(void)
{
	int n = ct_test_threads_now(), same = 0;
	for (int i = 0; i < 250 && same < 5; i++) {
		struct timespec ts = {0, 2000000};
		nanosleep(&ts, NULL);
		int m = ct_test_threads_now();
		same = m == n ? same + 1 : 0;
		n = m;
	}
	return n;
}

static inline void *ct_test_nothing(void *arg)
{
	return arg;
}

/* The thread count to compare against: taken after one thread has been started and
 * joined, so that helper threads a runtime starts lazily (TSan's) are already counted. */
static inline int ct_test_threads_baseline(void)
{
	pthread_t th;
	if (pthread_create(&th, NULL, ct_test_nothing, NULL) == 0)
		pthread_join(th, NULL);
	return ct_test_threads();
}

static inline int ct_test_done(const char *name)
{
	if (ct_check_failures) {
		fprintf(stderr, "%s: %d check(s) failed\n", name, ct_check_failures);
		return 1;
	}
	printf("%s: ok\n", name);
	return 0;
}

#endif
