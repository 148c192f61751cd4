#include "scaler.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "num.h"
#include "tsv.h"

static int
alloc_scaler(ser_scaler *s, size_t n, ser_error *e)
{
	memset(s, 0, sizeof *s);
	s->names = calloc(n ? n : 1, sizeof *s->names);
	s->mean = calloc(n ? n : 1, sizeof *s->mean);
	s->sd = calloc(n ? n : 1, sizeof *s->sd);
	if (s->names == NULL || s->mean == NULL || s->sd == NULL) {
		ser_scaler_free(s);
		return ser_error_set(e, "out of memory");
	}
	return 0;
}

int
ser_scaler_fit(const ser_ftable *t, ser_scaler *s, ser_error *e)
{
	size_t i, j;

	if (t->nrows == 0)
		return ser_error_set(e, "%s: no rows to fit a scaler on", t->src);
	if (alloc_scaler(s, t->ncols, e) != 0)
		return -1;
	for (j = 0; j < t->ncols; j++) {
		double sum = 0, ss = 0, m;

		if ((s->names[j] = strdup(t->names[j])) == NULL) {
			ser_scaler_free(s);
			return ser_error_set(e, "out of memory");
		}
		s->n = j + 1;
		for (i = 0; i < t->nrows; i++)
			sum += t->x[i * t->ncols + j];
		m = sum / (double)t->nrows;
		for (i = 0; i < t->nrows; i++) {
			double d = t->x[i * t->ncols + j] - m;
			ss += d * d;
		}
		s->mean[j] = m;
		s->sd[j] = sqrt(ss / (double)t->nrows);
		/* a spread lost in rounding is no spread */
		if (isfinite(s->sd[j]) && !(s->sd[j] > 1e-12 * fmax(1.0, fabs(m))))
			s->sd[j] = 0;
		if (!isfinite(m) || !isfinite(s->sd[j])) {
			ser_error_set(e, "%s: column '%.64s': values too large to standardise", t->src, t->names[j]);
			ser_scaler_free(s);
			return -1;
		}
	}
	s->n = t->ncols;
	return 0;
}

/* One cell of row i through the one number parser, or an error naming the
 * file, line and column. */
static int
read_cell(const ser_ltable *lt, size_t i, long col, const char *what, double lo, double *out, ser_error *e)
{
	ser_error sub;

	if (ser_parse_double(lt->cells[i * lt->ncols + (size_t)col], lo, DBL_MAX, out, &sub) != 0)
		return ser_error_set(e, "%s:%lu: column '%s': %s", lt->src, lt->lines[i], what, sub.msg);
	return 0;
}

int
ser_scaler_read(FILE *fp, const char *name, ser_scaler *s, ser_error *e)
{
	ser_ltable lt;
	long cm, cs, cw;
	size_t i;

	memset(s, 0, sizeof *s);
	if (ser_ltable_read(fp, name, &lt, e) != 0)
		return -1;
	cm = ser_ltable_col(&lt, "mean");
	cs = ser_ltable_col(&lt, "sd");
	cw = ser_ltable_col(&lt, "weight");
	if (cm < 0 || cs < 0 || lt.ncols != (cw < 0 ? 2u : 3u)) {
		ser_error_set(e, "%s:1: a scaler has the columns id, mean, sd (and optionally weight)", lt.src);
		goto fail;
	}
	if (lt.nrows == 0) {
		ser_error_set(e, "%s: a scaler with no features", lt.src);
		goto fail;
	}
	if (alloc_scaler(s, lt.nrows, e) != 0)
		goto fail;
	if (cw >= 0 && (s->weight = calloc(lt.nrows, sizeof *s->weight)) == NULL) {
		ser_error_set(e, "out of memory");
		goto fail;
	}
	for (i = 0; i < lt.nrows; i++) {
		if (read_cell(&lt, i, cm, "mean", -DBL_MAX, &s->mean[i], e) != 0 ||
		    read_cell(&lt, i, cs, "sd", 0, &s->sd[i], e) != 0 ||
		    (cw >= 0 && read_cell(&lt, i, cw, "weight", -DBL_MAX, &s->weight[i], e) != 0))
			goto fail;
		if (cw >= 0 && !(s->weight[i] > 0)) {
			ser_error_set(e, "%s:%lu: column 'weight': %g is not greater than 0", lt.src, lt.lines[i],
			              s->weight[i]);
			goto fail;
		}
		s->names[i] = lt.ids[i];
		lt.ids[i] = NULL; /* moved */
		s->n = i + 1;
	}
	ser_ltable_free(&lt);
	return 0;
fail:
	ser_ltable_free(&lt);
	ser_scaler_free(s);
	return -1;
}

