/* Unit tests of lib/plot (confusion reader, quoting, scripts, layout), lib/base64, and
 * random mutations of both table kinds (probability tables: lib/probs, see test_probs). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "emotion.h"
#include "plot.h"
#include "probs_tables.h"
#include "t.h"

static void
test_base64(void)
{
	static const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *want[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	char out[32];
	unsigned char all[256];
	char *big;
	ser_error e = {{0}};
	size_t k, n;

	for (k = 0; k < 7; k++) {
		n = ser_base64_encode((const unsigned char *)in[k], strlen(in[k]), out);
		CHECK(n == strlen(want[k]) && strcmp(out, want[k]) == 0 &&
		          ser_base64_len(strlen(in[k]), &e) == n,
		      "base64('%s') = '%s' (RFC 4648 section 10)", in[k], out);
	}
	for (k = 0; k < 256; k++)
		all[k] = (unsigned char)k;
	big = malloc(ser_base64_len(256, &e) + 1);
	n = ser_base64_encode(all, 256, big);
	CHECK(n == 344 && strncmp(big, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g", 44) == 0 &&
	          strcmp(big + 336, "/P3+/w==") == 0,
	      "base64 of bytes 0..255 (ends '%s')", big + 336);
	free(big);
	CHECK(ser_base64_len((size_t)-1, &e) == 0 && strstr(e.msg, "too large"),
	      "base64 length overflow refused: %s", e.msg);
}

/* Undo ser_plot_quote: "..." with \ooo escapes (and %% when fmt). */
static int
unquote(const char *q, char *out, size_t cap, int fmt)
{
	size_t n = strlen(q), i, o = 0;

	if (n < 2 || q[0] != '"' || q[n - 1] != '"')
		return -1;
	for (i = 1; i + 1 < n && o + 1 < cap; i++) {
		if (q[i] == '\\') {
			if (i + 3 >= n)
				return -1;
			out[o++] = (char)((q[i + 1] - '0') * 64 + (q[i + 2] - '0') * 8 + (q[i + 3] - '0'));
			i += 3;
		} else if (q[i] == '%' && fmt) {
			if (q[i + 1] != '%')
				return -1;
			out[o++] = '%';
			i++;
		} else if (q[i] == '"')
			return -1;
		else
			out[o++] = q[i];
	}
	out[o] = '\0';
	return 0;
}

static void
test_quote(void)
{
	static const char *hostile[] = {
		"\"; system(\"touch /tmp/x\"); \"",
		"`touch /tmp/x`",
		"@macro $data 'single' \\backslash",
		"new\nline\ttab\rcr",
		"50% %s %d",
		"\xc3\xa4rger \xe2\x80\x94 UTF-8",
		"plain-name_1.wav (2)",
	};
	size_t k;

	{
		ser_buf b = {0};
		ser_plot_quote(&b, "<0.1% 7", 0);
		CHECK(b.data && strcmp(b.data, "\"\\074\\060.1\\045 7\"") == 0,
		      "a digit right after an escape is escaped too (gnuplot reads \\0740 as one): %s",
		      b.data);
		ser_buf_free(&b);
	}
	for (k = 0; k < sizeof hostile / sizeof *hostile; k++) {
		int fmt;
		for (fmt = 0; fmt <= 1; fmt++) {
			ser_buf b = {0};
			char back[256];
			const char *inner;
			size_t i, bad = 0;
			ser_plot_quote(&b, hostile[k], fmt);
			inner = b.data + 1;
			for (i = 0; i + 2 < b.len; i++) {
				unsigned char c = (unsigned char)inner[i];
				if (c == '"' || c == '`' || c == '@' || c == '$' || c == '\'' || c < 0x20 ||
				    c >= 0x7F || (!fmt && c == '%'))
					bad++;
			}
			CHECK(bad == 0 && unquote(b.data, back, sizeof back, fmt) == 0 &&
			          strcmp(back, hostile[k]) == 0,
			      "quote(%zu, fmt=%d) has no raw special byte and round-trips: %s", k, fmt,
			      b.data);
			ser_buf_free(&b);
		}
	}
}

