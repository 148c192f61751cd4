/*
 * multipart.c - streaming multipart/form-data parser (see multipart.h).
 *
 * The body is read as the RFC 2046 grammar with a CRLF put before its first
 * byte, so that every delimiter, the first included, is "CRLF--boundary":
 *
 *   body      := preamble 1*(delimiter padding CRLF part) delimiter "--" epilogue
 *   delimiter := CRLF "--" boundary
 *   part      := *(header CRLF) CRLF data
 *
 * Boundary characters never include CR, so a partial match of the delimiter
 * can only restart at its first byte: the scanner keeps one counter (bytes of
 * the delimiter matched so far) and never buffers body bytes; on a mismatch
 * the held bytes are known to be the delimiter's own prefix.
 */
#include "multipart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum state {
	ST_PREAMBLE,  /* before the first delimiter: ignored */
	ST_TAIL,      /* just after a delimiter: "--", padding or CRLF */
	ST_DASH,      /* after "-" of a possible close delimiter */
	ST_PAD,       /* transport padding (LWSP) before CRLF */
	ST_CR,        /* CR seen after a delimiter, LF expected */
	ST_HEADERS,   /* a part's header lines */
	ST_BODY,      /* a part's data */
	ST_EPILOGUE,  /* after the close delimiter: ignored */
	ST_DEAD,      /* a failure happened */
};

struct ser_multipart {
	ser_multipart_limits lim;
	ser_multipart_callbacks cb;
	void *ctx;
	unsigned char delim[4 + SER_MULTIPART_BOUNDARY_MAX];
	size_t dlen;
	size_t k;          /* bytes of delim matched so far */
	enum state st;
	char *line;        /* header line being read (lim.header_line_max + 1 bytes) */
	size_t linelen;
	int cr;            /* header line: CR seen, LF expected */
	size_t padlen;
	unsigned nheaders;
	unsigned nparts;
	int have_cd, have_ct;
	ser_multipart_part part;
	int cbfail;
};

void
ser_multipart_limits_default(ser_multipart_limits *l)
{
	l->header_line_max = 8192;
	l->headers_max = 16;
	l->parts_max = 64;
}

/* RFC 7230 section 3.2.6 tchar. */
static int
is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 2046 section 5.1.1 bchars (space allowed, but not last). */
static int
is_bchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return 1;
	return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