long
ser_scaler_weight(ser_scaler *s, const char *prefix, double w, ser_error *e)
{
	size_t j, len = strlen(prefix);
	long k = 0;

	if (len == 0)
		return ser_error_set(e, "an empty column prefix");
	if (!isfinite(w) || !(w > 0))
		return ser_error_set(e, "weight %g for '%.64s' is not a finite number greater than 0", w, prefix);
	for (j = 0; j < s->n; j++)
		k += strncmp(s->names[j], prefix, len) == 0;
	if (k == 0)
		return ser_error_set(e, "no column starts with '%.64s'", prefix);
	if (s->weight == NULL) {
		if ((s->weight = malloc(s->n * sizeof *s->weight)) == NULL)
			return ser_error_set(e, "out of memory");
		for (j = 0; j < s->n; j++)
			s->weight[j] = 1;
	}
	for (j = 0; j < s->n; j++)
		if (strncmp(s->names[j], prefix, len) == 0)
			s->weight[j] = w;
	return k;
}

/* Some weight is not 1: the file needs its weight column. */
static int
weighted(const ser_scaler *s)
{
	size_t j;

	if (s->weight != NULL)
		for (j = 0; j < s->n; j++)
			if (s->weight[j] != 1)
				return 1;
	return 0;
}

int
ser_scaler_write(FILE *fp, const ser_scaler *s, ser_error *e)
{
	char a[40], b[40], c[40];
	int w = weighted(s);
	size_t i;

	fputs(w ? "id\tmean\tsd\tweight\n" : "id\tmean\tsd\n", fp);
	for (i = 0; i < s->n; i++) {
		fprintf(fp, "%s\t%s\t%s", s->names[i], ser_fmt_double(a, sizeof a, s->mean[i]),
		        ser_fmt_double(b, sizeof b, s->sd[i]));
		if (w)
			fprintf(fp, "\t%s", ser_fmt_double(c, sizeof c, s->weight[i]));
		fputc('\n', fp);
	}
	if (ferror(fp))
		return ser_error_set(e, "write error");
	return 0;
}

int
ser_scaler_save(const char *path, const ser_scaler *s, ser_error *e)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);
	FILE *fp;
	int fd, bad;

	if (tmp == NULL)
		return ser_error_set(e, "out of memory");
	memcpy(tmp, path, n);
	strcpy(tmp + n, ".tmp.XXXXXX");
	if ((fd = mkstemp(tmp)) < 0) {
		ser_error_set(e, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	fchmod(fd, 0644); /* mkstemp made it 0600; a scaler is not a secret */
	if ((fp = fdopen(fd, "w")) == NULL) {
		ser_error_set(e, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	bad = ser_scaler_write(fp, s, e) != 0;
	bad |= fflush(fp) != 0 || fsync(fileno(fp)) != 0;
	bad |= fclose(fp) != 0;
	if (bad || rename(tmp, path) != 0) {
		ser_error_set(e, "%s: %s", path, errno ? strerror(errno) : "write error");
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

void
ser_scaler_free(ser_scaler *s)
{
	size_t i;

	if (s->names != NULL)
		for (i = 0; i < s->n; i++)
			free(s->names[i]);
	free(s->names);
	free(s->mean);
	free(s->sd);
	free(s->weight);
	memset(s, 0, sizeof *s);
}

void
ser_scaler_apply(const ser_scaler *s, double *row)
{
	size_t j;

	for (j = 0; j < s->n; j++) {
		double d = row[j] - s->mean[j];
		row[j] = (s->sd[j] > 0 ? d / s->sd[j] : d) * (s->weight != NULL ? s->weight[j] : 1);
	}
}
