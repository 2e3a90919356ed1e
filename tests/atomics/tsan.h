/* tsan.h - scale stress iterations down under ThreadSanitizer (spin-waits between two threads run
 * 100x+ slower there) and on one CPU (testcpu.h). Include it before any other header. */
#ifndef CONTEND_TESTS_ATOMICS_TSAN_H
#define CONTEND_TESTS_ATOMICS_TSAN_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* CPU_COUNT */
#endif
#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif
#ifndef UNDER_TSAN
#define UNDER_TSAN 0
#endif
#include "testcpu.h"
#define SCALE(n) ct_test_iters(UNDER_TSAN ? (n) / 500 : (n), 100)
#endif
