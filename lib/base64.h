/*
 * base64.h - RFC 4648 section 4 base64 (the alphabet of data: URIs,
 * RFC 2397), with '=' padding and no line breaks.
 */
#ifndef SER_BASE64_H
#define SER_BASE64_H

#include <stddef.h>

#include "error.h"

/* Bytes needed to encode n bytes, not counting a terminating NUL; 0 with e
 * set if that would overflow size_t (it is 4 * ceil(n / 3)). */
size_t ser_base64_len(size_t n, ser_error *e);

/* Encode n bytes of in into out, which has room for ser_base64_len(n) + 1
 * bytes; out is NUL-terminated. Returns the encoded length. */
size_t ser_base64_encode(const unsigned char *in, size_t n, char *out);

#endif
