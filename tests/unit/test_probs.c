/*
 * test_probs.c - the probability table reader (lib/probs.h) and the string
 * array helpers it uses (lib/strv.h): a good table, every refusal with a
 * message naming the file, the class limit, reading after a header was read
 * elsewhere (ser_probs_from_tsv), and find.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "probs.h"
#include "probs_tables.h"
#include "strv.h"
#include "t.h"
#include "tsv.h"

static void
test_probs(void)
{
	static const struct {
		const char *table, *why;
	} bad[] = {
		{"", "empty"},
		{"id\tpredicted\tconfidence\n", "class column"},
		{"id\tpredicted\tconfidence\tangry\n", "two class"},
		{"id\tx\tconfidence\tangry\tsad\n", "not a probability table"},
		{"id\tangry\tsad\n", "not a probability table"},
		{HDR, "no rows"},
		{HDR "a\thappy\t0.6\t0.15\t0.05\t0.10\t0.60\t0.05\t0.03\n", ""},
		{HDR "a\thappy\t1.6\t0.15\t0.05\t0.10\t1.60\t0.05\t0.03\t0.02\n", "outside [0, 1]"},
		{HDR "a\thappy\t0.6\t-0.15\t0.05\t0.10\t0.60\t0.05\t0.03\t0.02\n", "outside [0, 1]"},
		{HDR "a\thappy\t0.6\t0.15\t0.05\t0.10\t0.60\t0.05\t0.03\t0.12\n", "sum to"},
		{HDR "a\thappy\t0.6\t0.05\t0.05\t0.10\t0.60\t0.05\t0.03\t0.02\n", "sum to"},
		{HDR "a\thappy\t0.6\tnan\t0.05\t0.10\t0.60\t0.05\t0.03\t0.02\n", "angry"},
		{HDR "a\thappy\t0.6\t0.15\t0.05\t0.10\t0.60\t0.05\t0.03\tinf\n", "surprise"},
		{HDR "a\thappy\t0.6\t0.15\t0.05\t0.10\t0.60\t0.05\t0.03\t\n", "surprise"},
		{HDR "a\tcalm\t0.6\t0.15\t0.05\t0.10\t0.60\t0.05\t0.03\t0.02\n", "not one of the class"},
		{HDR "a\thappy\t0.5\t0.15\t0.05\t0.10\t0.60\t0.05\t0.03\t0.02\n", "confidence"},
		{HDR ROW_HAPPY ROW_HAPPY, "twice"},
		{"id\tpredicted\tconfidence\tsad\tsad\na\tsad\t0.5\t0.5\t0.5\n", "duplicate"},
		{HDR "\thappy\t0.6\t0.15\t0.05\t0.10\t0.60\t0.05\t0.03\t0.02\n", ""},
		{HDR ROW_HAPPY "x\tsad\r\n", "carriage"},
	};
	ser_probs P;
	ser_error e = {{0}};
	size_t k;
	FILE *fp;

	fp = mem(HDR ROW_HAPPY ROW_SAD);
	CHECK(ser_probs_read(fp, "t.tsv", &P, &e) == 0, "good table reads (%s)", e.msg);
	fclose(fp);
	CHECK(P.nclass == 7 && P.nrows == 2 && strcmp(P.classes[3], "happy") == 0 &&
	          P.predicted[0] == 3 && P.predicted[1] == 5,
	      "classes and predicted indices");
	CHECK_NEAR(P.p[0 * 7 + 3], 0.6, 0, 1e-12, "p[a.wav][happy] = 0.6");
	CHECK_NEAR(P.p[1 * 7 + 5], 0.7, 0, 1e-12, "p[b.wav][sad] = 0.7");
	CHECK(ser_probs_find(&P, "b.wav") == 1 && ser_probs_find(&P, "c.wav") == -1, "find by id");
	ser_probs_free(&P);

	fp = mem(HDR "a\thappy\t0.6\t0.1505\t0.05\t0.10\t0.60\t0.05\t0.03\t0.02\n");
	CHECK(ser_probs_read(fp, "t.tsv", &P, &e) == 0, "a sum off by 5e-4 is within tolerance");
	fclose(fp);
	ser_probs_free(&P);

	for (k = 0; k < sizeof bad / sizeof *bad; k++) {
		fp = mem(bad[k].table);
		e.msg[0] = '\0';
		CHECK(ser_probs_read(fp, "t.tsv", &P, &e) != 0 && strstr(e.msg, bad[k].why) &&
		          strncmp(e.msg, "t.tsv", 5) == 0 && P.nrows == 0 && P.classes == NULL,
		      "bad table %zu refused: %s", k, e.msg);
		fclose(fp);
	}
}

/* A table of n class columns c0..c{n-1}, one row predicting c0 with 1
 * (NULL if out of memory). */
