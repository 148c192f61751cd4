/*
 * test_words.c - the bag of audio words (lib/words.h): nearest words with
 * ties, the histogram of hand-made frames over a hand-made codebook, the
 * codebook file (round trip, every refusal naming file and line), the
 * learner (deterministic per seed, uniform sampling, too few frames), the
 * compiled-in codebook, and the word columns of the feature sets.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "featset.h"
#include "t.h"
#include "words.h"

#define D SER_WORDS_DIM

/* A codebook of n words over static storage: mean m, sd s in every
 * dimension, words given (standardised). */
static ser_codebook
make_cb(size_t n, double m, double s, const double *words)
{
	ser_codebook cb;
	size_t d;

	memset(&cb, 0, sizeof cb);
	cb.n = n;
	for (d = 0; d < D; d++) {
		cb.mean[d] = m;
		cb.sd[d] = s;
	}
	cb.word = words;
	return cb;
}

static void
test_names(void)
{
	CHECK(strcmp(ser_words_name(0), "mfcc1_cmn") == 0 &&
	              strcmp(ser_words_name(11), "mfcc12_cmn") == 0 &&
	              strcmp(ser_words_name(12), "mfcc1_delta") == 0 &&
	              strcmp(ser_words_name(23), "mfcc12_delta") == 0 &&
	              strcmp(ser_words_name(24), "loudness_rel") == 0 && ser_words_name(25) == NULL,
	      "the 25 descriptor names, in order");
}

/* Words on the first axis at 0, 1, ..., 6 (standardised units). */
static double line7[7 * D];

static void
make_line7(void)
{
	size_t j;

	memset(line7, 0, sizeof line7);
	for (j = 0; j < 7; j++)
		line7[j * D] = (double)j;
}

static void
test_nearest(void)
{
	ser_codebook cb = make_cb(7, 0, 1, line7);
	double z[D] = {0};
	size_t idx[8], k;

	z[0] = 3; /* 3; then 2 and 4 at 1; then 1 and 5 at 4 */
	k = ser_codebook_nearest(&cb, z, 5, idx);
	CHECK(k == 5 && idx[0] == 3 && idx[1] == 2 && idx[2] == 4 && idx[3] == 1 && idx[4] == 5,
	      "nearest 5 of 3.0: 3, 2, 4, 1, 5 (ties to the lower index): %zu %zu %zu %zu %zu", idx[0],
	      idx[1], idx[2], idx[3], idx[4]);
	z[0] = 2.5; /* 2 and 3 at 0.25, 1 and 4 at 2.25 */
	k = ser_codebook_nearest(&cb, z, 4, idx);
	CHECK(k == 4 && idx[0] == 2 && idx[1] == 3 && idx[2] == 1 && idx[3] == 4,
	      "nearest 4 of 2.5: 2, 3, 1, 4");
	k = ser_codebook_nearest(&cb, z, 1, idx);
	CHECK(k == 1 && idx[0] == 2, "nearest 1 of 2.5 (a tie): the lower index, 2");
	CHECK(ser_codebook_nearest(&cb, z, 9, idx) == SER_WORDS_VOTES, "k is cut to %d",
	      SER_WORDS_VOTES);
	{ /* equal words: index order */
		static double same[3 * D];
		ser_codebook c3 = make_cb(3, 0, 1, same);
		k = ser_codebook_nearest(&c3, z, 5, idx);
		CHECK(k == 3 && idx[0] == 0 && idx[1] == 1 && idx[2] == 2,
		      "three equal words, k cut to n = 3: 0, 1, 2");
	}
	{ /* the last word nearest: it must displace the others */
		z[0] = 100;
		k = ser_codebook_nearest(&cb, z, 2, idx);
		CHECK(k == 2 && idx[0] == 6 && idx[1] == 5, "nearest 2 of 100: 6, 5");
	}
}

