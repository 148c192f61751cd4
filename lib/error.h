/*
 * error.h - the one error carrier of libser.
 *
 * Every fallible lib/ function takes a `ser_error *` (may be NULL) and, on
 * failure, writes one human sentence into it and returns a failure code.
 * lib/ never prints and never exits; cmd/ decides what to do with the text.
 */
#ifndef SER_ERROR_H
#define SER_ERROR_H

#include <stddef.h>

#define SER_ERROR_MAX 512

typedef struct ser_error {
	char msg[SER_ERROR_MAX];
} ser_error;

/* Format a message into e (if e is not NULL). Always returns -1, so callers
 * can write `return ser_error_set(e, "...")`. */
int ser_error_set(ser_error *e, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* Prefix the existing message with "prefix: " (e.g. a file name). */
void ser_error_prefix(ser_error *e, const char *prefix);

#endif
