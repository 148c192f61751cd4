/*
 * num.h - the one strict number parser of libser.
 *
 * Every number from outside (option, header field, table cell, HTTP header)
 * goes through these. The whole string must be the number: no leading or
 * trailing space, no empty string, no NaN/Inf, no overflow, and the value
 * must lie in [lo, hi]. Numbers are in the C locale: no ser program calls
 * setlocale(), so strtod and printf use '.' as the decimal point.
 * On failure they return -1 and say why in e, quoting (a bounded prefix of)
 * the offending text.
 */
#ifndef SER_NUM_H
#define SER_NUM_H

#include <stdint.h>

#include "error.h"

int ser_parse_double(const char *s, double lo, double hi, double *out, ser_error *e);
/* Decimal integers only (no 0x, no octal, no '+' sign, no whitespace). */
int ser_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out, ser_error *e);
/* Like ser_parse_double but for a string of known length (not terminated). */
int ser_parse_double_n(const char *s, size_t n, double lo, double hi, double *out, ser_error *e);
int ser_parse_i64_n(const char *s, size_t n, int64_t lo, int64_t hi, int64_t *out, ser_error *e);

/* Write a double with round-trip precision ("%.17g") or
 * float precision ("%.9g") into buf (>= 32 bytes). Returns buf. */
char *ser_fmt_double(char *buf, size_t n, double v);
char *ser_fmt_float(char *buf, size_t n, double v);

#endif