static void
test_histogram(void)
{
	/* mean 1, sd 2: raw = 1 + 2 z, exactly */
	ser_codebook cb = make_cb(7, 1, 2, line7);
	double x[3 * D], h[7];
	double want[7] = {1, 2, 3, 3, 3, 2, 1}; /* votes of z = 0, 3, 6 */
	size_t t, d, j, bad = 0;

	for (t = 0; t < 3; t++)
		for (d = 0; d < D; d++)
			x[t * D + d] = 1 + 2 * (d == 0 ? 3.0 * (double)t : 0.0);
	ser_codebook_histogram(&cb, x, 3, h);
	for (j = 0; j < 7; j++) {
		double w = log1p(100.0 * want[j] / 3.0);
		if (fabs(h[j] - w) > 1e-12) {
			printf("# word%zu: %.17g, want %.17g\n", j, h[j], w);
			bad++;
		}
	}
	CHECK(bad == 0, "histogram of 3 frames over 7 words: votes 1 2 3 3 3 2 1 -> log1p(100 c / 3)");
	ser_codebook_histogram(&cb, x, 0, h);
	for (bad = 0, j = 0; j < 7; j++)
		bad += h[j] != 0;
	CHECK(bad == 0, "no frames: zeros");
	{ /* n < 5: every frame votes for every word */
		ser_codebook c3 = make_cb(3, 1, 2, line7);
		ser_codebook_histogram(&c3, x, 3, h);
		CHECK(fabs(h[0] - log1p(100)) < 1e-12 && fabs(h[1] - log1p(100)) < 1e-12 &&
		              fabs(h[2] - log1p(100)) < 1e-12,
		      "3 words: every frame votes for all three, log1p(100) each");
	}
}

/* A codebook as text: header, mean, sd, then n words; cell (r, d) from f. */
static char *
cb_text(size_t n, double (*f)(size_t r, size_t d), size_t *len)
{
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, len);
	size_t r, d;

	fputs("id", fp);
	for (d = 0; d < D; d++)
		fprintf(fp, "\t%s", ser_words_name(d));
	fputc('\n', fp);
	for (r = 0; r < n + 2; r++) {
		if (r < 2)
			fputs(r == 0 ? "mean" : "sd", fp);
		else
			fprintf(fp, "word%zu", r - 2);
		for (d = 0; d < D; d++)
			fprintf(fp, "\t%.17g", f(r, d));
		fputc('\n', fp);
	}
	fclose(fp);
	return buf;
}

static double
cell_ok(size_t r, size_t d)
{
	return r == 1 ? 0.5 + (double)d : sin((double)(r * 31 + d)) * 3.0;
}

/* Read text as a codebook named "cb.tsv": 0 or -1 (e set). */
static int
read_text(const char *text, ser_codebook *cb, ser_error *e)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	int rc = ser_codebook_read(fp, "cb.tsv", cb, e);

	fclose(fp);
	return rc;
}

static void
test_file(void)
{
	size_t len, j, d, bad = 0;
	char *text = cb_text(6, cell_ok, &len), *out = NULL;
	ser_codebook cb, cb2;
	ser_error e = {{0}};
	FILE *fp;

	if (!CHECK(read_text(text, &cb, &e) == 0, "read a codebook of 6 words: %s", e.msg))
		return;
	CHECK(cb.n == 6 && cb.word == cb.own, "6 words, owned");
	for (j = 0; j < 6; j++)
		for (d = 0; d < D; d++)
			bad += cb.word[j * D + d] != cell_ok(j + 2, d);
	for (d = 0; d < D; d++)
		bad += cb.mean[d] != cell_ok(0, d) || cb.sd[d] != cell_ok(1, d);
	CHECK(bad == 0, "every value as written (%%.17g round trip)");
	fp = open_memstream(&out, &len);
	CHECK(ser_codebook_write(fp, &cb, &e) == 0, "write it");
	fclose(fp);
	CHECK(strcmp(out, text) == 0, "written again: the same text");
	CHECK(ser_codebook_copy(&cb2, &cb, &e) == 0 && cb2.own != cb.own && cb2.n == 6 &&
	              memcmp(cb2.word, cb.word, 6 * D * sizeof(double)) == 0,
	      "a copy owns its own words");
	ser_codebook_free(&cb2);
	ser_codebook_free(&cb);
	CHECK(cb.n == 0 && cb.own == NULL, "free empties it");
	free(out);
	free(text);
}

