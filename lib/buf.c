#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
ser_buf_init(ser_buf *b)
{
	memset(b, 0, sizeof *b);
}

static int
fail(ser_buf *b)
{
	b->failed = 1;
	return -1;
}

/* Room for n more bytes and the NUL. */
static int
reserve(ser_buf *b, size_t n)
{
	size_t need, nc;
	char *d;

	if (b->failed)
		return -1;
	if (n > SIZE_MAX - 1 - b->len)
		return fail(b);
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	nc = b->cap ? b->cap : 256;
	while (nc < need)
		nc = nc > SIZE_MAX / 2 ? need : nc * 2;
	d = realloc(b->data, nc);
	if (d == NULL)
		return fail(b);
	b->data = d;
	b->cap = nc;
	return 0;
}

int
ser_buf_add(ser_buf *b, const void *p, size_t n)
{
	if (reserve(b, n) != 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
ser_buf_printf(ser_buf *b, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	if (reserve(b, 0) != 0)
		return -1;
	room = b->cap - b->len;
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, room, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= room) {
		if (reserve(b, (size_t)n) != 0) {
			b->data[b->len] = '\0';
			return -1;
		}
		va_start(ap, fmt);
		n = vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	if (n < 0) {
		b->data[b->len] = '\0';
		return fail(b);
	}
	b->len += (size_t)n;
	return 0;
}

int
ser_buf_check(const ser_buf *b, ser_error *e)
{
	if (b->failed)
		return ser_error_set(e, "out of memory");
	return 0;
}

void
ser_buf_free(ser_buf *b)
{
	free(b->data);
	ser_buf_init(b);
}
