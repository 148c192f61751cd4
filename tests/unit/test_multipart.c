/*
 * test_multipart.c - the multipart/form-data parser (lib/multipart.h):
 * boundaries out of Content-Type (RFC 2046 rules), bodies fed whole and in
 * every piece size from 1 byte, preamble/epilogue, padding, limits, and
 * malformed bodies.
 */
#include <stdlib.h>
#include <string.h>

#include "multipart.h"
#include "t.h"

#define MAXP 8

typedef struct coll {
	unsigned nparts, nend;
	char name[MAXP][SER_MULTIPART_NAME_MAX];
	char filename[MAXP][SER_MULTIPART_FILENAME_MAX];
	int has_filename[MAXP];
	char ctype[MAXP][SER_MULTIPART_CTYPE_MAX];
	unsigned char data[MAXP][512];
	size_t len[MAXP];
	int fail_on_begin;
} coll;

static int
c_begin(void *ctx, const ser_multipart_part *p, ser_error *e)
{
	coll *c = ctx;

	if (c->fail_on_begin)
		return ser_error_set(e, "callback says no");
	if (c->nparts < MAXP) {
		strcpy(c->name[c->nparts], p->name);
		strcpy(c->filename[c->nparts], p->filename);
		strcpy(c->ctype[c->nparts], p->content_type);
		c->has_filename[c->nparts] = p->has_filename;
	}
	c->nparts++;
	return 0;
}

static int
c_data(void *ctx, const unsigned char *b, size_t n, ser_error *e)
{
	coll *c = ctx;
	unsigned i = c->nparts - 1;

	if (i < MAXP) {
		if (c->len[i] + n > sizeof c->data[i])
			return ser_error_set(e, "test buffer full");
		memcpy(c->data[i] + c->len[i], b, n);
		c->len[i] += n;
	}
	return 0;
}

static int
c_end(void *ctx, ser_error *e)
{
	((coll *)ctx)->nend++;
	return 0;
}

static const ser_multipart_callbacks cbs = { c_begin, c_data, c_end };

/* Parse body fed in pieces of `step` bytes (0: whole). */
static int
parse_steps(const char *boundary, const char *body, size_t n, size_t step, coll *c, ser_error *e)
{
	ser_multipart *m = ser_multipart_new(boundary, NULL, &cbs, c, e);
	size_t i;
	int r = 0;

	if (m == NULL)
		return -1;
	if (step == 0)
		step = n ? n : 1;
	for (i = 0; i < n && r == 0; i += step)
		r = ser_multipart_feed(m, (const unsigned char *)body + i, n - i < step ? n - i : step, e);
	if (r == 0)
		r = ser_multipart_finish(m, e);
	ser_multipart_free(m);
	return r;
}

static int
parse(const char *boundary, const char *body, coll *c, ser_error *e)
{
	memset(c, 0, sizeof *c);
	return parse_steps(boundary, body, strlen(body), 0, c, e);
}

