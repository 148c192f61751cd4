#include "json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
ser_json_init(ser_json *j)
{
	ser_buf_init(&j->out);
}

static void
append(ser_json *j, const char *s, size_t n)
{
	ser_buf_add(&j->out, s, n);
}

void
ser_json_raw(ser_json *j, const char *s)
{
	append(j, s, strlen(s));
}

/* Length of the well-formed UTF-8 sequence at p (RFC 3629 section 4: no
 * overlongs, no surrogates, nothing past U+10FFFF), or 0. p is
 * NUL-terminated, so a short sequence fails at the NUL. */
static size_t
utf8_len(const unsigned char *p)
{
	unsigned char c = p[0], lo, hi;

	if (c >= 0xc2 && c <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		lo = c == 0xe0 ? 0xa0 : 0x80;
		hi = c == 0xed ? 0x9f : 0xbf;
		return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		lo = c == 0xf0 ? 0x90 : 0x80;
		hi = c == 0xf4 ? 0x8f : 0xbf;
		return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 && (p[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

void
ser_json_str(ser_json *j, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run = 0, n;

	append(j, "\"", 1);
	for (;;) {
		unsigned char c = p[run];
		char esc[8];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			run++;
			continue;
		}
		if (c >= 0x80 && (n = utf8_len(p + run)) > 0) {
			run += n; /* well-formed UTF-8 passes as it is */
			continue;
		}
		append(j, (const char *)p, run);
		p += run;
		run = 0;
		if (c == '\0')
			break;
		if (c == '"')
			append(j, "\\\"", 2);
		else if (c == '\\')
			append(j, "\\\\", 2);
		else if (c == '\n')
			append(j, "\\n", 2);
		else if (c == '\t')
			append(j, "\\t", 2);
		else if (c >= 0x80)
			append(j, "\\ufffd", 6); /* a byte of ill-formed UTF-8 */
		else {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			append(j, esc, 6);
		}
		p++;
	}
	append(j, "\"", 1);
}

void
ser_json_num(ser_json *j, double v)
{
	char b[40];

	if (!isfinite(v)) {
		append(j, "null", 4);
		return;
	}
	snprintf(b, sizeof b, "%.9g", v);
	append(j, b, strlen(b));
}

int
ser_json_finish(const ser_json *j, ser_error *e)
{
	if (ser_buf_check(&j->out, NULL) != 0)
		return ser_error_set(e, "out of memory writing JSON");
	return 0;
}

void
ser_json_free(ser_json *j)
{
	ser_buf_free(&j->out);
}