/* text with the first occurrence of `from` replaced by `to` */
static char *
edit(const char *text, const char *from, const char *to)
{
	const char *p = strstr(text, from);
	size_t a, n = strlen(text) + strlen(to) + 1;
	char *s = malloc(n);

	if (p == NULL) {
		snprintf(s, n, "%s", text);
		return s;
	}
	a = (size_t)(p - text);
	memcpy(s, text, a);
	snprintf(s + a, n - a, "%s%s", to, p + strlen(from));
	return s;
}

static void
refused(const char *what, const char *text, const char *want)
{
	ser_codebook cb;
	ser_error e = {{0}};
	int rc;

	memset(&cb, 0x55, sizeof cb);
	e.msg[0] = '\0';
	rc = read_text(text, &cb, &e);
	CHECK(rc != 0 && strstr(e.msg, want) != NULL && cb.n == 0 && cb.own == NULL,
	      "%s: refused, '%s' in: %s", what, want, e.msg);
	if (rc == 0)
		ser_codebook_free(&cb);
}

static double
cell_nan_sd(size_t r, size_t d)
{
	return r == 1 && d == 7 ? 0 : cell_ok(r, d);
}

static double
cell_neg_sd(size_t r, size_t d)
{
	return r == 1 && d == 0 ? -1 : cell_ok(r, d);
}

static void
test_file_errors(void)
{
	size_t len;
	char *ok = cb_text(2, cell_ok, &len), *s, *sd;

	s = edit(ok, "mfcc3_cmn", "mfcc3");
	refused("a wrong column name", s, "cb.tsv:1: column 4 is 'mfcc3'");
	free(s);
	s = edit(ok, "\tloudness_rel", "");
	refused("a missing column", s, "cb.tsv:1: 25 columns");
	free(s);
	refused("an empty file", "", "cb.tsv: empty table");
	s = strdup(ok);
	strchr(s, '\n')[1] = '\0';
	refused("a header only", s, "cb.tsv:2: the table ends where row 'mean' belongs");
	free(s);
	/* no sd row: mean, then word0 */
	sd = strstr(ok, "\nsd\t");
	{
		size_t a = (size_t)(sd - ok), b = (size_t)(strstr(sd + 1, "\n") - ok);
		s = malloc(len + 1);
		memcpy(s, ok, a);
		snprintf(s + a, len + 1 - a, "%s", ok + b);
		refused("no sd row", s, "cb.tsv:3: row 'word0' where row 'sd' belongs");
		free(s);
	}
	s = edit(ok, "\nword0\t", "\nword1\t");
	refused("words out of order", s, "cb.tsv:4: row 'word1' where row 'word0' belongs");
	free(s);
	s = edit(ok, "\nword0\t", "\nword00\t");
	refused("word00", s, "cb.tsv:4: row 'word00'");
	free(s);
	{ /* a NaN cell: replace the first value of word1 */
		char *p = strstr(ok, "\nword1\t") + 7, *q = strchr(p, '\t');
		size_t a = (size_t)(p - ok);
		s = malloc(len + 8);
		memcpy(s, ok, a);
		snprintf(s + a, len + 8 - a, "nan%s", q);
		refused("a NaN cell", s, "cb.tsv:5: column 'mfcc1_cmn'");
		memcpy(s, ok, a);
		snprintf(s + a, len + 8 - a, "inf%s", q);
		refused("an Inf cell", s, "cb.tsv:5: column 'mfcc1_cmn'");
		memcpy(s, ok, a);
		snprintf(s + a, len + 8 - a, "%s", q);
		refused("an empty cell", s, "cb.tsv:5: column 'mfcc1_cmn'");
		free(s);
	}
	s = cb_text(2, cell_nan_sd, &len);
	refused("an sd of 0", s, "cb.tsv:3: column 'mfcc8_cmn': an sd must be > 0");
	free(s);
	s = cb_text(2, cell_neg_sd, &len);
	refused("a negative sd", s, "cb.tsv:3: column 'mfcc1_cmn': an sd must be > 0");
	free(s);
	s = cb_text(0, cell_ok, &len);
	refused("no words", s, "cb.tsv:4: the table ends where row 'word0' belongs");
	free(s);
	s = edit(ok, "\nword1\t", "\nword1\t1\t");
	refused("a row with an extra field", s, "cb.tsv:5: more fields");
	free(s);
	free(ok);
	s = cb_text(SER_WORDS_MAX, cell_ok, &len);
	{
		ser_codebook cb;
		ser_error e = {{0}};
		int rc = read_text(s, &cb, &e);
		CHECK(rc == 0 && cb.n == SER_WORDS_MAX, "4096 words are read%s%s", rc ? ": " : "",
		      rc ? e.msg : "");
		ser_codebook_free(&cb);
	}
	free(s);
	s = cb_text(SER_WORDS_MAX + 1, cell_ok, &len);
	refused("4097 words", s, "cb.tsv:4100: more than 4096 words");
	free(s);
}