static void
test_boundary(void)
{
	char b[SER_MULTIPART_BOUNDARY_MAX + 1];
	char long70[128], ct[256];
	ser_error e;

	CHECK(ser_multipart_boundary("multipart/form-data; boundary=abc", b, sizeof b, &e) == 0 &&
	          strcmp(b, "abc") == 0, "plain boundary");
	CHECK(ser_multipart_boundary("Multipart/Form-Data;BOUNDARY=\"a b:c\"", b, sizeof b, &e) == 0 &&
	          strcmp(b, "a b:c") == 0, "quoted boundary, names in any case, no space after ;");
	CHECK(ser_multipart_boundary("multipart/form-data; charset=utf-8; boundary=----x1", b, sizeof b, &e) == 0 &&
	          strcmp(b, "----x1") == 0, "boundary not the first parameter");
	CHECK(ser_multipart_boundary("multipart/form-data; boundary=\"q\\\"x\"", b, sizeof b, &e) == -2,
	      "a quote is not a bchar");
	CHECK(ser_multipart_boundary("text/plain; boundary=abc", b, sizeof b, &e) == -1, "other type: -1");
	CHECK(ser_multipart_boundary("multipart/mixed; boundary=abc", b, sizeof b, &e) == -1, "multipart/mixed: -1");
	CHECK(ser_multipart_boundary(NULL, b, sizeof b, &e) == -1, "no content type: -1");
	CHECK(ser_multipart_boundary("multipart/form-data", b, sizeof b, &e) == -2, "missing boundary: -2");
	CHECK(ser_multipart_boundary("multipart/form-data; boundary=", b, sizeof b, &e) == -2, "empty boundary");
	CHECK(ser_multipart_boundary("multipart/form-data; boundary=\"\"", b, sizeof b, &e) == -2, "empty quoted boundary");
	CHECK(ser_multipart_boundary("multipart/form-data; boundary=\"ab \"", b, sizeof b, &e) == -2, "boundary ending in space");
	CHECK(ser_multipart_boundary("multipart/form-data; boundary=\"abc", b, sizeof b, &e) == -2, "unterminated quote");
	CHECK(ser_multipart_boundary("multipart/form-data; boundary=a; boundary=b", b, sizeof b, &e) == -2 &&
	          strstr(e.msg, "twice") != NULL, "duplicated boundary");
	memset(long70, 'x', 70);
	long70[70] = '\0';
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", long70);
	CHECK(ser_multipart_boundary(ct, b, sizeof b, &e) == 0 && strlen(b) == 70, "70-char boundary accepted");
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%sy", long70);
	CHECK(ser_multipart_boundary(ct, b, sizeof b, &e) == -2, "71-char boundary refused");
	CHECK(ser_multipart_boundary("multipart/form-data; boundary=ab\x01", b, sizeof b, &e) == -2, "control char");
	CHECK(ser_multipart_new("", NULL, &cbs, NULL, &e) == NULL, "parser refuses an empty boundary");
}

static const char body1[] =
	"This is the preamble.\r\n"
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=\"note\"\r\n"
	"\r\n"
	"hello\r\n"
	"--XyZ   \r\n"
	"content-type: audio/wav\r\n"
	"CONTENT-DISPOSITION: form-data; filename=\"../../etc/passwd\"; name=file\r\n"
	"X-Other: ignored\r\n"
	"\r\n"
	"\r\n--XyZ is not here\r\n--Xy\r\r\n-\r\n--XyZZ-binary\0data\r\n"
	"--XyZ--\r\n"
	"epilogue --XyZ garbage";