static void
test_confusion(void)
{
	static const struct {
		const char *table, *why;
	} bad[] = {
		{"true\n", "count column"},
		{"true\tangry\tsad\n", "no rows"},
		{"true\tangry\tsad\nangry\t3\t-1\n", "'sad'"},
		{"true\tangry\tsad\nangry\t3\t1.5\n", "'sad'"},
		{"true\tangry\tsad\nangry\t3\tx\n", "'sad'"},
		{"true\tangry\tsad\nangry\t3\t1\nangry\t1\t2\n", "twice"},
		{"true\tangry\tangry\nangry\t3\t1\n", "duplicate"},
		{"true\tangry\tsad\nangry\t3\t1000000000001\n", "'sad'"},
	};
	ser_confusion C;
	ser_buf b = {0};
	ser_plot_opts o = {SER_PLOT_CONFUSION, SER_PLOT_PNG, 680, 600, NULL};
	ser_error e = {{0}};
	size_t k;
	FILE *fp;

	fp = mem("true\tangry\tsad\tneutral\nangry\t8\t1\t1\nsad\t0\t3\t1\n");
	CHECK(ser_confusion_read(fp, "cm.tsv", &C, &e) == 0, "good matrix reads (%s)", e.msg);
	fclose(fp);
	CHECK(C.nrows == 2 && C.ncols == 3 && C.counts[0] == 8 && C.counts[1 * 3 + 1] == 3 &&
	          strcmp(C.rows[1], "sad") == 0 && strcmp(C.cols[2], "neutral") == 0,
	      "matrix shape and counts");
	CHECK(ser_plot_confusion_script(&o, &C, &b, &e) == 0, "confusion script builds");
	CHECK(b.data && strstr(b.data, "14 utterances, accuracy 78.6\\045"),
	      "title counts 14 utterances, accuracy 11/14 = 78.6%%");
	CHECK(b.data && strstr(b.data, "set label \"8\\n80%\"") && strstr(b.data, "set label \"3\\n75%\""),
	      "cells carry count and row-normalised recall (8 -> 80%%, 3 -> 75%%)");
	CHECK(b.data && strstr(b.data, "0 0 0.800000") && strstr(b.data, "1 1 0.750000"),
	      "heat map values are row-normalised recall");
	ser_buf_free(&b);
	ser_confusion_free(&C);

	for (k = 0; k < sizeof bad / sizeof *bad; k++) {
		fp = mem(bad[k].table);
		e.msg[0] = '\0';
		CHECK(ser_confusion_read(fp, "cm.tsv", &C, &e) != 0 && strstr(e.msg, bad[k].why),
		      "bad matrix %zu refused: %s", k, e.msg);
		fclose(fp);
	}
}

static void
test_timeline_id(void)
{
	size_t n = 99;
	double s = -1;

	CHECK(ser_plot_timeline_id("talk.wav@12.500", &n, &s) == 0 && n == 8 && s == 12.5,
	      "talk.wav@12.500 -> name of 8 bytes, 12.5 s");
	CHECK(ser_plot_timeline_id("a@b@3", &n, &s) == 0 && n == 3 && s == 3, "the last @ counts");
	CHECK(ser_plot_timeline_id("x", &n, &s) != 0, "no @: not a window");
	CHECK(ser_plot_timeline_id("x@", &n, &s) != 0, "x@: not a window");
	CHECK(ser_plot_timeline_id("x@-1", &n, &s) != 0, "negative start refused");
	CHECK(ser_plot_timeline_id("x@nan", &n, &s) != 0, "NaN start refused");
	CHECK(ser_plot_timeline_id("x@1e400", &n, &s) != 0, "overflowing start refused");
}

