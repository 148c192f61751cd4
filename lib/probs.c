#include "probs.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strv.h"
#include "tsv.h"

void
ser_probs_free(ser_probs *p)
{
	if (p == NULL)
		return;
	ser_strv_free(p->classes, p->nclass);
	ser_strv_free(p->ids, p->nrows);
	free(p->predicted);
	free(p->p);
	memset(p, 0, sizeof *p);
}

/* Grow an array of n elements of size sz to hold at least n + 1. */
static int
grow(void **v, size_t *cap, size_t n, size_t sz)
{
	void *d;
	size_t nc;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 64;
	if (nc > SIZE_MAX / sz)
		return -1;
	d = realloc(*v, nc * sz);
	if (d == NULL)
		return -1;
	*v = d;
	*cap = nc;
	return 0;
}

int
ser_probs_read(FILE *fp, const char *name, ser_probs *out, ser_error *e)
{
	ser_tsv *t;
	int rc;

	memset(out, 0, sizeof *out);
	t = ser_tsv_open(fp, name, e);
	if (t == NULL)
		return -1;
	rc = ser_probs_from_tsv(t, out, e);
	ser_tsv_close(t);
	return rc;
}

int
ser_probs_from_tsv(ser_tsv *t, ser_probs *out, ser_error *e)
{
	const char *name = ser_tsv_name(t);
	ser_probs P;
	size_t ncols, k, cap_ids = 0, cap_pred = 0, cap_p = 0;
	int r;

	memset(out, 0, sizeof *out);
	memset(&P, 0, sizeof P);
	ncols = ser_tsv_ncols(t);
	if (ncols < 3 || strcmp(ser_tsv_colname(t, 0), "id") != 0 ||
	    strcmp(ser_tsv_colname(t, 1), "predicted") != 0 ||
	    strcmp(ser_tsv_colname(t, 2), "confidence") != 0) {
		ser_error_set(e, "%s:1: not a probability table: the header must begin with "
		                 "'id', 'predicted', 'confidence'", name);
		goto fail;
	}
	if (ncols < 5) {
		ser_error_set(e, "%s:1: a probability table needs at least two class columns "
		                 "after 'confidence'", name);
		goto fail;
	}
	if (ncols - 3 > SER_PROBS_CLASSES_MAX) {
		ser_error_set(e, "%s:1: %zu class columns; at most %d are accepted", name, ncols - 3,
		              SER_PROBS_CLASSES_MAX);
		goto fail;
	}
	P.nclass = ncols - 3;
	P.classes = calloc(P.nclass, sizeof *P.classes);
	if (P.classes == NULL)
		goto oom;
	for (k = 0; k < P.nclass; k++)
		if ((P.classes[k] = strdup(ser_tsv_colname(t, k + 3))) == NULL)
			goto oom;

	while ((r = ser_tsv_next(t, e)) == 1) {
		unsigned long line = ser_tsv_lineno(t);
		const char *id = ser_tsv_field(t, 0), *pred = ser_tsv_field(t, 1);
		double conf, sum = 0, *row;
		long pi = -1;

		if (ser_tsv_check_id(t, id, e) != 0)
			goto fail;
		if (P.nrows >= SER_PROBS_ROWS_MAX) {
			ser_error_set(e, "%s:%lu: more than %d rows", name, line, SER_PROBS_ROWS_MAX);
			goto fail;
		}
		if (grow((void **)&P.ids, &cap_ids, P.nrows, sizeof *P.ids) != 0 ||
		    grow((void **)&P.predicted, &cap_pred, P.nrows, sizeof *P.predicted) != 0)
			goto oom;
		while (cap_p < (P.nrows + 1) * P.nclass) {
			size_t nc = cap_p ? cap_p * 2 : 64 * P.nclass;
			double *d = realloc(P.p, nc * sizeof *P.p);
			if (d == NULL)
				goto oom;
			P.p = d;
			cap_p = nc;
		}
		row = P.p + P.nrows * P.nclass;
		for (k = 0; k < P.nclass; k++) {
			if (ser_tsv_double(t, k + 3, &row[k], e) != 0)
				goto fail;
			if (row[k] < 0 || row[k] > 1) {
				ser_error_set(e, "%s:%lu: column '%.64s': probability %.9g outside [0, 1]",
				              name, line, P.classes[k], row[k]);
				goto fail;
			}
			sum += row[k];
			if (strcmp(P.classes[k], pred) == 0)
				pi = (long)k;
		}
		if (fabs(sum - 1) > SER_PROBS_SUM_TOL) {
			ser_error_set(e, "%s:%lu: probabilities sum to %.9g, not 1 (tolerance %g)", name,
			              line, sum, SER_PROBS_SUM_TOL);
			goto fail;
		}
		if (pi < 0) {
			ser_error_set(e, "%s:%lu: column 'predicted': '%.64s' is not one of the class "
			                 "columns", name, line, pred);
			goto fail;
		}
		if (ser_tsv_double(t, 2, &conf, e) != 0)
			goto fail;
		if (fabs(conf - row[pi]) > SER_PROBS_SUM_TOL) {
			ser_error_set(e, "%s:%lu: column 'confidence': %.9g is not the probability of "
			                 "the predicted class '%.64s' (%.9g)", name, line, conf, pred,
			              row[pi]);
			goto fail;
		}
		if ((P.ids[P.nrows] = strdup(id)) == NULL)
			goto oom;
		P.predicted[P.nrows] = (int)pi;
		P.nrows++;
	}
	if (r < 0)
		goto fail;
	if (P.nrows == 0) {
		ser_error_set(e, "%s: no rows", name);
		goto fail;
	}
	if (ser_strv_distinct(P.classes, P.nclass, name, "class column", e) != 0 ||
	    ser_strv_distinct(P.ids, P.nrows, name, "id", e) != 0)
		goto fail;
	*out = P;
	return 0;
oom:
	ser_error_set(e, "%s: out of memory", name);
fail:
	ser_probs_free(&P);
	return -1;
}

long
ser_probs_find(const ser_probs *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nrows; i++)
		if (strcmp(p->ids[i], id) == 0)
			return (long)i;
	return -1;
}

