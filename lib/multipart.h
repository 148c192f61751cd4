/*
 * multipart.h - a small streaming parser of multipart/form-data request
 * bodies (RFC 7578, with the framing of RFC 2046 section 5.1.1), for the web
 * endpoint (ser-cgi). Modelled on kcgi's rules: everything is bounded (the
 * boundary, each header line, headers per part, parts per body), nothing is
 * allocated from a size the input claims, nested multipart bodies are data,
 * never parsed (no recursion), and the preamble and epilogue are ignored.
 *
 * Use: ser_multipart_boundary() takes the boundary out of the request's
 * Content-Type; ser_multipart_new() makes a parser that calls back for each
 * part's headers (begin), its bytes (data, in pieces of any size, possibly
 * zero parts' worth between calls) and its end; feed the body in pieces of
 * any size with ser_multipart_feed(); ser_multipart_finish() checks that the
 * close delimiter was seen. ser_multipart_parse() does all of it for a body
 * held in memory (the fuzz target and the unit tests use it).
 *
 * Error messages are fixed English sentences: they never quote the input, so
 * a caller may show them to the client as they are.
 */
#ifndef SER_MULTIPART_H
#define SER_MULTIPART_H

#include <stddef.h>

#include "error.h"

#define SER_MULTIPART_BOUNDARY_MAX 70 /* RFC 2046: 1 to 70 characters */
#define SER_MULTIPART_NAME_MAX 256    /* bytes kept of a field name (longer: error) */
#define SER_MULTIPART_FILENAME_MAX 256 /* bytes kept of a filename (longer: truncated) */
#define SER_MULTIPART_CTYPE_MAX 128   /* bytes kept of a part's Content-Type (longer: truncated) */

/* What the parser accepts before it calls a body malformed. */
typedef struct ser_multipart_limits {
	size_t header_line_max; /* bytes per part header line, CRLF excluded; default 8192 */
	unsigned headers_max;   /* header lines per part; default 16 */
	unsigned parts_max;     /* parts per body; default 64 */
} ser_multipart_limits;

void ser_multipart_limits_default(ser_multipart_limits *l);

/* One part's headers, as the begin callback sees them (valid during the
 * call only). name is the Content-Disposition "name" parameter (required);
 * filename is the "filename" parameter if has_filename, truncated to
 * SER_MULTIPART_FILENAME_MAX-1 bytes: it is the client's word, never to be
 * used as a path or echoed raw. content_type is the part's Content-Type
 * header value ("" if none), truncated likewise. index counts parts from 0. */
typedef struct ser_multipart_part {
	unsigned index;
	char name[SER_MULTIPART_NAME_MAX];
	char filename[SER_MULTIPART_FILENAME_MAX];
	int has_filename;
	char content_type[SER_MULTIPART_CTYPE_MAX];
} ser_multipart_part;

/* Callbacks (any may be NULL). Each returns 0 to go on, or -1 to stop the
 * parse (ser_multipart_feed then returns -1 and leaves e as the callback
 * set it; ser_multipart_failed_in_callback() tells the two apart). */
typedef struct ser_multipart_callbacks {
	int (*begin)(void *ctx, const ser_multipart_part *p, ser_error *e);
	int (*data)(void *ctx, const unsigned char *buf, size_t n, ser_error *e);
	int (*end)(void *ctx, ser_error *e);
} ser_multipart_callbacks;

/* Take the boundary out of a Content-Type header value (RFC 7231 media type
 * with parameters, RFC 2046 section 5.1.1 boundary). The type must be
 * multipart/form-data (case-insensitive); the boundary parameter may come
 * anywhere among the parameters, its name in any case, its value a token or
 * a quoted-string; it must appear once and be 1 to 70 bchars not ending in a
 * space. Writes it NUL-terminated into out (>= SER_MULTIPART_BOUNDARY_MAX+1
 * bytes). Returns 0; -1 with e set when the type is another one; -2 with e
 * set when it is multipart/form-data with a missing or bad boundary. */
int ser_multipart_boundary(const char *content_type, char *out, size_t outsz, ser_error *e);

typedef struct ser_multipart ser_multipart;

/* A parser for a body framed by boundary (as from ser_multipart_boundary,
 * checked again here). lim may be NULL (defaults). cb is copied; ctx is
 * passed to every callback. Returns NULL with e set on a bad boundary or
 * when out of memory. */
ser_multipart *ser_multipart_new(const char *boundary, const ser_multipart_limits *lim,
                                 const ser_multipart_callbacks *cb, void *ctx, ser_error *e);

/* Parse the next n bytes of the body. Returns 0, or -1 with e set (malformed
 * body, a limit passed, or a callback's failure). After -1 the parser is
 * spent: further calls return -1. */
int ser_multipart_feed(ser_multipart *m, const unsigned char *buf, size_t n, ser_error *e);

/* The body has ended: 0 if the close delimiter was seen, -1 with e set if
 * not (truncated body). */
int ser_multipart_finish(ser_multipart *m, ser_error *e);

/* 1 if the last failure came from a callback, else 0. */
int ser_multipart_failed_in_callback(const ser_multipart *m);

/* Parts begun so far. */
unsigned ser_multipart_nparts(const ser_multipart *m);

void ser_multipart_free(ser_multipart *m);

/* The whole body in memory: new + feed + finish + free. Returns 0 or -1
 * with e set. */
int ser_multipart_parse(const char *boundary, const unsigned char *body, size_t n,
                        const ser_multipart_limits *lim, const ser_multipart_callbacks *cb,
                        void *ctx, ser_error *e);

#endif
