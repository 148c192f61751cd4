/*
 * table.h - whole tables in memory, read through the one TSV reader
 * (DESIGN.md "Streams and files"), and the join by id.
 *
 * A feature table is `id` then numeric columns; a label table is `id` then
 * text columns. Both refuse a first column not named `id`, an empty or
 * duplicate id, and (features) any cell that is not a finite number. Rows
 * are stored in input order. Memory grows with the rows actually read, with
 * every size overflow-checked.
 */
#ifndef SER_TABLE_H
#define SER_TABLE_H

#include <stdio.h>

#include "error.h"
#include "tsv.h"

/* A map from id string to row number (open addressing; owns no strings). */
typedef struct ser_idmap {
	size_t cap;        /* slots, a power of two */
	size_t n;          /* ids stored */
	const char **keys; /* borrowed pointers */
	size_t *rows;
} ser_idmap;

void ser_idmap_init(ser_idmap *m);
void ser_idmap_free(ser_idmap *m);
/* Insert key -> row. Returns 0, 1 if the key is already present (*old set
 * to its row; nothing changed), or -1 out of memory (e set). The key string
 * must outlive the map. */
int ser_idmap_put(ser_idmap *m, const char *key, size_t row, size_t *old, ser_error *e);
/* Row of key, or -1. */
long ser_idmap_get(const ser_idmap *m, const char *key);

/* A feature table: nrows x ncols doubles, row-major. */
typedef struct ser_ftable {
	size_t nrows, ncols;  /* ncols counts feature columns, not id */
	char **ids;           /* nrows */
	char **names;         /* ncols column names */
	double *x;            /* nrows * ncols */
	unsigned long *lines; /* input line of each row (for messages) */
	char *src;            /* name given at read */
	ser_idmap map;
} ser_ftable;

/* Read a whole feature table from fp. The table needs at least one
 * feature column; zero rows are allowed (callers decide). */
int ser_ftable_read(FILE *fp, const char *name, ser_ftable *t, ser_error *e);
void ser_ftable_free(ser_ftable *t);
/* Check that tsv's header is `id` followed by exactly names[0..n-1] in that
 * order; the error names the first difference. */
int ser_check_columns(const ser_tsv *tsv, char *const *names, size_t n, ser_error *e);

/*
 * A feature table read one row at a time, for the programs that stream
 * (ser-scale, ser-predict): the header must be `id` then exactly
 * names[0..n-1] in that order; every cell a finite number; ids non-empty and
 * unique over the whole stream (the ids are kept for that check, so memory
 * grows with the number of rows by their ids only).
 */
typedef struct ser_fstream ser_fstream;

/* Read and check the header. NULL with e set on failure; a column mismatch
 * ends "(the table's feature columns must be WHOSE, in that order)". fp
 * stays the caller's. */
ser_fstream *ser_fstream_open(FILE *fp, const char *name, char *const *names, size_t n,
                              const char *whose, ser_error *e);
/* 1 = a row: *id and *x (n values, writable scratch) are valid until the
 * next call; 0 = end of table; -1 = error, e says "NAME:LINE: what". */
int ser_fstream_next(ser_fstream *s, const char **id, double **x, ser_error *e);
void ser_fstream_close(ser_fstream *s);

/* A label table: nrows x ncols strings (ncols excludes id). */
typedef struct ser_ltable {
	size_t nrows, ncols;
	char **ids;
	char **names;
	char **cells;         /* nrows * ncols */
	unsigned long *lines;
	char *src;
	ser_idmap map;
} ser_ltable;

int ser_ltable_read(FILE *fp, const char *name, ser_ltable *t, ser_error *e);
void ser_ltable_free(ser_ltable *t);
/* Column index by name (excluding id), or -1. */
long ser_ltable_col(const ser_ltable *t, const char *name);
/* Cell of the row with this id in column col, or NULL if the id is absent. */
const char *ser_ltable_get(const ser_ltable *t, const char *id, size_t col);

#endif
