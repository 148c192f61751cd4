/*
 * scaler.h - per-feature standardisation, z = (x - mean) / sd.
 *
 * Fitted on training rows only; sd is the population standard deviation
 * (divisor n). A column whose sd is 0 (constant in the training data) is
 * only centred (divided by 1), so it never divides by zero.
 *
 * File form: a table `id mean sd` with one row per feature, in the feature
 * table's column order; `id` is the feature's column name. Numbers are
 * written with round-trip precision.
 */
#ifndef SER_SCALER_H
#define SER_SCALER_H

#include <stdio.h>

#include "error.h"
#include "table.h"

typedef struct ser_scaler {
	size_t n;     /* features */
	char **names; /* n */
	double *mean; /* n */
	double *sd;   /* n (0 for a constant column) */
} ser_scaler;

/* Fit on every row of t (needs at least one row). */
int ser_scaler_fit(const ser_ftable *t, ser_scaler *s, ser_error *e);
int ser_scaler_read(FILE *fp, const char *name, ser_scaler *s, ser_error *e);
int ser_scaler_write(FILE *fp, const ser_scaler *s, ser_error *e);
/* Write to path through a temporary file renamed into place. */
int ser_scaler_save(const char *path, const ser_scaler *s, ser_error *e);
void ser_scaler_free(ser_scaler *s);
/* Standardise one row of n values in place. */
void ser_scaler_apply(const ser_scaler *s, double *row);

#endif