static void
test_layout_and_scripts(void)
{
	ser_plot_opts o = {SER_PLOT_BAR, SER_PLOT_PNG, 800, 500, NULL};
	ser_probs P;
	ser_buf b = {0};
	ser_error e = {{0}};
	int x0, y0, x1, y1, k, prev = -1, ok = 1;
	char want[64];
	FILE *fp;
	size_t rows[2] = {0, 1};
	double secs[2] = {1.0, 0.5};

	CHECK(ser_plot_class_color("happy", 0) == 0xE69F00 && ser_plot_class_color("sad", 0) == 0x0072B2,
	      "the seven classes use lib/emotion's colours");
	CHECK(ser_plot_class_color("calm", 2) == ser_plot_class_color("calm", 2) &&
	          ser_plot_class_color("calm", 2) != ser_plot_class_color("calm", 3),
	      "other classes get a fixed colour by column");
	for (k = 0; k < 7; k++) {
		ser_plot_bar_pixel(&o, 7, (size_t)k, 0.5, &x0, &y0);
		if (x0 <= prev || x0 < 0 || x0 >= 800 || y0 < 0 || y0 >= 500)
			ok = 0;
		prev = x0;
	}
	CHECK(ok, "bars stand left to right inside the image");
	ser_plot_bar_pixel(&o, 7, 3, 0.2, &x0, &y0);
	ser_plot_bar_pixel(&o, 7, 3, 0.8, &x1, &y1);
	CHECK(x0 == x1 && y1 < y0, "a taller bar's middle is higher up (%d < %d)", y1, y0);
	o.kind = SER_PLOT_BOTH;
	ser_plot_bar_pixel(&o, 7, 6, 0.5, &x0, &y0);
	CHECK(x0 < 800 * 0.55, "in 'both' the bars stay in the left part (x %d)", x0);

	fp = mem(HDR ROW_HAPPY ROW_SAD);
	if (ser_probs_read(fp, "t.tsv", &P, &e) != 0) {
		CHECK(0, "table for scripts: %s", e.msg);
		fclose(fp);
		return;
	}
	fclose(fp);
	o.kind = SER_PLOT_BAR;
	CHECK(ser_plot_probs_script(&o, &P, 0, &b, &e) == 0, "bar script builds");
	CHECK(strstr(b.data, "set terminal pngcairo size 800,500") != NULL, "PNG terminal at the asked size");
	snprintf(want, sizeof want, "\n3 0.6 %u\n", 0xE69F00u);
	CHECK(strstr(b.data, want) != NULL, "the predicted bar (happy) has its full colour");
	snprintf(want, sizeof want, "\n5 0.03 %u\n", 0x0072B2u);
	CHECK(strstr(b.data, want) == NULL && strstr(b.data, "\n5 0.03 ") != NULL,
	      "a bar not predicted (sad) is a lighter tint");
	CHECK(strstr(b.data, "set output") == NULL && strstr(b.data, "system") == NULL,
	      "no output file and no system() in the script");
	b.len = 0;
	CHECK(ser_plot_probs_script(&o, &P, 1, &b, &e) == 0, "second row's script builds");
	snprintf(want, sizeof want, "\n5 0.7 %u\n", 0x0072B2u);
	CHECK(strstr(b.data, want) != NULL, "row 2: sad predicted, in full colour");
	b.len = 0;
	o.kind = SER_PLOT_PIE;
	o.format = SER_PLOT_SVG;
	CHECK(ser_plot_probs_script(&o, &P, 0, &b, &e) == 0 &&
	          strstr(b.data, "set terminal svg size 800,500") && strstr(b.data, "with circles"),
	      "pie script: svg terminal, wedges with circles");
	b.len = 0;
	CHECK(ser_plot_probs_script(&o, &P, 2, &b, &e) != 0, "no row 3: %s", e.msg);
	b.len = 0;
	o.kind = SER_PLOT_TIMELINE;
	CHECK(ser_plot_timeline_script(&o, &P, rows, secs, 2, "talk", &b, &e) != 0 &&
	          strstr(e.msg, "increasing"),
	      "timeline windows out of order refused: %s", e.msg);
	secs[0] = 0;
	b.len = 0;
	b.failed = 0;
	CHECK(ser_plot_timeline_script(&o, &P, rows, secs, 2, "talk", &b, &e) == 0 &&
	          strstr(b.data, "with boxxyerror"),
	      "timeline script builds, with the predicted strip");
	ser_buf_free(&b);
	ser_probs_free(&P);
}

