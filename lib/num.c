#include "num.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Quote at most 40 bytes of untrusted text, replacing control bytes; returns
 * dst. Called only on the error paths: parsing itself is hot. */
static char *
quote(char *dst, size_t dn, const char *s, size_t n)
{
	size_t i, j = 0;

	for (i = 0; i < n && i < 40 && j + 2 < dn; i++) {
		unsigned char c = (unsigned char)s[i];
		dst[j++] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
	}
	if (i < n && j + 4 < dn) {
		dst[j++] = '.';
		dst[j++] = '.';
		dst[j++] = '.';
	}
	dst[j] = '\0';
	return dst;
}

int
ser_parse_double_n(const char *s, size_t n, double lo, double hi, double *out, ser_error *e)
{
	char buf[128], q[64];
	char *end;
	double v;
	size_t i;

	if (n == 0)
		return ser_error_set(e, "empty value where a number is expected");
	if (n >= sizeof buf)
		return ser_error_set(e, "'%s' is not a number (too long)", quote(q, sizeof q, s, n));
	for (i = 0; i < n; i++) {
		char c = s[i];
		/* Digits, sign, point and exponent only: rules out "nan", "inf",
		 * hex floats, spaces and anything locale-specific. */
		if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'))
			return ser_error_set(e, "'%s' is not a number", quote(q, sizeof q, s, n));
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (end == buf || *end != '\0')
		return ser_error_set(e, "'%s' is not a number", quote(q, sizeof q, s, n));
	if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL))
		return ser_error_set(e, "'%s' is out of range", quote(q, sizeof q, s, n));
	if (!isfinite(v))
		return ser_error_set(e, "'%s' is not a finite number", quote(q, sizeof q, s, n));
	if (errno == ERANGE)
		v = 0.0; /* underflow to a subnormal or zero: keep the tiny value as 0 */
	if (v < lo || v > hi)
		return ser_error_set(e, "'%s' is out of range [%g, %g]", quote(q, sizeof q, s, n), lo, hi);
	*out = v;
	return 0;
}

int
ser_parse_double(const char *s, double lo, double hi, double *out, ser_error *e)
{
	if (s == NULL)
		return ser_error_set(e, "missing value where a number is expected");
	return ser_parse_double_n(s, strlen(s), lo, hi, out, e);
}

int
ser_parse_i64_n(const char *s, size_t n, int64_t lo, int64_t hi, int64_t *out, ser_error *e)
{
	char q[64];
	size_t i = 0;
	int neg = 0;
	uint64_t acc = 0, lim;
	int64_t v;

	if (n == 0)
		return ser_error_set(e, "empty value where an integer is expected");
	if (s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == n)
		return ser_error_set(e, "'%s' is not an integer", quote(q, sizeof q, s, n));
	lim = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		unsigned d;
		if (s[i] < '0' || s[i] > '9')
			return ser_error_set(e, "'%s' is not an integer", quote(q, sizeof q, s, n));
		d = (unsigned)(s[i] - '0');
		if (acc > (lim - d) / 10)
			return ser_error_set(e, "'%s' is out of range [%lld, %lld]", quote(q, sizeof q, s, n), (long long)lo, (long long)hi);
		acc = acc * 10 + d;
	}
	if (neg)
		v = acc == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)acc;
	else
		v = (int64_t)acc;
	if (v < lo || v > hi)
		return ser_error_set(e, "'%s' is out of range [%lld, %lld]", quote(q, sizeof q, s, n), (long long)lo, (long long)hi);
	*out = v;
	return 0;
}

int
ser_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out, ser_error *e)
{
	if (s == NULL)
		return ser_error_set(e, "missing value where an integer is expected");
	return ser_parse_i64_n(s, strlen(s), lo, hi, out, e);
}

char *
ser_fmt_double(char *buf, size_t n, double v)
{
	snprintf(buf, n, "%.17g", v);
	return buf;
}

char *
ser_fmt_float(char *buf, size_t n, double v)
{
	snprintf(buf, n, "%.9g", v);
	return buf;
}