static void
test_body(void)
{
	size_t step;
	int all_ok;
	coll c;
	ser_error e;

	/* A well-formed body with tricky near-delimiters, every piece size. */
	{
		static const char b2[] =
			"preamble\r\n--XyZ\r\n"
			"Content-Disposition: form-data; name=\"note\"\r\n\r\n"
			"hello\r\n"
			"--XyZ \t \r\n"
			"content-type: audio/wav\r\n"
			"CONTENT-DISPOSITION: form-data; filename=\"../../etc/passwd\"; name=file\r\n"
			"X-Other: ignored\r\n\r\n"
			"\r\n--XY\r\n--Xy\r\r\n-\r\n\r\r\n--\r\n--Xy\0bin\r"
			"\r\n--XyZ--\r\nepilogue\r\n--XyZ\r\nContent-Disposition: junk\r\n\r\n";
		static const char d2[] = "\r\n--XY\r\n--Xy\r\r\n-\r\n\r\r\n--\r\n--Xy\0bin\r";
		size_t n2 = sizeof b2 - 1, d2n = sizeof d2 - 1;

		all_ok = 1;
		for (step = 0; step <= 41; step++) {
			int r;
			memset(&c, 0, sizeof c);
			r = parse_steps("XyZ", b2, n2, step, &c, &e);
			if (r != 0 || c.nparts != 2 || c.nend != 2 || strcmp(c.name[0], "note") != 0 ||
			    c.len[0] != 5 || memcmp(c.data[0], "hello", 5) != 0 ||
			    strcmp(c.name[1], "file") != 0 || !c.has_filename[1] ||
			    strcmp(c.filename[1], "../../etc/passwd") != 0 ||
			    strcmp(c.ctype[1], "audio/wav") != 0 || c.has_filename[0] ||
			    c.len[1] != d2n || memcmp(c.data[1], d2, d2n) != 0) {
				all_ok = 0;
				printf("# step %zu: r=%d parts=%u msg=%s len1=%zu\n", step, r, c.nparts,
				       r ? e.msg : "", c.len[1]);
				break;
			}
		}
		CHECK(all_ok, "two parts, near-delimiters in data, pieces of 1..41 bytes and whole");
	}

	CHECK(parse("XyZ", body1, &c, &e) == -1 && strstr(e.msg, "followed by other text") != NULL,
	      "boundary followed by other characters is malformed");

	CHECK(parse("b", "--b\r\nContent-Disposition: form-data; name=file; filename=\"\"\r\n\r\n\r\n--b--", &c, &e) == 0 &&
	          c.nparts == 1 && c.len[0] == 0 && c.has_filename[0] && c.filename[0][0] == '\0',
	      "empty part, empty filename, no CRLF after close");
	CHECK(parse("b", "--b--\r\n", &c, &e) == 0 && c.nparts == 0, "zero parts is well-formed");
	CHECK(parse("b", "", &c, &e) == -1 && strstr(e.msg, "no multipart boundary") != NULL, "empty body");
	CHECK(parse("b", "no delimiter at all", &c, &e) == -1, "no delimiter");
	CHECK(parse("b", "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nxyz", &c, &e) == -1 &&
	          strstr(e.msg, "close delimiter") != NULL, "missing close delimiter");
	CHECK(parse("b", "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nxyz\r\n--b\r\n", &c, &e) == -1,
	      "missing close delimiter after an open one");
	CHECK(parse("b", "--b\r\nContent-Type: text/plain\r\n\r\nxyz\r\n--b--", &c, &e) == -1 &&
	          strstr(e.msg, "no Content-Disposition") != NULL, "no Content-Disposition");
	CHECK(parse("b", "--b\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--b--", &c, &e) == -1,
	      "not form-data");
	CHECK(parse("b", "--b\r\nContent-Disposition: form-data; filename=a\r\n\r\nx\r\n--b--", &c, &e) == -1 &&
	          strstr(e.msg, "no field name") != NULL, "no name");
	CHECK(parse("b", "--b\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nx\r\n--b--", &c, &e) == -1,
	      "name twice");
	CHECK(parse("b", "--b\r\nContent-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b\r\n\r\nx\r\n--b--", &c, &e) == -1,
	      "Content-Disposition twice");
	CHECK(parse("b", "--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--b--", &c, &e) == -1,
	      "unterminated quoted name");
	CHECK(parse("b", "--b\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b--", &c, &e) == -1,
	      "bare LF after delimiter");
	CHECK(parse("b", "--b\r\nContent-Disposition: form-data; name=a\n\r\nx\r\n--b--", &c, &e) == -1,
	      "bare LF in headers");
	CHECK(parse("b", "--b\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\nx\r\n--b--", &c, &e) == -1,
	      "folded header");
	CHECK(parse("b", "--b\r\nContent-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: base64\r\n\r\nx\r\n--b--", &c, &e) == -1,
	      "base64 transfer encoding refused");
	CHECK(parse("b", "--b\r\nContent-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: binary\r\n\r\nx\r\n--b--", &c, &e) == 0,
	      "binary transfer encoding accepted");
	CHECK(parse("b", "--b\r\nContent-Disposition: form-data; name=\"a\\\"q\"; filename*=UTF-8''x%20y\r\n\r\nx\r\n--b--", &c, &e) == 0 &&
	          strcmp(c.name[0], "a\"q") == 0, "quoted-pair in name, filename* ignored");
	CHECK(parse("b", "--b\r\nContent-Disposition: form-data; name=a\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\nx\r\n--c--\r\n--b--", &c, &e) == 0 &&
	          c.nparts == 1 && c.len[0] == 13 && memcmp(c.data[0], "--c\r\nx\r\n--c--", 13) == 0, "nested multipart is data, not parsed");

	memset(&c, 0, sizeof c);
	c.fail_on_begin = 1;
	{
		ser_multipart *m = ser_multipart_new("b", NULL, &cbs, &c, &e);
		const char *s = "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b--";
		int r = ser_multipart_feed(m, (const unsigned char *)s, strlen(s), &e);
		CHECK(r == -1 && ser_multipart_failed_in_callback(m) && strcmp(e.msg, "callback says no") == 0,
		      "a callback's failure stops the parse and keeps its message");
		CHECK(ser_multipart_feed(m, (const unsigned char *)"x", 1, &e) == -1, "spent parser refuses more");
		ser_multipart_free(m);
	}
}

