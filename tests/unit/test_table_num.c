/* Unit tests of lib/num (the one number parser) and lib/tsv (the one TSV reader). */
#include <float.h>
#include <stdio.h>
#include <string.h>

#include "num.h"
#include "tsv.h"
#include "t.h"

static FILE *
mem(const char *s)
{
	return fmemopen((void *)s, strlen(s), "r");
}

static void
test_num(void)
{
	ser_error e;
	double d = -1;
	int64_t i = -1;
	static const char *bad_d[] = {"", " 1", "1 ", "nan", "NaN", "inf", "-inf", "0x10", "1e999",
	                              "abc", "1,5", "--1", "1e", "."};
	size_t k;

	CHECK(ser_parse_double("1.5", 0, 2, &d, &e) == 0 && d == 1.5, "double 1.5 parses exactly");
	CHECK(ser_parse_double("-2.5e-3", -1, 1, &d, &e) == 0 && fabs(d + 2.5e-3) < 1e-18, "double with exponent");
	for (k = 0; k < sizeof bad_d / sizeof *bad_d; k++)
		CHECK(ser_parse_double(bad_d[k], -DBL_MAX, DBL_MAX, &d, &e) != 0, "double rejects '%s' (%s)", bad_d[k], e.msg);
	CHECK(ser_parse_double("3", 0, 2, &d, &e) != 0 && strstr(e.msg, "out of range"), "double range check: %s", e.msg);
	CHECK(ser_parse_i64("16000", 1, 1000000, &i, &e) == 0 && i == 16000, "integer 16000");
	CHECK(ser_parse_i64("-9223372036854775808", INT64_MIN, INT64_MAX, &i, &e) == 0 && i == INT64_MIN, "INT64_MIN");
	CHECK(ser_parse_i64("9223372036854775808", INT64_MIN, INT64_MAX, &i, &e) != 0, "INT64_MAX+1 overflows: %s", e.msg);
	CHECK(ser_parse_i64("4294967295", 1, 768000, &i, &e) != 0, "rate 4294967295 out of range: %s", e.msg);
	CHECK(ser_parse_i64("1.0", 0, 10, &i, &e) != 0, "integer rejects 1.0");
	CHECK(ser_parse_i64("+1", 0, 10, &i, &e) != 0, "integer rejects +1");
	CHECK(ser_parse_i64("", 0, 10, &i, &e) != 0, "integer rejects empty");
	CHECK(ser_parse_i64("12\n", 0, 100, &i, &e) != 0 && strchr(e.msg, '\n') == NULL,
	      "control bytes are not echoed raw: %s", e.msg);
}

static void
test_tsv(void)
{
	ser_error e;
	ser_tsv *t;
	FILE *fp;
	double v;

	fp = mem("id\ta\tb\nx\t1\t2.5\ny\t3\t4\n");
	t = ser_tsv_open(fp, "t.tsv", &e);
	CHECK(t != NULL && ser_tsv_ncols(t) == 3, "header of 3 columns");
	CHECK(ser_tsv_find(t, "b") == 2 && ser_tsv_find(t, "c") == -1, "find column by name");
	CHECK(ser_tsv_next(t, &e) == 1 && strcmp(ser_tsv_field(t, 0), "x") == 0, "first row id");
	CHECK(ser_tsv_double(t, 2, &v, &e) == 0 && v == 2.5, "first row b = 2.5");
	CHECK(ser_tsv_next(t, &e) == 1 && ser_tsv_lineno(t) == 3, "second row is line 3");
	CHECK(ser_tsv_next(t, &e) == 0, "end of table");
	ser_tsv_close(t);
	fclose(fp);

	fp = mem("id\ta\nx\tNaN\n");
	t = ser_tsv_open(fp, "n.tsv", &e);
	CHECK(ser_tsv_next(t, &e) == 1 && ser_tsv_double(t, 1, &v, &e) != 0 &&
	      strstr(e.msg, "n.tsv:2: column 'a'") != NULL, "NaN cell names file, line, column: %s", e.msg);
	ser_tsv_close(t);
	fclose(fp);

	fp = mem("id\ta\nx\t\n");
	t = ser_tsv_open(fp, "n.tsv", &e);
	CHECK(ser_tsv_next(t, &e) == 1 && ser_tsv_double(t, 1, &v, &e) != 0, "empty cell is an error: %s", e.msg);
	ser_tsv_close(t);
	fclose(fp);

	fp = mem("id\ta\nx\t1\t2\n");
	t = ser_tsv_open(fp, "w.tsv", &e);
	CHECK(ser_tsv_next(t, &e) == -1 && strstr(e.msg, "w.tsv:2:"), "too many fields: %s", e.msg);
	ser_tsv_close(t);
	fclose(fp);

	fp = mem("id\ta\nx\n");
	t = ser_tsv_open(fp, "w.tsv", &e);
	CHECK(ser_tsv_next(t, &e) == -1 && strstr(e.msg, "fewer"), "too few fields: %s", e.msg);
	ser_tsv_close(t);
	fclose(fp);

	fp = mem("id\ta\r\nx\t1\r\n");
	CHECK(ser_tsv_open(fp, "crlf.tsv", &e) == NULL && strstr(e.msg, "carriage"), "CRLF refused: %s", e.msg);
	fclose(fp);

	fp = mem("");
	CHECK(ser_tsv_open(fp, "empty.tsv", &e) == NULL && strstr(e.msg, "empty"), "empty table: %s", e.msg);
	fclose(fp);

	fp = mem("id\ta\ta\n");
	CHECK(ser_tsv_open(fp, "dup.tsv", &e) == NULL && strstr(e.msg, "duplicate"), "duplicate column: %s", e.msg);
	fclose(fp);

	fp = mem("id\ta\nx\t1");
	t = ser_tsv_open(fp, "nonl.tsv", &e);
	CHECK(t && ser_tsv_next(t, &e) == 1 && ser_tsv_next(t, &e) == 0, "last line without newline is read");
	ser_tsv_close(t);
	fclose(fp);
}

int
main(void)
{
	test_num();
	test_tsv();
	return t_done();
}