static char *
wide_table(size_t n)
{
	ser_buf b = {0};
	size_t k;

	ser_buf_printf(&b, "id\tpredicted\tconfidence");
	for (k = 0; k < n; k++)
		ser_buf_printf(&b, "\tc%zu", k);
	ser_buf_printf(&b, "\nx\tc0\t1");
	for (k = 0; k < n; k++)
		ser_buf_printf(&b, "\t%d", k == 0);
	ser_buf_printf(&b, "\n");
	if (b.failed) {
		ser_buf_free(&b);
		return NULL;
	}
	return b.data;
}

static void
test_limits_and_tsv(void)
{
	ser_probs P;
	ser_error e = {{0}};
	ser_tsv *t;
	char *s;
	FILE *fp;

	s = wide_table(SER_PROBS_CLASSES_MAX);
	fp = mem(s ? s : "");
	CHECK(ser_probs_read(fp, "w.tsv", &P, &e) == 0 && P.nclass == SER_PROBS_CLASSES_MAX &&
	          P.predicted[0] == 0,
	      "%d class columns read (%s)", SER_PROBS_CLASSES_MAX, e.msg);
	ser_probs_free(&P);
	fclose(fp);
	free(s);
	s = wide_table(SER_PROBS_CLASSES_MAX + 1);
	fp = mem(s ? s : "");
	CHECK(ser_probs_read(fp, "w.tsv", &P, &e) != 0 && strstr(e.msg, "w.tsv:1: 65 class columns"),
	      "%d class columns refused: %s", SER_PROBS_CLASSES_MAX + 1, e.msg);
	fclose(fp);
	free(s);

	fp = mem(HDR ROW_SAD ROW_HAPPY);
	t = ser_tsv_open(fp, "s.tsv", &e);
	CHECK(t != NULL && ser_probs_from_tsv(t, &P, &e) == 0 && P.nrows == 2 &&
	          strcmp(P.ids[1], "a.wav") == 0 && P.predicted[1] == 3,
	      "from an opened table: rows in input order (%s)", e.msg);
	ser_probs_free(&P);
	CHECK(P.nrows == 0 && P.ids == NULL && P.p == NULL, "free empties");
	ser_probs_free(&P);
	ser_probs_free(NULL);
	ser_tsv_close(t);
	fclose(fp);
}

static void
test_strv(void)
{
	char *v[4];
	ser_error e = {{0}};
	size_t k;

	v[0] = strdup("b");
	v[1] = strdup("a");
	v[2] = strdup("c");
	v[3] = strdup("a");
	CHECK(ser_strv_distinct(v, 3, "n", "id", &e) == 0, "distinct strings pass");
	CHECK(ser_strv_distinct(v, 4, "n", "id", &e) != 0 && strcmp(e.msg, "n: id 'a' appears twice") == 0,
	      "a duplicate is named: %s", e.msg);
	CHECK(ser_strv_distinct(v, 1, "n", "id", NULL) == 0 && ser_strv_distinct(NULL, 0, "n", "id", NULL) == 0,
	      "0 or 1 strings are distinct");
	CHECK(strcmp(v[0], "b") == 0 && strcmp(v[3], "a") == 0, "the array is not reordered");
	for (k = 0; k < 4; k++)
		free(v[k]);
	ser_strv_free(NULL, 3);
	{
		char **w = malloc(2 * sizeof *w);
		if (w != NULL) {
			w[0] = strdup("x");
			w[1] = strdup("y");
			ser_strv_free(w, 2); /* ASan/valgrind see a leak if not */
		}
	}
}

int
main(void)
{
	test_probs();
	test_limits_and_tsv();
	test_strv();
	return t_done();
}
