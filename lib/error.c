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
	char tmp[SER_ERROR_MAX];

	if (e == NULL || prefix == NULL)
		return;
	snprintf(tmp, sizeof tmp, "%s: %s", prefix, e->msg);
	memcpy(e->msg, tmp, sizeof tmp);
}