/* Frames of a deterministic pseudo-random walk; frame t's first value is t. */
static double *
frames(size_t n, uint32_t seed)
{
	double *x = malloc(n * D * sizeof *x);
	uint32_t s = seed * 2654435761u + 1;
	size_t t, d;

	for (t = 0; t < n; t++)
		for (d = 0; d < D; d++) {
			s = s * 1664525u + 1013904223u;
			x[t * D + d] = d == 0 ? (double)t : (double)(s >> 8) / 16777216.0 * (1 + (double)d);
		}
	return x;
}

static int
same_cb(const ser_codebook *a, const ser_codebook *b)
{
	return a->n == b->n && memcmp(a->mean, b->mean, sizeof a->mean) == 0 &&
	       memcmp(a->sd, b->sd, sizeof a->sd) == 0 &&
	       memcmp(a->word, b->word, a->n * D * sizeof(double)) == 0;
}

static void
test_learner(void)
{
	size_t n = 1000, j, d, bad = 0;
	double *x = frames(n, 1), m[D] = {0}, v[D] = {0};
	ser_error e = {{0}};
	ser_words_learner *a = ser_words_learner_new(10, 1, &e), *b = ser_words_learner_new(10, 1, &e),
	                  *c = ser_words_learner_new(10, 2, &e);
	ser_codebook ca, cb, cc;

	if (!CHECK(a && b && c, "learners made"))
		return;
	ser_words_learner_add(a, x, n);
	/* the same frames in other pieces */
	ser_words_learner_add(b, x, 1);
	ser_words_learner_add(b, x + D, 499);
	ser_words_learner_add(b, x + 500 * D, 0);
	ser_words_learner_add(b, x + 500 * D, 500);
	ser_words_learner_add(c, x, n);
	CHECK(ser_words_learner_count(a) == n, "count %zu", n);
	if (!CHECK(ser_words_learner_finish(a, &ca, &e) == 0 &&
	                   ser_words_learner_finish(b, &cb, &e) == 0 &&
	                   ser_words_learner_finish(c, &cc, &e) == 0,
	           "finish: %s", e.msg))
		return;
	CHECK(same_cb(&ca, &cb), "seed 1 twice (fed in other pieces): the same codebook, bit for bit");
	CHECK(!same_cb(&ca, &cc) && memcmp(ca.mean, cc.mean, sizeof ca.mean) == 0,
	      "seed 2: other words, the same mean");
	CHECK(ser_codebook_check(&ca, &e) == 0, "the learnt codebook passes the check");
	/* mean and population sd by two passes */
	for (j = 0; j < n; j++)
		for (d = 0; d < D; d++)
			m[d] += x[j * D + d] / (double)n;
	for (j = 0; j < n; j++)
		for (d = 0; d < D; d++)
			v[d] += (x[j * D + d] - m[d]) * (x[j * D + d] - m[d]) / (double)n;
	for (d = 0; d < D; d++)
		bad += fabs(ca.mean[d] - m[d]) > 1e-9 * (1 + fabs(m[d])) ||
		       fabs(ca.sd[d] - sqrt(v[d])) > 1e-9 * sqrt(v[d]);
	CHECK(bad == 0, "Welford mean and population sd agree with two passes");
	/* every word is an input frame, standardised; no frame twice */
	for (bad = 0, j = 0; j < ca.n; j++) {
		double t = ca.word[j * D] * ca.sd[0] + ca.mean[0];
		long ti = lround(t);
		size_t k;
		if (fabs(t - (double)ti) > 1e-6 || ti < 0 || ti >= (long)n) {
			bad++;
			continue;
		}
		for (d = 1; d < D; d++)
			bad += fabs(ca.word[j * D + d] * ca.sd[d] + ca.mean[d] - x[(size_t)ti * D + d]) > 1e-9;
		for (k = 0; k < j; k++)
			bad += lround(ca.word[k * D] * ca.sd[0] + ca.mean[0]) == ti;
	}
	CHECK(bad == 0, "every word is a distinct input frame, standardised");
	ser_codebook_free(&ca);
	ser_codebook_free(&cb);
	ser_codebook_free(&cc);
	ser_words_learner_free(a);
	ser_words_learner_free(b);
	ser_words_learner_free(c);
	free(x);
}