/* xorshift32, fixed seed: the same mutations every run */
static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/*
 * Mutate good tables at random (bytes replaced, inserted, deleted, lines
 * duplicated) and read them: each read must either fail with a message or
 * give a table that keeps every promise of ser_probs_read. Run under
 * valgrind/ASan by make valgrind / make asan.
 */
static void
test_mutations(void)
{
	static const char good[] = HDR ROW_HAPPY ROW_SAD;
	static const char cgood[] = "true\tangry\tsad\nangry\t8\t1\nsad\t0\t3\n";
	static const char alphabet[] = "\t\n\r0123456789.-+eE@%\"`$\\ abcnaif\x80\xff";
	uint32_t seed = 12345;
	int k, ok_reads = 0, failed = 0, broken = 0;
	char buf[1024], *why = NULL;

	for (k = 0; k < 3000; k++) {
		const char *src = k % 3 == 2 ? cgood : good;
		size_t n = strlen(src), m, pos;
		int nmut = 1 + (int)(rnd(&seed) % 4), j;
		ser_error e = {{0}};
		FILE *fp;

		memcpy(buf, src, n);
		for (j = 0; j < nmut; j++) {
			pos = rnd(&seed) % (n + 1);
			switch (rnd(&seed) % 4) {
			case 0: /* replace */
				if (pos < n)
					buf[pos] = alphabet[rnd(&seed) % (sizeof alphabet - 1)];
				break;
			case 1: /* insert */
				if (n + 1 < sizeof buf) {
					memmove(buf + pos + 1, buf + pos, n - pos);
					buf[pos] = alphabet[rnd(&seed) % (sizeof alphabet - 1)];
					n++;
				}
				break;
			case 2: /* delete */
				if (pos < n) {
					memmove(buf + pos, buf + pos + 1, n - pos - 1);
					n--;
				}
				break;
			default: /* duplicate the tail */
				m = n - pos;
				if (n + m < sizeof buf) {
					memcpy(buf + n, buf + pos, m);
					n += m;
				}
			}
		}
		fp = fmemopen(buf, n ? n : 1, "r");
		if (n == 0)
			fgetc(fp);
		if (src == good) {
			ser_probs P;
			if (ser_probs_read(fp, "m.tsv", &P, &e) == 0) {
				size_t r, c;
				ok_reads++;
				for (r = 0; r < P.nrows; r++) {
					double sum = 0;
					for (c = 0; c < P.nclass; c++) {
						double v = P.p[r * P.nclass + c];
						if (!(v >= 0 && v <= 1))
							broken++, why = "probability outside [0, 1]";
						sum += v;
					}
					if (fabs(sum - 1) > SER_PROBS_SUM_TOL)
						broken++, why = "row sum";
					if (P.predicted[r] < 0 || (size_t)P.predicted[r] >= P.nclass)
						broken++, why = "predicted index";
				}
				ser_probs_free(&P);
			} else if (strncmp(e.msg, "m.tsv", 5) != 0)
				failed++, why = e.msg;
		} else {
			ser_confusion C;
			if (ser_confusion_read(fp, "m.tsv", &C, &e) == 0) {
				size_t c;
				ok_reads++;
				for (c = 0; c < C.nrows * C.ncols; c++)
					if (C.counts[c] < 0)
						broken++, why = "negative count";
				ser_confusion_free(&C);
			} else if (strncmp(e.msg, "m.tsv", 5) != 0)
				failed++, why = e.msg;
		}
		fclose(fp);
	}
	CHECK(broken == 0 && failed == 0,
	      "3000 mutated tables: %d read, every other refused with a message naming the file (%s)",
	      ok_reads, why ? why : "-");
}

int
main(void)
{
	test_base64();
	test_quote();
	test_confusion();
	test_timeline_id();
	test_layout_and_scripts();
	test_mutations();
	return t_done();
}
