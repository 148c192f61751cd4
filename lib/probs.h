/*
 * probs.h - THE reader of probability tables (DESIGN.md "Streams and
 * files"): id, predicted, confidence, then one column per class, each row a
 * probability distribution. ser-predict writes them; ser-plot draws them and
 * ser-cgi answers with them, both through this reader, so a table is judged
 * the same way everywhere. Read through lib/tsv and lib/num.
 */
#ifndef SER_PROBS_H
#define SER_PROBS_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "tsv.h"

#define SER_PROBS_CLASSES_MAX 64   /* class columns */
#define SER_PROBS_ROWS_MAX 200000  /* rows */
#define SER_PROBS_SUM_TOL 1e-3     /* |sum of a row's probabilities - 1|, |confidence - p| */

/* A probability table read whole. */
typedef struct ser_probs {
	size_t nclass;
	char **classes;   /* nclass names, the columns after 'confidence' */
	size_t nrows;
	char **ids;       /* nrows ids */
	int *predicted;   /* nrows indices into classes */
	double *p;        /* nrows * nclass probabilities, row-major */
} ser_probs;

/*
 * Read a probability table from fp (name is used in messages). The header
 * must be id, predicted, confidence and at least two class columns with
 * distinct names (at most
 * SER_PROBS_CLASSES_MAX); every probability must lie in [0, 1], every row must sum to
 * 1 within SER_PROBS_SUM_TOL, 'predicted' must name a class column and
 * 'confidence' must equal that class's probability (within the same
 * tolerance); ids must be distinct; at least one row, at most
 * SER_PROBS_ROWS_MAX. On success fills out (free with ser_probs_free) and
 * returns 0; else -1 with e set ("NAME:LINE: ...") and out empty.
 */
int ser_probs_read(FILE *fp, const char *name, ser_probs *out, ser_error *e);
/* The same from a table whose header has been read (the caller closes t). */
int ser_probs_from_tsv(ser_tsv *t, ser_probs *out, ser_error *e);
void ser_probs_free(ser_probs *p);
/* Row index of id, or -1. */
long ser_probs_find(const ser_probs *p, const char *id);

#endif
