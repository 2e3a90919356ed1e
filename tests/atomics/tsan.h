/* tsan.h - scale stress iterations down under ThreadSanitizer (spin-waits between two threads run
 * 100x+ slower there). */
#ifndef CONTEND_TESTS_ATOMICS_TSAN_H
#define CONTEND_TESTS_ATOMICS_TSAN_H
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
#define SCALE(n) (UNDER_TSAN ? (n) / 500 : (n))
#endif