/* Algorithm R samples uniformly: over 2000 seeds, each of 100 frames is in
 * a sample of 10 about 200 times (binomial sd 13.4). */
static void
test_uniform(void)
{
	size_t n = 100, hits[100] = {0}, s, j, lo = SIZE_MAX, hi = 0;
	double *x = frames(n, 3);
	ser_error e = {{0}};

	for (s = 0; s < 2000; s++) {
		ser_words_learner *l = ser_words_learner_new(10, s, &e);
		ser_codebook cb;
		ser_words_learner_add(l, x, n);
		if (ser_words_learner_finish(l, &cb, &e) == 0) {
			for (j = 0; j < cb.n; j++)
				hits[lround(cb.word[j * D] * cb.sd[0] + cb.mean[0])]++;
			ser_codebook_free(&cb);
		}
		ser_words_learner_free(l);
	}
	for (j = 0; j < n; j++) {
		lo = hits[j] < lo ? hits[j] : lo;
		hi = hits[j] > hi ? hits[j] : hi;
	}
	CHECK(lo >= 140 && hi <= 260,
	      "reservoir sampling is uniform: each frame in 140..260 of 2000 samples (%zu..%zu)", lo,
	      hi);
	free(x);
}

static void
test_learner_errors(void)
{
	ser_error e = {{0}};
	double *x = frames(9, 4);
	ser_words_learner *l = ser_words_learner_new(10, 1, &e);
	ser_codebook cb;

	CHECK(l && ser_words_learner_finish(l, &cb, &e) != 0 &&
	              strcmp(e.msg, "only 0 active frames for 10 words") == 0,
	      "no frames: %s", e.msg);
	ser_words_learner_add(l, x, 9);
	CHECK(ser_words_learner_finish(l, &cb, &e) != 0 &&
	              strcmp(e.msg, "only 9 active frames for 10 words") == 0 &&
	              cb.own == NULL,
	      "9 frames for 10 words: %s", e.msg);
	ser_words_learner_add(l, x, 1);
	CHECK(ser_words_learner_finish(l, &cb, &e) == 0 && cb.n == 10, "10 frames for 10 words");
	ser_codebook_free(&cb);
	ser_words_learner_free(l);
	{ /* a constant descriptor */
		size_t t;
		for (t = 0; t < 9; t++)
			x[t * D + 5] = 2.5;
		l = ser_words_learner_new(3, 1, &e);
		ser_words_learner_add(l, x, 9);
		CHECK(ser_words_learner_finish(l, &cb, &e) != 0 && strstr(e.msg, "mfcc6_cmn is constant") != NULL,
		      "a constant descriptor: %s", e.msg);
		ser_words_learner_free(l);
	}
	CHECK(ser_words_learner_new(0, 1, &e) == NULL && ser_words_learner_new(4097, 1, &e) == NULL,
	      "0 or 4097 words refused: %s", e.msg);
	free(x);
}