static void
test_limits(void)
{
	ser_multipart_limits lim;
	ser_multipart *m;
	coll c;
	ser_error e;
	char *big;
	size_t i, n;
	int r;

	/* header line of 64 KiB against the 8 KiB default */
	n = 65536 + 200;
	big = malloc(n);
	strcpy(big, "--b\r\nContent-Disposition: form-data; name=a\r\nX-Long: ");
	i = strlen(big);
	memset(big + i, 'a', 65536);
	i += 65536;
	memcpy(big + i, "\r\n\r\nx\r\n--b--", 13);
	memset(&c, 0, sizeof c);
	CHECK(parse("b", big, &c, &e) == -1 && strstr(e.msg, "too long") != NULL, "64 KiB header line refused");
	free(big);

	/* 100 000 parts against the 64 default: stops at the 65th */
	{
		static const char part[] = "--b\r\nContent-Disposition: form-data; name=p\r\n\r\nx\r\n";
		size_t pn = sizeof part - 1, count = 100000;
		big = malloc(pn * count + 8);
		for (i = 0; i < count; i++)
			memcpy(big + i * pn, part, pn);
		memcpy(big + count * pn, "--b--", 6);
		memset(&c, 0, sizeof c);
		m = ser_multipart_new("b", NULL, &cbs, &c, &e);
		r = ser_multipart_feed(m, (unsigned char *)big, count * pn + 5, &e);
		CHECK(r == -1 && strstr(e.msg, "too many parts") != NULL && c.nparts == 64,
		      "100000 parts refused after 64 (got %u)", c.nparts);
		ser_multipart_free(m);
		free(big);
	}

	/* a configured limit of 2 parts */
	ser_multipart_limits_default(&lim);
	lim.parts_max = 2;
	lim.headers_max = 2;
	memset(&c, 0, sizeof c);
	{
		const char *s = "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b\r\n"
		                "Content-Disposition: form-data; name=b\r\n\r\n2\r\n--b--";
		CHECK(ser_multipart_parse("b", (const unsigned char *)s, strlen(s), &lim, &cbs, &c, &e) == 0 &&
		          c.nparts == 2, "two parts within a limit of two");
		s = "--b\r\nContent-Disposition: form-data; name=a\r\nA: 1\r\nB: 2\r\n\r\n1\r\n--b--";
		memset(&c, 0, sizeof c);
		CHECK(ser_multipart_parse("b", (const unsigned char *)s, strlen(s), &lim, &cbs, &c, &e) == -1 &&
		          strstr(e.msg, "too many header") != NULL, "three header lines over a limit of two");
	}
}

int
main(void)
{
	test_boundary();
	test_body();
	test_limits();
	return t_done();
}
