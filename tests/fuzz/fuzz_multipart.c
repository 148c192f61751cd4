/*
 * fuzz_multipart.c - libFuzzer target for lib/multipart.c, the parser the
 * CGI program (ser-cgi) runs on every request body.
 *
 * Input: a Content-Type header value, "\n", then the body. The header goes
 * through ser_multipart_boundary() as in ser-cgi; when it yields no boundary,
 * the body is still parsed with boundary "b" so that every input exercises
 * the body parser. The body is fed in pieces whose sizes cycle through a
 * pattern taken from the input's length, so that splits fall everywhere.
 * Callbacks check the parser's promises: data only inside a begun part, name
 * and filename NUL-terminated within their bounds, parts within the limit.
 * Build and run: make fuzz (long), tests/web/fuzz.bats (briefly).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "multipart.h"

typedef struct st {
	int in_part;
	unsigned parts;
	size_t bytes;
} st;

static int
f_begin(void *ctx, const ser_multipart_part *p, ser_error *e)
{
	st *s = ctx;

	if (s->in_part || memchr(p->name, '\0', sizeof p->name) == NULL ||
	    memchr(p->filename, '\0', sizeof p->filename) == NULL ||
	    memchr(p->content_type, '\0', sizeof p->content_type) == NULL)
		abort();
	s->in_part = 1;
	s->parts++;
	return 0;
}

static int
f_data(void *ctx, const unsigned char *b, size_t n, ser_error *e)
{
	st *s = ctx;
	volatile unsigned char sink = 0;
	size_t i;

	if (!s->in_part || n == 0)
		abort();
	for (i = 0; i < n; i++)
		sink ^= b[i]; /* ASan checks every byte is readable */
	(void)sink;
	s->bytes += n;
	return 0;
}

static int
f_end(void *ctx, ser_error *e)
{
	st *s = ctx;

	if (!s->in_part)
		abort();
	s->in_part = 0;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t steps[] = { 1, 3, 7, 64, 4096, 2, 5 };
	ser_multipart_callbacks cb = { f_begin, f_data, f_end };
	char boundary[SER_MULTIPART_BOUNDARY_MAX + 1] = "b";
	const uint8_t *nl = memchr(data, '\n', size);
	size_t hlen = nl ? (size_t)(nl - data) : 0, off, k;
	const uint8_t *body = nl ? nl + 1 : data;
	size_t blen = nl ? size - hlen - 1 : size;
	char *ct = malloc(hlen + 1);
	ser_multipart *m;
	ser_error e;
	st s = { 0, 0, 0 };
	int r = 0;

	if (ct == NULL)
		return 0;
	memcpy(ct, data, hlen);
	ct[hlen] = '\0';
	if (ser_multipart_boundary(ct, boundary, sizeof boundary, &e) != 0)
		strcpy(boundary, "b");
	free(ct);
	if (strlen(boundary) < 1 || strlen(boundary) > SER_MULTIPART_BOUNDARY_MAX)
		abort();
	m = ser_multipart_new(boundary, NULL, &cb, &s, &e);
	if (m == NULL)
		abort(); /* a boundary the header parser accepted must be accepted here */
	for (off = 0, k = size % 7; off < blen && r == 0; k++) {
		size_t n = steps[k % 7];
		if (n > blen - off)
			n = blen - off;
		r = ser_multipart_feed(m, body + off, n, &e);
		off += n;
	}
	if (r == 0)
		r = ser_multipart_finish(m, &e);
	if (s.parts > 64 || s.bytes > blen || (r == 0 && s.in_part))
		abort();
	if (r != 0 && memchr(e.msg, '\0', sizeof e.msg) == NULL)
		abort();
	ser_multipart_free(m);
	return 0;
}
