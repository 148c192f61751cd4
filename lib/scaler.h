/*
 * scaler.h - per-feature standardisation, z = (x - mean) / sd * weight.
 *
 * Fitted on training rows only; sd is the population standard deviation
 * (divisor n). A column whose sd is 0 (constant in the training data) is
 * only centred (divided by 1), so it never divides by zero.
 *
 * weight (> 0, 1 unless set with ser_scaler_weight) multiplies the
 * standardised value, so the column's share of a squared Euclidean distance
 * (the RBF kernel's) scales by weight^2: 1/sqrt(3) makes it count a third.
 *
 * File form: a table `id mean sd` with one row per feature, in the feature
 * table's column order; `id` is the feature's column name. When some weight
 * is not 1 a fourth column `weight` follows (`id mean sd weight`), so a
 * scaler without weights is written exactly as before. The reader takes
 * either form; sd must be >= 0 and weight > 0, both finite. Numbers are
 * written with round-trip precision.
 */
#ifndef SER_SCALER_H
#define SER_SCALER_H

#include <stdio.h>

#include "error.h"
#include "table.h"

typedef struct ser_scaler {
	size_t n;       /* features */
	char **names;   /* n */
	double *mean;   /* n */
	double *sd;     /* n (0 for a constant column) */
	double *weight; /* n (each > 0), or NULL: every weight is 1 */
} ser_scaler;

/* Fit on every row of t (needs at least one row). */
int ser_scaler_fit(const ser_ftable *t, ser_scaler *s, ser_error *e);
int ser_scaler_read(FILE *fp, const char *name, ser_scaler *s, ser_error *e);
int ser_scaler_write(FILE *fp, const ser_scaler *s, ser_error *e);
/* Set the weight of every column whose name starts with prefix (not empty)
 * to w (finite, > 0); a later call overrides an earlier one for the columns
 * both match. Returns the number of columns set, or -1 with e set when
 * prefix is empty, w is out of range, no column matches, or out of memory
 * (s is then unchanged). */
long ser_scaler_weight(ser_scaler *s, const char *prefix, double w, ser_error *e);
/* Write to path through a temporary file renamed into place. */
int ser_scaler_save(const char *path, const ser_scaler *s, ser_error *e);
void ser_scaler_free(ser_scaler *s);
/* Standardise (and weight) one row of n values in place. */
void ser_scaler_apply(const ser_scaler *s, double *row);

#endif
