/*
 * tests/lib/check.h - the one check macro of the C tests.
 *
 *   CHECK(cond);                      on failure: "FAIL file:line: cond"
 *   CHECK(cond, "fmt", args...);      ... then ": " and the formatted message
 *   return ct_check_status("name");   at the end of main: prints "name: ok" and returns 0,
 *                                     or the failure count and returns 1
 *   ct_check_skip("why")              prints "SKIP: why" and exits 77, which ctest shows
 *                                     as skipped (the test's SKIP_RETURN_CODE)
 *
 * A failed check counts and goes on, so one run shows every failure; ct_check_failures is
 * the count so far.
 */
#ifndef CONTEND_TESTS_LIB_CHECK_H
#define CONTEND_TESTS_LIB_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int ct_check_failures;

static inline void ct_check_fail_(const char *file, int line, const char *cond, const char *fmt,
				  ...)
{
	fprintf(stderr, "FAIL %s:%d: %s", file, line, cond);
	if (fmt[0]) {
		va_list ap;
		fputs(": ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
	}
	fputc('\n', stderr);
	ct_check_failures++;
}

/* CHECK(cond) or CHECK(cond, fmt, ...): the "" closes an empty message or is ignored */
#define CHECK(...) CT_CHECK_(__VA_ARGS__, "")
#define CT_CHECK_(cond, ...)                                                                       \
	do {                                                                                       \
		if (!(cond))                                                                       \
			ct_check_fail_(__FILE__, __LINE__, #cond, __VA_ARGS__);                    \
	} while (0)

static inline int ct_check_status(const char *name)
{
	if (ct_check_failures) {
		fprintf(stderr, "%s: %d check(s) failed\n", name, ct_check_failures);
		return 1;
	}
	printf("%s: ok\n", name);
	return 0;
}

static inline void ct_check_skip(const char *why)
{
	printf("SKIP: %s\n", why);
	fflush(stdout);
	exit(77);
}

#endif
