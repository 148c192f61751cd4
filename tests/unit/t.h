/*
 * t.h - a unit test is a small program that prints TAP ("ok N - what" /
 * "not ok N - what") and exits non-zero if any check failed. tests/run
 * counts the lines. Header-only; include once per test program.
 */
#ifndef SER_T_H
#define SER_T_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

static int t_count, t_failed;

__attribute__((format(printf, 4, 5))) static int
t_check(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	t_count++;
	printf("%sok %d - ", ok ? "" : "not ", t_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!ok) {
		printf("\n# failed at %s:%d", file, line);
		t_failed++;
	}
	putchar('\n');
	fflush(stdout);
	return ok;
}

/* CHECK(cond, "printf-style description", ...) */
#define CHECK(cond, ...) t_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* |got - want| <= max(abs_tol, rel_tol * |want|) */
#define CHECK_NEAR(got, want, rel_tol, abs_tol, ...)                                       \
	t_check(fabs((double)(got) - (double)(want)) <=                                     \
	                fmax((abs_tol), (rel_tol) * fabs((double)(want))),                  \
	        __FILE__, __LINE__, __VA_ARGS__)

static int
t_done(void)
{
	printf("1..%d\n", t_count);
	return t_failed ? 1 : 0;
}

#endif