static void
test_default(void)
{
	const ser_codebook *cb = ser_codebook_default();
	ser_codebook back;
	ser_error e = {{0}};
	char *buf = NULL;
	size_t len;
	FILE *fp;

	CHECK(cb->n == 200 && cb->own == NULL && ser_codebook_check(cb, &e) == 0,
	      "the compiled-in codebook: 200 words, valid");
	fp = open_memstream(&buf, &len);
	ser_codebook_write(fp, cb, &e);
	fclose(fp);
	CHECK(read_text(buf, &back, &e) == 0 && same_cb(cb, &back),
	      "written and read back: the same, bit for bit");
	ser_codebook_free(&back);
	free(buf);
}

/* 1.2 s: a vowel-like tone with moving F0 and level, 0.3 s of silence in
 * the middle (frames that are not active) */
static float *
voice(size_t *n)
{
	size_t len = 19200, i;
	float *x = malloc(len * sizeof *x);
	double ph = 0;

	for (i = 0; i < len; i++) {
		double t = (double)i / 16000, f0 = 120 + 60 * sin(2 * M_PI * 1.5 * t);
		double a = 0.3 * (1.2 + sin(2 * M_PI * 3 * t));
		int k;
		double v = 0;
		ph += 2 * M_PI * f0 / 16000;
		for (k = 1; k <= 12; k++)
			v += sin(k * ph) / k * (k == 3 || k == 4 ? 2 : 1);
		x[i] = (t > 0.45 && t < 0.75) ? 0.0f : (float)(a * v * 0.2);
	}
	*n = len;
	return x;
}

