#include "table.h"

#include "strv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a over the bytes of s. */
static size_t
hash_str(const char *s)
{
	uint64_t h = 14695981039346656037ull;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return (size_t)h;
}

void
ser_idmap_init(ser_idmap *m)
{
	memset(m, 0, sizeof *m);
}

void
ser_idmap_free(ser_idmap *m)
{
	free(m->keys);
	free(m->rows);
	memset(m, 0, sizeof *m);
}

static void
idmap_place(const char **keys, size_t *rows, size_t cap, const char *key, size_t row)
{
	size_t i = hash_str(key) & (cap - 1);

	while (keys[i] != NULL)
		i = (i + 1) & (cap - 1);
	keys[i] = key;
	rows[i] = row;
}

int
ser_idmap_put(ser_idmap *m, const char *key, size_t row, size_t *old, ser_error *e)
{
	size_t i;

	if (m->cap != 0) {
		for (i = hash_str(key) & (m->cap - 1); m->keys[i] != NULL; i = (i + 1) & (m->cap - 1))
			if (strcmp(m->keys[i], key) == 0) {
				if (old)
					*old = m->rows[i];
				return 1;
			}
	}
	if ((m->n + 1) * 2 > m->cap) { /* keep the load at most 1/2 */
		size_t nc = m->cap ? m->cap * 2 : 64, j;
		const char **nk;
		size_t *nr;

		if (nc < m->cap || nc > SIZE_MAX / sizeof *nr)
			return ser_error_set(e, "too many ids");
		nk = calloc(nc, sizeof *nk);
		nr = calloc(nc, sizeof *nr);
		if (nk == NULL || nr == NULL) {
			free(nk);
			free(nr);
			return ser_error_set(e, "out of memory");
		}
		for (j = 0; j < m->cap; j++)
			if (m->keys[j] != NULL)
				idmap_place(nk, nr, nc, m->keys[j], m->rows[j]);
		free(m->keys);
		free(m->rows);
		m->keys = nk;
		m->rows = nr;
		m->cap = nc;
	}
	idmap_place(m->keys, m->rows, m->cap, key, row);
	m->n++;
	return 0;
}

long
ser_idmap_get(const ser_idmap *m, const char *key)
{
	size_t i;

	if (m->cap == 0)
		return -1;
	for (i = hash_str(key) & (m->cap - 1); m->keys[i] != NULL; i = (i + 1) & (m->cap - 1))
		if (strcmp(m->keys[i], key) == 0)
			return (long)m->rows[i];
	return -1;
}

/* Make room for `need` elements of `size` bytes in *p (capacity *cap),
 * doubling; overflow-checked. */
static int
reserve(void **p, size_t *cap, size_t need, size_t size, ser_error *e)
{
	size_t nc;
	void *q;

	if (need <= *cap)
		return 0;
	nc = *cap ? *cap : 64;
	while (nc < need) {
		if (nc > SIZE_MAX / 2)
			return ser_error_set(e, "table too large");
		nc *= 2;
	}
	if (nc > SIZE_MAX / size)
		return ser_error_set(e, "table too large");
	q = realloc(*p, nc * size);
	if (q == NULL)
		return ser_error_set(e, "out of memory");
	*p = q;
	*cap = nc;
	return 0;
}

/* Copy column names 1.. of tsv into a fresh array. */
static char **
copy_names(const ser_tsv *tsv, size_t *n, ser_error *e)
{
	size_t i, nc = ser_tsv_ncols(tsv) - 1;
	char **names = calloc(nc ? nc : 1, sizeof *names);

	if (names == NULL) {
		ser_error_set(e, "out of memory");
		return NULL;
	}
	for (i = 0; i < nc; i++)
		if ((names[i] = strdup(ser_tsv_colname(tsv, i + 1))) == NULL) {
			while (i > 0)
				free(names[--i]);
			free(names);
			ser_error_set(e, "out of memory");
			return NULL;
		}
	*n = nc;
	return names;
}

/* Shared checks of the header of a table keyed by id. */
static int
check_id_header(const ser_tsv *tsv, ser_error *e)
{
	if (strcmp(ser_tsv_colname(tsv, 0), "id") != 0)
		return ser_error_set(e, "%s:1: the first column must be 'id', not '%.64s'", ser_tsv_name(tsv),
		                     ser_tsv_colname(tsv, 0));
	return 0;
}

/* Store this row's id (checked, unique) at row r of ids/lines/map. */
static int
take_id(const ser_tsv *tsv, char **ids, unsigned long *lines, ser_idmap *map, size_t r, ser_error *e)
{
	const char *id = ser_tsv_field(tsv, 0);
	size_t old;
	int rc;

	if (ser_tsv_check_id(tsv, id, e) != 0)
		return -1;
	if ((ids[r] = strdup(id)) == NULL)
		return ser_error_set(e, "out of memory");
	lines[r] = ser_tsv_lineno(tsv);
	rc = ser_idmap_put(map, ids[r], r, &old, e);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		ser_error_set(e, "%s:%lu: duplicate id '%.128s' (first on line %lu)", ser_tsv_name(tsv),
		              ser_tsv_lineno(tsv), id, lines[old]);
		free(ids[r]);
		ids[r] = NULL;
		return -1;
	}
	return 0;
}

