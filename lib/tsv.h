/*
 * tsv.h - the one TSV reader of libser (DESIGN.md "Tables").
 *
 * Streams a table from a FILE* without seeking, so any table can be a pipe.
 * The first line is the header; every later line must have exactly as many
 * tab-separated fields. Lines end in '\n' (a final line without one is
 * accepted); '\r', NUL bytes and over-long lines are errors. A line is at most
 * SER_TSV_LINE_MAX bytes and a table at most SER_TSV_COLS_MAX columns, so
 * memory is bounded by what the reader allows, not by what the input claims.
 *
 * Errors are worded "NAME:LINE: what" or "NAME:LINE: column 'COL': what",
 * where NAME is the name given at open (a path, or "<stdin>").
 */
#ifndef SER_TSV_H
#define SER_TSV_H

#include <stdio.h>

#include "error.h"

#define SER_TSV_LINE_MAX (4u << 20) /* bytes per line */
#define SER_TSV_COLS_MAX 65536u     /* columns per row */

typedef struct ser_tsv ser_tsv;

/* Read the header. Returns NULL with e set on failure (empty input, bad
 * header, duplicate or empty column names). The caller keeps fp open and
 * closes it after ser_tsv_close(). */
ser_tsv *ser_tsv_open(FILE *fp, const char *name, ser_error *e);
void ser_tsv_close(ser_tsv *t);

size_t ser_tsv_ncols(const ser_tsv *t);
const char *ser_tsv_colname(const ser_tsv *t, size_t col);
/* Column index by name, or -1. */
long ser_tsv_find(const ser_tsv *t, const char *name);
const char *ser_tsv_name(const ser_tsv *t);
/* Line number (1-based) of the row last read; the header is line 1. */
unsigned long ser_tsv_lineno(const ser_tsv *t);

/* Read the next row: 1 = a row, 0 = end of input, -1 = error (e set). */
int ser_tsv_next(ser_tsv *t, ser_error *e);
/* Field of the current row (NUL-terminated, valid until the next call). */
const char *ser_tsv_field(const ser_tsv *t, size_t col);
/* Strictly parse a field of the current row as a finite double; on failure
 * e says "NAME:LINE: column 'COL': <why>". */
int ser_tsv_double(const ser_tsv *t, size_t col, double *out, ser_error *e);

/* Check that an id/key is a token (non-empty; tabs/newlines are already
 * impossible). Returns 0 or -1 with e set. */
int ser_tsv_check_id(const ser_tsv *t, const char *id, ser_error *e);

#endif
