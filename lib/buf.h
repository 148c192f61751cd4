/*
 * buf.h - THE growable byte buffer: gnuplot scripts, JSON answers, the
 * output of a child process all collect here.
 *
 * A buffer starts zeroed (ser_buf_init or `ser_buf b = {0}`), grows by
 * doubling with every size overflow-checked, and always keeps its text
 * NUL-terminated (data[len] == '\0' once anything was added; data is NULL
 * before). A failure (out of memory, a size that would overflow, an
 * encoding error in printf) is sticky: every later add fails too and the
 * caller checks once, at the end, with ser_buf_check. Bytes added before the
 * failure stay; nothing is half-added.
 */
#ifndef SER_BUF_H
#define SER_BUF_H

#include <stddef.h>

#include "error.h"

typedef struct ser_buf {
	char *data;     /* len bytes + NUL, owned; NULL until the first add */
	size_t len;     /* bytes, NUL excluded */
	size_t cap;     /* bytes allocated */
	int failed;     /* an add failed: every later one fails too */
} ser_buf;

void ser_buf_init(ser_buf *b);
/* Append n bytes of p. Returns 0, or -1 (and b->failed set). */
int ser_buf_add(ser_buf *b, const void *p, size_t n);
/* Append printf-formatted text, of any length. Returns 0 or -1 as above. */
int ser_buf_printf(ser_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* 0 if every add succeeded, else -1 with e set ("out of memory"). */
int ser_buf_check(const ser_buf *b, ser_error *e);
/* Release the memory; b is empty (and usable) again. */
void ser_buf_free(ser_buf *b);

#endif