int
ser_ftable_read(FILE *fp, const char *name, ser_ftable *t, ser_error *e)
{
	ser_tsv *tsv;
	size_t cap_ids = 0, cap_lines = 0, cap_x = 0, j, nx;
	int rc;

	memset(t, 0, sizeof *t);
	ser_idmap_init(&t->map);
	if ((tsv = ser_tsv_open(fp, name, e)) == NULL)
		return -1;
	if ((t->src = strdup(ser_tsv_name(tsv))) == NULL) {
		ser_error_set(e, "out of memory");
		goto fail;
	}
	if (check_id_header(tsv, e) != 0)
		goto fail;
	if (ser_tsv_ncols(tsv) < 2) {
		ser_error_set(e, "%s:1: no feature columns after 'id'", ser_tsv_name(tsv));
		goto fail;
	}
	if ((t->names = copy_names(tsv, &t->ncols, e)) == NULL)
		goto fail;
	while ((rc = ser_tsv_next(tsv, e)) == 1) {
		size_t r = t->nrows;

		if (reserve((void **)&t->ids, &cap_ids, r + 1, sizeof *t->ids, e) != 0 ||
		    reserve((void **)&t->lines, &cap_lines, r + 1, sizeof *t->lines, e) != 0)
			goto fail;
		if (r + 1 > SIZE_MAX / t->ncols) {
			ser_error_set(e, "%s: table too large", t->src);
			goto fail;
		}
		nx = (r + 1) * t->ncols;
		if (reserve((void **)&t->x, &cap_x, nx, sizeof *t->x, e) != 0)
			goto fail;
		t->ids[r] = NULL;
		if (take_id(tsv, t->ids, t->lines, &t->map, r, e) != 0)
			goto fail;
		t->nrows++;
		for (j = 0; j < t->ncols; j++)
			if (ser_tsv_double(tsv, j + 1, &t->x[r * t->ncols + j], e) != 0)
				goto fail;
	}
	if (rc < 0)
		goto fail;
	ser_tsv_close(tsv);
	return 0;
fail:
	ser_tsv_close(tsv);
	ser_ftable_free(t);
	return -1;
}

void
ser_ftable_free(ser_ftable *t)
{
	ser_strv_free(t->ids, t->nrows);
	ser_strv_free(t->names, t->ncols);
	free(t->x);
	free(t->lines);
	free(t->src);
	ser_idmap_free(&t->map);
	memset(t, 0, sizeof *t);
}

int
ser_check_columns(const ser_tsv *tsv, char *const *names, size_t n, ser_error *e)
{
	size_t i, nc = ser_tsv_ncols(tsv);

	if (check_id_header(tsv, e) != 0)
		return -1;
	for (i = 0; i < n && i + 1 < nc; i++)
		if (strcmp(ser_tsv_colname(tsv, i + 1), names[i]) != 0)
			return ser_error_set(e, "%s:1: column %zu is '%.64s', expected '%.64s'",
			                     ser_tsv_name(tsv), i + 2, ser_tsv_colname(tsv, i + 1), names[i]);
	if (nc - 1 < n)
		return ser_error_set(e, "%s:1: %zu feature columns, expected %zu (first missing: '%.64s')",
		                     ser_tsv_name(tsv), nc - 1, n, names[nc - 1]);
	if (nc - 1 > n)
		return ser_error_set(e, "%s:1: %zu feature columns, expected %zu (first extra: '%.64s')",
		                     ser_tsv_name(tsv), nc - 1, n, ser_tsv_colname(tsv, n + 1));
	return 0;
}