static void
test_featset(void)
{
	ser_error e = {{0}};
	ser_features *def = ser_features_new("default", 16000, &e);
	ser_features *w = ser_features_new("words", 16000, &e);
	ser_features *full = ser_features_new("full", 16000, &e);
	ser_features *seed = ser_features_new("seed", 16000, &e);
	size_t n, i, nd, nf, bad = 0;
	float *x = voice(&n);
	const double *fr;
	double *row, cm[12] = {0};
	char nm[32];

	if (!CHECK(def && w && full && seed, "sets made"))
		return;
	nd = ser_features_ncols(def) - 200;
	CHECK(ser_features_ncols(w) == 200 && ser_features_nwords(w) == 200 &&
	              ser_features_nwords(def) == 200 && nd == 261,
	      "default: %zu columns + 200 words; words: the 200 alone", nd);
	for (i = 0; i < 200; i++) {
		snprintf(nm, sizeof nm, "word%zu", i);
		bad += strcmp(ser_features_colname(w, i), nm) != 0;
		bad += strcmp(ser_features_colname(def, nd + i), nm) != 0;
		bad += strcmp(ser_features_colname(full, ser_features_ncols(full) - 200 + i), nm) != 0;
	}
	CHECK(bad == 0, "words = word0..word199; default and full end with them");
	CHECK(!ser_features_has_word_frames(seed) && ser_features_has_word_frames(def) &&
	              ser_features_has_word_frames(full) && ser_features_has_word_frames(w),
	      "word descriptors: default, full and words; not seed");
	CHECK(ser_features_word_frames(seed, x, n, &fr, &nf, &e) != 0, "seed: no word frames: %s", e.msg);
	if (CHECK(ser_features_word_frames(def, x, n, &fr, &nf, &e) == 0, "default: word frames")) {
		size_t d, t;
		CHECK(nf > 30 && nf < 1 + n / 160, "%zu active frames of %zu", nf, 1 + n / 160);
		for (t = 0; t < nf; t++)
			for (d = 0; d < 12; d++)
				cm[d] += fr[t * D + d];
		for (bad = 0, d = 0; d < 12; d++)
			bad += fabs(cm[d] / (double)nf) > 1e-9;
		CHECK(bad == 0, "mfcc1_cmn .. mfcc12_cmn have mean 0 over the active frames");
		for (bad = 0, t = 0; t < nf * D; t++)
			bad += !isfinite(fr[t]);
		CHECK(bad == 0 && fr[24] > 0, "finite; loudness_rel > 0");
	}
	/* a 3-word codebook: full's last 3 columns are the histogram of the
	 * same frames (and the histogram's words are those frames) */
	{
		static double w3[3 * D];
		ser_codebook c3 = make_cb(3, 0, 1, w3);
		ser_features *f3;
		size_t d;
		for (d = 0; d < D; d++) {
			c3.mean[d] = fr[d];
			c3.sd[d] = 1 + (double)d;
			w3[D + d] = 1;
			w3[2 * D + d] = -1;
		}
		f3 = ser_features_new_cb("full", 16000, &c3, &e);
		memset(w3, 0, sizeof w3); /* copied: this must not matter */
		if (CHECK(f3 != NULL && ser_features_ncols(f3) == ser_features_ncols(full) - 197,
		          "full with a 3-word codebook: 3 word columns"))  {
			row = malloc(ser_features_ncols(f3) * sizeof *row);
			CHECK(ser_features_run(f3, x, n, row, &e) == 0, "runs");
			CHECK(fabs(row[ser_features_ncols(f3) - 1] - log1p(100)) < 1e-12,
			      "3 words: each frame votes for all: log1p(100)");
			free(row);
		}
		ser_features_free(f3);
		c3.word = w3;
		c3.sd[3] = 0;
		CHECK(ser_features_new_cb("full", 16000, &c3, &e) == NULL && strstr(e.msg, "codebook: ") == e.msg,
		      "a bad codebook refused: %s", e.msg);
	}
	/* the words set's word columns = the histogram of default's frames */
	row = malloc(ser_features_ncols(w) * sizeof *row);
	if (CHECK(ser_features_run(w, x, n, row, &e) == 0 &&
	                  ser_features_word_frames(def, x, n, &fr, &nf, &e) == 0,
	          "words runs")) {
		double *hh = malloc(200 * sizeof *hh), sum = 0;
		ser_codebook_histogram(ser_codebook_default(), fr, nf, hh);
		for (bad = 0, i = 0; i < 200; i++) {
			bad += row[i] != hh[i];
			sum += expm1(row[i]) / 100;
		}
		CHECK(bad == 0, "words' columns are the histogram of the word frames");
		CHECK(fabs(sum - 5) < 1e-9, "5 votes per frame: the counts add up to 5 per frame (%g)", sum);
		free(hh);
	}
	free(row);
	free(x);
	ser_features_free(def);
	ser_features_free(w);
	ser_features_free(full);
	ser_features_free(seed);
}

int
main(void)
{
	make_line7();
	test_names();
	test_nearest();
	test_histogram();
	test_file();
	test_file_errors();
	test_learner();
	test_uniform();
	test_learner_errors();
	test_default();
	test_featset();
	return t_done();
}
