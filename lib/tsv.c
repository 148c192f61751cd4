#include "tsv.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"

struct ser_tsv {
	FILE *fp;
	char *name;
	char *line;      /* current line buffer (fields are cut in place) */
	size_t cap;      /* bytes allocated for line */
	char **fields;   /* pointers into line */
	char *hdr;       /* header storage */
	char **cols;     /* pointers into hdr */
	size_t ncols;
	unsigned long lineno;
};

/*
 * Read one line into t->line, growing it geometrically up to
 * SER_TSV_LINE_MAX. Returns length (without '\n'), -1 at EOF before any
 * byte, -2 on error (e set).
 */
static long
read_line(ser_tsv *t, ser_error *e)
{
	size_t n = 0;
	int c;

	for (;;) {
		c = getc(t->fp);
		if (c == EOF) {
			if (ferror(t->fp))
				return ser_error_set(e, "%s:%lu: read error", t->name, t->lineno + 1), -2;
			if (n == 0)
				return -1;
			break;
		}
		if (c == '\n')
			break;
		if (c == '\0' || c == '\r')
			return ser_error_set(e, "%s:%lu: %s byte in table", t->name, t->lineno + 1,
			                     c == '\0' ? "NUL" : "carriage-return (CRLF?)"), -2;
		if (n + 1 >= t->cap) {
			size_t nc = t->cap ? t->cap * 2 : 4096;
			char *p;
			if (nc > SER_TSV_LINE_MAX + 1)
				nc = SER_TSV_LINE_MAX + 1;
			if (n + 1 >= nc)
				return ser_error_set(e, "%s:%lu: line longer than %u bytes", t->name,
				                     t->lineno + 1, SER_TSV_LINE_MAX), -2;
			p = realloc(t->line, nc);
			if (p == NULL)
				return ser_error_set(e, "%s:%lu: out of memory", t->name, t->lineno + 1), -2;
			t->line = p;
			t->cap = nc;
		}
		t->line[n++] = (char)c;
	}
	if (t->line == NULL) { /* "\n" as the very first byte */
		t->line = malloc(4096);
		if (t->line == NULL)
			return ser_error_set(e, "%s: out of memory", t->name), -2;
		t->cap = 4096;
	}
	t->line[n] = '\0';
	t->lineno++;
	return (long)n;
}

/* Cut a line at tabs; returns the number of fields, or 0 if over max. */
static size_t
split(char *line, char **out, size_t max)
{
	size_t n = 0;
	char *p = line;

	for (;;) {
		char *tab = strchr(p, '\t');
		if (n == max)
			return 0;
		out[n++] = p;
		if (tab == NULL)
			break;
		*tab = '\0';
		p = tab + 1;
	}
	return n;
}

ser_tsv *
ser_tsv_open(FILE *fp, const char *name, ser_error *e)
{
	ser_tsv *t;
	long len;
	size_t i, j, n;

	t = calloc(1, sizeof *t);
	if (t == NULL) {
		ser_error_set(e, "%s: out of memory", name);
		return NULL;
	}
	t->fp = fp;
	t->name = strdup(name ? name : "<stdin>");
	if (t->name == NULL)
		goto oom;
	len = read_line(t, e);
	if (len == -1) {
		ser_error_set(e, "%s: empty table (no header line)", t->name);
		goto fail;
	}
	if (len < 0)
		goto fail;
	t->hdr = strdup(t->line);
	if (t->hdr == NULL)
		goto oom;
	/* count tabs to size the arrays exactly */
	for (n = 1, i = 0; t->hdr[i]; i++)
		n += t->hdr[i] == '\t';
	if (n > SER_TSV_COLS_MAX) {
		ser_error_set(e, "%s:1: more than %u columns", t->name, SER_TSV_COLS_MAX);
		goto fail;
	}
	t->cols = calloc(n, sizeof *t->cols);
	t->fields = calloc(n + 1, sizeof *t->fields);
	if (t->cols == NULL || t->fields == NULL)
		goto oom;
	t->ncols = split(t->hdr, t->cols, n);
	for (i = 0; i < t->ncols; i++) {
		if (t->cols[i][0] == '\0') {
			ser_error_set(e, "%s:1: header column %zu has an empty name", t->name, i + 1);
			goto fail;
		}
		for (j = 0; j < i; j++)
			if (strcmp(t->cols[i], t->cols[j]) == 0) {
				ser_error_set(e, "%s:1: duplicate column name '%.64s'", t->name, t->cols[i]);
				goto fail;
			}
	}
	return t;
oom:
	ser_error_set(e, "%s: out of memory", name ? name : "<stdin>");
fail:
	ser_tsv_close(t);
	return NULL;
}

void
ser_tsv_close(ser_tsv *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->line);
	free(t->fields);
	free(t->hdr);
	free(t->cols);
	free(t);
}

size_t ser_tsv_ncols(const ser_tsv *t) { return t->ncols; }
const char *ser_tsv_colname(const ser_tsv *t, size_t col) { return col < t->ncols ? t->cols[col] : NULL; }
const char *ser_tsv_name(const ser_tsv *t) { return t->name; }
unsigned long ser_tsv_lineno(const ser_tsv *t) { return t->lineno; }

long
ser_tsv_find(const ser_tsv *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i], name) == 0)
			return (long)i;
	return -1;
}

int
ser_tsv_next(ser_tsv *t, ser_error *e)
{
	long len;
	size_t n;

	len = read_line(t, e);
	if (len == -1)
		return 0;
	if (len < 0)
		return -1;
	n = split(t->line, t->fields, t->ncols + 1);
	if (n != t->ncols)
		return ser_error_set(e, "%s:%lu: %s fields, the header has %zu", t->name, t->lineno,
		                     n == 0 || n > t->ncols ? "more" : "fewer", t->ncols);
	return 1;
}

const char *
ser_tsv_field(const ser_tsv *t, size_t col)
{
	return col < t->ncols ? t->fields[col] : NULL;
}

int
ser_tsv_double(const ser_tsv *t, size_t col, double *out, ser_error *e)
{
	ser_error sub;

	if (col >= t->ncols)
		return ser_error_set(e, "%s:%lu: no column %zu", t->name, t->lineno, col + 1);
	if (ser_parse_double(t->fields[col], -DBL_MAX, DBL_MAX, out, &sub) != 0)
		return ser_error_set(e, "%s:%lu: column '%.64s': %s", t->name, t->lineno, t->cols[col], sub.msg);
	return 0;
}

int
ser_tsv_check_id(const ser_tsv *t, const char *id, ser_error *e)
{
	if (id[0] == '\0')
		return ser_error_set(e, "%s:%lu: empty id", t->name, t->lineno);
	return 0;
}