int
ser_ltable_read(FILE *fp, const char *name, ser_ltable *t, ser_error *e)
{
	ser_tsv *tsv;
	size_t cap_ids = 0, cap_lines = 0, cap_cells = 0, j;
	int rc;

	memset(t, 0, sizeof *t);
	ser_idmap_init(&t->map);
	if ((tsv = ser_tsv_open(fp, name, e)) == NULL)
		return -1;
	if ((t->src = strdup(ser_tsv_name(tsv))) == NULL) {
		ser_error_set(e, "out of memory");
		goto fail;
	}
	if (check_id_header(tsv, e) != 0)
		goto fail;
	if ((t->names = copy_names(tsv, &t->ncols, e)) == NULL)
		goto fail;
	while ((rc = ser_tsv_next(tsv, e)) == 1) {
		size_t r = t->nrows, nx;

		if (reserve((void **)&t->ids, &cap_ids, r + 1, sizeof *t->ids, e) != 0 ||
		    reserve((void **)&t->lines, &cap_lines, r + 1, sizeof *t->lines, e) != 0)
			goto fail;
		if (t->ncols != 0) {
			if (r + 1 > SIZE_MAX / t->ncols) {
				ser_error_set(e, "%s: table too large", t->src);
				goto fail;
			}
			nx = (r + 1) * t->ncols;
			if (reserve((void **)&t->cells, &cap_cells, nx, sizeof *t->cells, e) != 0)
				goto fail;
			for (j = 0; j < t->ncols; j++)
				t->cells[r * t->ncols + j] = NULL;
		}
		t->ids[r] = NULL;
		if (take_id(tsv, t->ids, t->lines, &t->map, r, e) != 0)
			goto fail;
		t->nrows++;
		for (j = 0; j < t->ncols; j++)
			if ((t->cells[r * t->ncols + j] = strdup(ser_tsv_field(tsv, j + 1))) == NULL) {
				ser_error_set(e, "out of memory");
				goto fail;
			}
	}
	if (rc < 0)
		goto fail;
	ser_tsv_close(tsv);
	return 0;
fail:
	ser_tsv_close(tsv);
	ser_ltable_free(t);
	return -1;
}

void
ser_ltable_free(ser_ltable *t)
{
	if (t->cells != NULL)
		ser_strv_free(t->cells, t->nrows * t->ncols);
	ser_strv_free(t->ids, t->nrows);
	ser_strv_free(t->names, t->ncols);
	free(t->lines);
	free(t->src);
	ser_idmap_free(&t->map);
	memset(t, 0, sizeof *t);
}

long
ser_ltable_col(const ser_ltable *t, const char *name)
{
	size_t j;

	for (j = 0; j < t->ncols; j++)
		if (strcmp(t->names[j], name) == 0)
			return (long)j;
	return -1;
}

const char *
ser_ltable_get(const ser_ltable *t, const char *id, size_t col)
{
	long r = ser_idmap_get(&t->map, id);

	if (r < 0 || col >= t->ncols)
		return NULL;
	return t->cells[(size_t)r * t->ncols + col];
}

struct ser_fstream {
	ser_tsv *tsv;
	size_t n;       /* feature columns */
	double *x;      /* the current row */
	char **ids;     /* every id read so far (owned; keys of seen) */
	size_t nids, cap;
	ser_idmap seen;
};

ser_fstream *
ser_fstream_open(FILE *fp, const char *name, char *const *names, size_t n, const char *whose,
                 ser_error *e)
{
	ser_fstream *s = calloc(1, sizeof *s);

	if (s == NULL) {
		ser_error_set(e, "out of memory");
		return NULL;
	}
	ser_idmap_init(&s->seen);
	s->n = n;
	if ((s->tsv = ser_tsv_open(fp, name, e)) == NULL)
		goto fail;
	if (ser_check_columns(s->tsv, names, n, e) != 0) {
		ser_error sub = *e;
		ser_error_set(e, "%s (the table's feature columns must be %s, in that order)", sub.msg, whose);
		goto fail;
	}
	if ((s->x = calloc(n ? n : 1, sizeof *s->x)) == NULL) {
		ser_error_set(e, "out of memory");
		goto fail;
	}
	return s;
fail:
	ser_fstream_close(s);
	return NULL;
}

int
ser_fstream_next(ser_fstream *s, const char **id, double **x, ser_error *e)
{
	const char *key;
	size_t j, old;
	int rc, r;

	if ((rc = ser_tsv_next(s->tsv, e)) != 1)
		return rc;
	key = ser_tsv_field(s->tsv, 0);
	if (ser_tsv_check_id(s->tsv, key, e) != 0)
		return -1;
	for (j = 0; j < s->n; j++)
		if (ser_tsv_double(s->tsv, j + 1, &s->x[j], e) != 0)
			return -1;
	if (s->nids == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		char **p;
		if (cap > SIZE_MAX / sizeof *p || (p = realloc(s->ids, cap * sizeof *p)) == NULL)
			return ser_error_set(e, "out of memory");
		s->ids = p;
		s->cap = cap;
	}
	if ((s->ids[s->nids] = strdup(key)) == NULL)
		return ser_error_set(e, "out of memory");
	r = ser_idmap_put(&s->seen, s->ids[s->nids], s->nids, &old, e);
	s->nids++;
	if (r == 1)
		return ser_error_set(e, "%s:%lu: duplicate id '%.128s'", ser_tsv_name(s->tsv),
		                     ser_tsv_lineno(s->tsv), key);
	if (r != 0)
		return -1;
	*id = s->ids[s->nids - 1];
	*x = s->x;
	return 1;
}

void
ser_fstream_close(ser_fstream *s)
{
	if (s == NULL)
		return;
	ser_tsv_close(s->tsv);
	ser_idmap_free(&s->seen);
	ser_strv_free(s->ids, s->nids);
	free(s->x);
	free(s);
}