static int
ieq(const char *a, size_t an, const char *b)
{
	size_t i, bn = strlen(b);

	if (an != bn)
		return 0;
	for (i = 0; i < an; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

static int
check_boundary(const char *b, size_t n, ser_error *e)
{
	size_t i;

	if (n < 1 || n > SER_MULTIPART_BOUNDARY_MAX)
		return ser_error_set(e, "the multipart boundary must be 1 to 70 characters long");
	for (i = 0; i < n; i++)
		if (!is_bchar((unsigned char)b[i]))
			return ser_error_set(e, "the multipart boundary has a character RFC 2046 does not allow");
	if (b[n - 1] == ' ')
		return ser_error_set(e, "the multipart boundary ends in a space");
	return 0;
}

static size_t
skip_ows(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/*
 * Read the next parameter of a header value (RFC 7231 section 3.1.1.1:
 * *( OWS ";" OWS token "=" ( token / quoted-string ) )) from s[*pos..n).
 * The name is a span of s; the value is unescaped into val (valsz bytes,
 * NUL-terminated, truncated if longer) and its full length put in *vlen.
 * Returns 1 for a parameter, 0 at the end, -1 when malformed.
 */
static int
next_param(const char *s, size_t n, size_t *pos, const char **name, size_t *nlen, char *val,
           size_t valsz, size_t *vlen)
{
	size_t i = skip_ows(s, n, *pos), j = 0, start;

	if (i == n) {
		*pos = i;
		return 0;
	}
	if (s[i] != ';')
		return -1;
	i = skip_ows(s, n, i + 1);
	/* A trailing ";" (some clients send one) ends the list. */
	if (i == n) {
		*pos = i;
		return 0;
	}
	start = i;
	while (i < n && is_tchar((unsigned char)s[i]))
		i++;
	if (i == start || i == n || s[i] != '=')
		return -1;
	*name = s + start;
	*nlen = i - start;
	i++;
	if (i < n && s[i] == '"') {
		for (i++;; i++) {
			unsigned char c;
			if (i >= n)
				return -1; /* unterminated quoted-string */
			c = (unsigned char)s[i];
			if (c == '"')
				break;
			if (c == '\\') {
				if (++i >= n)
					return -1;
				c = (unsigned char)s[i];
			}
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return -1;
			if (valsz > 0 && j + 1 < valsz)
				val[j] = (char)c;
			j++;
		}
		i++;
	} else {
		start = i;
		while (i < n && is_tchar((unsigned char)s[i])) {
			if (valsz > 0 && j + 1 < valsz)
				val[j] = s[i];
			j++;
			i++;
		}
		if (i == start)
			return -1;
	}
	if (valsz > 0)
		val[j < valsz ? j : valsz - 1] = '\0';
	*vlen = j;
	*pos = i;
	return 1;
}

int
ser_multipart_boundary(const char *ct, char *out, size_t outsz, ser_error *e)
{
	size_t n, i, start, pos, nlen, vlen;
	const char *name;
	char val[SER_MULTIPART_BOUNDARY_MAX + 2];
	int r, found = 0;

	if (ct == NULL)
		return ser_error_set(e, "the request has no Content-Type");
	n = strlen(ct);
	i = skip_ows(ct, n, 0);
	start = i;
	while (i < n && (is_tchar((unsigned char)ct[i]) || ct[i] == '/'))
		i++;
	if (!ieq(ct + start, i - start, "multipart/form-data"))
		return ser_error_set(e, "the request is not multipart/form-data");
	pos = i;
	while ((r = next_param(ct, n, &pos, &name, &nlen, val, sizeof val, &vlen)) == 1) {
		if (!ieq(name, nlen, "boundary"))
			continue;
		if (found) {
			ser_error_set(e, "the request's Content-Type names the boundary twice");
			return -2;
		}
		found = 1;
		if (vlen > SER_MULTIPART_BOUNDARY_MAX || check_boundary(val, vlen, e) != 0) {
			if (vlen > SER_MULTIPART_BOUNDARY_MAX)
				ser_error_set(e, "the multipart boundary must be 1 to 70 characters long");
			return -2;
		}
		if (outsz < vlen + 1) {
			ser_error_set(e, "the multipart boundary is longer than the space for it");
			return -2;
		}
		memcpy(out, val, vlen + 1);
	}
	if (r < 0) {
		ser_error_set(e, "the request's Content-Type parameters are malformed");
		return -2;
	}
	if (!found) {
		ser_error_set(e, "the request's Content-Type has no boundary");
		return -2;
	}
	return 0;
}

ser_multipart *
ser_multipart_new(const char *boundary, const ser_multipart_limits *lim,
                  const ser_multipart_callbacks *cb, void *ctx, ser_error *e)
{
	ser_multipart *m;
	size_t bn;

	if (boundary == NULL)
		return ser_error_set(e, "no multipart boundary"), NULL;
	bn = strlen(boundary);
	if (check_boundary(boundary, bn, e) != 0)
		return NULL;
	m = calloc(1, sizeof *m);
	if (m == NULL)
		return ser_error_set(e, "out of memory"), NULL;
	if (lim != NULL)
		m->lim = *lim;
	else
		ser_multipart_limits_default(&m->lim);
	if (m->lim.header_line_max < 64)
		m->lim.header_line_max = 64;
	m->line = malloc(m->lim.header_line_max + 1);
	if (m->line == NULL) {
		free(m);
		return ser_error_set(e, "out of memory"), NULL;
	}
	if (cb != NULL)
		m->cb = *cb;
	m->ctx = ctx;
	memcpy(m->delim, "\r\n--", 4);
	memcpy(m->delim + 4, boundary, bn);
	m->dlen = 4 + bn;
	m->st = ST_PREAMBLE;
	m->k = 2; /* the CRLF put before the body */
	return m;
}

void
ser_multipart_free(ser_multipart *m)
{
	if (m == NULL)
		return;
	free(m->line);
	free(m);
}

int
ser_multipart_failed_in_callback(const ser_multipart *m)
{
	return m->cbfail;
}

unsigned
ser_multipart_nparts(const ser_multipart *m)
{
	return m->nparts;
}

static int
fail(ser_multipart *m, ser_error *e, const char *msg)
{
	m->st = ST_DEAD;
	return ser_error_set(e, "%s", msg);
}

static int
cb_fail(ser_multipart *m)
{
	m->st = ST_DEAD;
	m->cbfail = 1;
	return -1;
}

/* Content-Disposition: form-data; name="..."[; filename="..."] (RFC 7578
 * section 4.2). Other parameters (filename*, ...) are checked for syntax
 * and ignored. */
static int
parse_disposition(ser_multipart *m, const char *v, size_t n, ser_error *e)
{
	size_t i = 0, pos, nlen, vlen;
	const char *name;
	char val[SER_MULTIPART_NAME_MAX];
	int r, have_name = 0;

	while (i < n && is_tchar((unsigned char)v[i]))
		i++;
	if (!ieq(v, i, "form-data"))
		return fail(m, e, "a part's Content-Disposition is not form-data");
	pos = i;
	for (;;) {
		r = next_param(v, n, &pos, &name, &nlen, val, sizeof val, &vlen);
		if (r == 0)
			break;
		if (r < 0)
			return fail(m, e, "a part's Content-Disposition is malformed");
		if (ieq(name, nlen, "name")) {
			if (have_name)
				return fail(m, e, "a part's Content-Disposition names the field twice");
			if (vlen >= SER_MULTIPART_NAME_MAX)
				return fail(m, e, "a part's field name is too long");
			memcpy(m->part.name, val, vlen + 1);
			have_name = 1;
		} else if (ieq(name, nlen, "filename")) {
			if (m->part.has_filename)
				return fail(m, e, "a part's Content-Disposition has two filenames");
			/* val holds at most NAME_MAX-1 bytes; FILENAME_MAX is as large */
			snprintf(m->part.filename, sizeof m->part.filename, "%s", val);
			m->part.has_filename = 1;
		}
	}
	if (!have_name)
		return fail(m, e, "a part's Content-Disposition has no field name");
	m->have_cd = 1;
	return 0;
}

/* One complete header line of a part (RFC 7578 section 4.8: only
 * Content-Disposition, Content-Type and Content-Transfer-Encoding mean
 * anything; others are ignored). */
static int
header_line(ser_multipart *m, ser_error *e)
{
	const char *s = m->line, *v;
	size_t n = m->linelen, i = 0, vn;

	if (++m->nheaders > m->lim.headers_max)
		return fail(m, e, "a part has too many header lines");
	if (s[0] == ' ' || s[0] == '\t')
		return fail(m, e, "folded part header lines are not accepted");
	while (i < n && is_tchar((unsigned char)s[i]))
		i++;
	if (i == 0 || i == n || s[i] != ':')
		return fail(m, e, "a part header line is malformed");
	v = s + skip_ows(s, n, i + 1);
	vn = (size_t)(s + n - v);
	while (vn > 0 && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
		vn--;
	for (size_t j = 0; j < vn; j++) {
		unsigned char c = (unsigned char)v[j];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(m, e, "a part header has a control character");
	}
	if (ieq(s, i, "content-disposition")) {
		if (m->have_cd)
			return fail(m, e, "a part has two Content-Disposition headers");
		return parse_disposition(m, v, vn, e);
	}
	if (ieq(s, i, "content-type")) {
		if (m->have_ct)
			return fail(m, e, "a part has two Content-Type headers");
		m->have_ct = 1;
		if (vn >= sizeof m->part.content_type)
			vn = sizeof m->part.content_type - 1;
		memcpy(m->part.content_type, v, vn);
		m->part.content_type[vn] = '\0';
		return 0;
	}
	if (ieq(s, i, "content-transfer-encoding")) {
		if (ieq(v, vn, "binary") || ieq(v, vn, "8bit") || ieq(v, vn, "7bit"))
			return 0;
		return fail(m, e, "a part uses a Content-Transfer-Encoding other than binary");
	}
	return 0;
}

static void
part_reset(ser_multipart *m)
{
	memset(&m->part, 0, sizeof m->part);
	m->part.index = m->nparts;
	m->have_cd = m->have_ct = 0;
	m->nheaders = 0;
	m->linelen = 0;
	m->cr = 0;
}

static int
emit(ser_multipart *m, const unsigned char *p, size_t n, ser_error *e)
{
	if (n == 0 || m->st != ST_BODY || m->cb.data == NULL)
		return 0;
	if (m->cb.data(m->ctx, p, n, e) != 0)
		return cb_fail(m);
	return 0;
}

/* Scan data (preamble or a part's body) for the delimiter, from buf[*i]. */
static int
scan(ser_multipart *m, const unsigned char *buf, size_t n, size_t *ip, ser_error *e)
{
	size_t i = *ip;

	while (i < n) {
		if (m->k == 0) {
			const unsigned char *p = memchr(buf + i, '\r', n - i);
			size_t stop = p != NULL ? (size_t)(p - buf) : n;
			if (emit(m, buf + i, stop - i, e) != 0)
				return -1;
			i = stop;
			if (p == NULL)
				break;
			m->k = 1;
			i++;
			continue;
		}
		if (buf[i] == m->delim[m->k]) {
			i++;
			if (++m->k == m->dlen) {
				m->k = 0;
				if (m->st == ST_BODY && m->cb.end != NULL && m->cb.end(m->ctx, e) != 0)
					return cb_fail(m);
				m->st = ST_TAIL;
				break;
			}
			continue;
		}
		/* Mismatch: the held bytes were data; look at buf[i] afresh. */
		if (emit(m, m->delim, m->k, e) != 0)
			return -1;
		m->k = 0;
	}
	*ip = i;
	return 0;
}

int
ser_multipart_feed(ser_multipart *m, const unsigned char *buf, size_t n, ser_error *e)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c;

		switch (m->st) {
		case ST_DEAD:
			return ser_error_set(e, "the multipart parser has already failed");
		case ST_EPILOGUE:
			return 0;
		case ST_PREAMBLE:
		case ST_BODY:
			if (scan(m, buf, n, &i, e) != 0)
				return -1;
			continue;
		default:
			break;
		}
		c = buf[i++];
		switch (m->st) {
		case ST_TAIL:
			if (c == '-')
				m->st = ST_DASH;
			else if (c == ' ' || c == '\t')
				m->st = ST_PAD, m->padlen = 1;
			else if (c == '\r')
				m->st = ST_CR;
			else
				return fail(m, e, "a boundary delimiter is followed by other text");
			break;
		case ST_DASH:
			if (c != '-')
				return fail(m, e, "a boundary delimiter is followed by other text");
			m->st = ST_EPILOGUE;
			return 0;
		case ST_PAD:
			if (c == '\r')
				m->st = ST_CR;
			else if ((c != ' ' && c != '\t') || ++m->padlen > m->lim.header_line_max)
				return fail(m, e, "a boundary delimiter is followed by other text");
			break;
		case ST_CR:
			if (c != '\n')
				return fail(m, e, "a boundary delimiter line does not end in CRLF");
			if (m->nparts >= m->lim.parts_max)
				return fail(m, e, "the body has too many parts");
			part_reset(m);
			m->nparts++;
			m->st = ST_HEADERS;
			break;
		case ST_HEADERS:
			if (m->cr) {
				if (c != '\n')
					return fail(m, e, "a part header line has a bare CR");
				m->cr = 0;
				if (m->linelen == 0) {
					if (!m->have_cd)
						return fail(m, e, "a part has no Content-Disposition");
					if (m->cb.begin != NULL && m->cb.begin(m->ctx, &m->part, e) != 0)
						return cb_fail(m);
					m->st = ST_BODY;
					m->k = 0;
					break;
				}
				m->line[m->linelen] = '\0';
				if (header_line(m, e) != 0)
					return -1;
				m->linelen = 0;
			} else if (c == '\r') {
				m->cr = 1;
			} else if (c == '\n' || c == '\0') {
				return fail(m, e, "a part header line has a bare LF or a NUL byte");
			} else {
				if (m->linelen >= m->lim.header_line_max)
					return fail(m, e, "a part header line is too long");
				m->line[m->linelen++] = (char)c;
			}
			break;
		default:
			return fail(m, e, "the multipart parser is in a bad state");
		}
	}
	return 0;
}

int
ser_multipart_finish(ser_multipart *m, ser_error *e)
{
	switch (m->st) {
	case ST_EPILOGUE:
		return 0;
	case ST_DEAD:
		return ser_error_set(e, "the multipart parser has already failed");
	case ST_PREAMBLE:
		return fail(m, e, "the body has no multipart boundary delimiter");
	default:
		return fail(m, e, "the body ends before the multipart close delimiter");
	}
}

int
ser_multipart_parse(const char *boundary, const unsigned char *body, size_t n,
                    const ser_multipart_limits *lim, const ser_multipart_callbacks *cb, void *ctx,
                    ser_error *e)
{
	ser_multipart *m = ser_multipart_new(boundary, lim, cb, ctx, e);
	int r;

	if (m == NULL)
		return -1;
	r = ser_multipart_feed(m, body, n, e);
	if (r == 0)
		r = ser_multipart_finish(m, e);
	ser_multipart_free(m);
	return r;
}
