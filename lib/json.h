/*
 * json.h - a small JSON text writer (RFC 8259) into a growing buffer, for
 * the web endpoint's answers and ser-predict --json. Strings are escaped
 * (quote, backslash, control bytes as \u00XX); well-formed UTF-8 passes as
 * it is and every byte of ill-formed UTF-8 becomes U+FFFD, so the output is
 * always valid UTF-8 whatever the input; numbers are written in the C
 * locale with float round-trip precision (%.9g), non-finite ones as null.
 * The text collects in a ser_buf (lib/buf.h): an allocation failure is
 * remembered and reported once by ser_json_finish.
 */
#ifndef SER_JSON_H
#define SER_JSON_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

typedef struct ser_json {
	ser_buf out; /* the text: out.data (NULL until the first append), out.len */
} ser_json;

void ser_json_init(ser_json *j);
/* Append text as it is (the caller vouches it is JSON). */
void ser_json_raw(ser_json *j, const char *s);
/* Append s as a JSON string, quotes included. */
void ser_json_str(ser_json *j, const char *s);
/* Append a number. */
void ser_json_num(ser_json *j, double v);
/* 0 if every append succeeded, -1 with e set if memory ran out. */
int ser_json_finish(const ser_json *j, ser_error *e);
void ser_json_free(ser_json *j);

#endif
