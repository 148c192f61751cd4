#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
ser_error_set(ser_error *e, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

void
ser_error_prefix(ser_error *e, const char *prefix)
{
	size_t pn, mn;

	if (e == NULL || prefix == NULL)
		return;
	pn = strlen(prefix);
	if (pn > SER_ERROR_MAX / 2)
		pn = SER_ERROR_MAX / 2;
	mn = strnlen(e->msg, SER_ERROR_MAX - 1);
	if (pn + 2 + mn > SER_ERROR_MAX - 1)
		mn = SER_ERROR_MAX - 1 - pn - 2; /* keep the prefix, cut the tail */
	memmove(e->msg + pn + 2, e->msg, mn);
	memcpy(e->msg, prefix, pn);
	e->msg[pn] = ':';
	e->msg[pn + 1] = ' ';
	e->msg[pn + 2 + mn] = '\0';
}
