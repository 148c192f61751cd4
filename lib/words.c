#include "words.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "tsv.h"
#include "words_default.h"

#define D SER_WORDS_DIM

static const char *const names[D] = {
	"mfcc1_cmn",    "mfcc2_cmn",    "mfcc3_cmn",     "mfcc4_cmn",     "mfcc5_cmn",
	"mfcc6_cmn",    "mfcc7_cmn",    "mfcc8_cmn",     "mfcc9_cmn",     "mfcc10_cmn",
	"mfcc11_cmn",   "mfcc12_cmn",   "mfcc1_delta",   "mfcc2_delta",   "mfcc3_delta",
	"mfcc4_delta",  "mfcc5_delta",  "mfcc6_delta",   "mfcc7_delta",   "mfcc8_delta",
	"mfcc9_delta",  "mfcc10_delta", "mfcc11_delta",  "mfcc12_delta",  "loudness_rel",
};

const char *
ser_words_name(size_t d)
{
	return d < D ? names[d] : NULL;
}

const ser_codebook *
ser_codebook_default(void)
{
	return &ser_codebook_builtin;
}

int
ser_codebook_check(const ser_codebook *cb, ser_error *e)
{
	size_t d, j;

	if (cb->n < 1 || cb->n > SER_WORDS_MAX)
		return ser_error_set(e, "%zu words: a codebook has 1 to %d", cb->n, SER_WORDS_MAX);
	if (cb->word == NULL)
		return ser_error_set(e, "a codebook without its words");
	for (d = 0; d < D; d++) {
		if (!isfinite(cb->mean[d]))
			return ser_error_set(e, "the mean of %s is not a finite number", names[d]);
		if (!(isfinite(cb->sd[d]) && cb->sd[d] > 0))
			return ser_error_set(e, "the sd of %s is %g, not a finite number > 0", names[d],
			                     cb->sd[d]);
	}
	for (j = 0; j < cb->n; j++)
		for (d = 0; d < D; d++)
			if (!isfinite(cb->word[j * D + d]))
				return ser_error_set(e, "word%zu: %s is not a finite number", j, names[d]);
	return 0;
}

void
ser_codebook_free(ser_codebook *cb)
{
	if (cb == NULL)
		return;
	free(cb->own);
	memset(cb, 0, sizeof *cb);
}

int
ser_codebook_copy(ser_codebook *dst, const ser_codebook *src, ser_error *e)
{
	double *w;

	if (src->n < 1 || src->n > SER_WORDS_MAX)
		return ser_error_set(e, "%zu words: a codebook has 1 to %d", src->n, SER_WORDS_MAX);
	if ((w = malloc(src->n * D * sizeof *w)) == NULL)
		return ser_error_set(e, "out of memory");
	memcpy(w, src->word, src->n * D * sizeof *w);
	*dst = *src;
	dst->word = dst->own = w;
	return 0;
}

/* The row id expected at data row r (0: mean, 1: sd, 2..: word0..). */
static const char *
row_id(size_t r, char *buf, size_t n)
{
	if (r == 0)
		return "mean";
	if (r == 1)
		return "sd";
	snprintf(buf, n, "word%zu", r - 2);
	return buf;
}

int
ser_codebook_read(FILE *fp, const char *name, ser_codebook *cb, ser_error *e)
{
	ser_tsv *t;
	const char *nm;
	double *w = NULL;
	size_t cap = 0, r = 0, d;
	char want[32];
	int rc;

	memset(cb, 0, sizeof *cb);
	if ((t = ser_tsv_open(fp, name, e)) == NULL)
		return -1;
	nm = ser_tsv_name(t);
	if (ser_tsv_ncols(t) != D + 1) {
		ser_error_set(e, "%s:1: %zu columns; a codebook has %d (id and the %d descriptors)", nm,
		              ser_tsv_ncols(t), D + 1, D);
		goto fail;
	}
	for (d = 0; d <= D; d++) {
		const char *w_ = d == 0 ? "id" : names[d - 1];
		if (strcmp(ser_tsv_colname(t, d), w_) != 0) {
			ser_error_set(e, "%s:1: column %zu is '%.64s', a codebook's is '%s'", nm, d + 1,
			              ser_tsv_colname(t, d), w_);
			goto fail;
		}
	}
	while ((rc = ser_tsv_next(t, e)) == 1) {
		const char *id = ser_tsv_field(t, 0), *want_id;
		double *dst;
		if (r >= 2 && r - 2 == SER_WORDS_MAX) {
			ser_error_set(e, "%s:%lu: more than %d words", nm, ser_tsv_lineno(t), SER_WORDS_MAX);
			goto fail;
		}
		want_id = row_id(r, want, sizeof want);
		if (strcmp(id, want_id) != 0) {
			ser_error_set(e, "%s:%lu: row '%.64s' where row '%s' belongs", nm, ser_tsv_lineno(t),
			              id, want_id);
			goto fail;
		}
		if (r == 0) {
			dst = cb->mean;
		} else if (r == 1) {
			dst = cb->sd;
		} else {
			size_t j = r - 2;
			if (j == cap) { /* cap <= SER_WORDS_MAX: no overflow */
				size_t nc = cap ? cap * 2 : 64;
				double *nw;
				if (nc > SER_WORDS_MAX)
					nc = SER_WORDS_MAX;
				if ((nw = realloc(w, nc * D * sizeof *nw)) == NULL) {
					ser_error_set(e, "%s:%lu: out of memory", nm, ser_tsv_lineno(t));
					goto fail;
				}
				w = nw;
				cap = nc;
			}
			dst = w + j * D;
		}
		for (d = 0; d < D; d++)
			if (ser_tsv_double(t, d + 1, &dst[d], e) != 0)
				goto fail;
		if (r == 1)
			for (d = 0; d < D; d++)
				if (!(dst[d] > 0)) {
					ser_error_set(e, "%s:%lu: column '%s': an sd must be > 0, not %g", nm,
					              ser_tsv_lineno(t), names[d], dst[d]);
					goto fail;
				}
		r++;
	}
	if (rc < 0)
		goto fail;
	if (r < 3) {
		ser_error_set(e, "%s:%lu: the table ends where row '%s' belongs%s", nm,
		              ser_tsv_lineno(t) + 1, row_id(r, want, sizeof want),
		              r == 2 ? " (a codebook has at least one word)" : "");
		goto fail;
	}
	ser_tsv_close(t);
	cb->n = r - 2;
	cb->word = cb->own = w;
	return 0;
fail:
	ser_tsv_close(t);
	free(w);
	memset(cb, 0, sizeof *cb);
	return -1;
}

static void
put_row(FILE *fp, const char *id, const double *v)
{
	char buf[40];
	size_t d;

	fputs(id, fp);
	for (d = 0; d < D; d++) {
		putc('\t', fp);
		fputs(ser_fmt_double(buf, sizeof buf, v[d]), fp);
	}
	putc('\n', fp);
}

int
ser_codebook_write(FILE *fp, const ser_codebook *cb, ser_error *e)
{
	char id[32];
	size_t d, j;

	fputs("id", fp);
	for (d = 0; d < D; d++)
		fprintf(fp, "\t%s", names[d]);
	putc('\n', fp);
	put_row(fp, "mean", cb->mean);
	put_row(fp, "sd", cb->sd);
	for (j = 0; j < cb->n; j++) {
		snprintf(id, sizeof id, "word%zu", j);
		put_row(fp, id, cb->word + j * D);
	}
	if (ferror(fp))
		return ser_error_set(e, "write error");
	return 0;
}

size_t
ser_codebook_nearest(const ser_codebook *cb, const double *z, size_t k, size_t *idx)
{
	double best[SER_WORDS_VOTES];
	size_t j, d, m = 0, a;

	if (k > SER_WORDS_VOTES)
		k = SER_WORDS_VOTES;
	if (k > cb->n)
		k = cb->n;
	if (k == 0)
		return 0;
	for (j = 0; j < cb->n; j++) {
		const double *w = cb->word + j * D;
		double dist = 0;
		for (d = 0; d < D; d++) {
			double v = z[d] - w[d];
			dist += v * v;
		}
		/* the list is sorted by (distance, index) and j only grows: a
		 * word goes after every one at its distance or nearer */
		if (m == k && !(dist < best[k - 1]))
			continue;
		for (a = m < k ? m : k - 1; a > 0 && dist < best[a - 1]; a--) {
			best[a] = best[a - 1];
			idx[a] = idx[a - 1];
		}
		best[a] = dist;
		idx[a] = j;
		if (m < k)
			m++;
	}
	return k;
}

void
ser_codebook_histogram(const ser_codebook *cb, const double *x, size_t nframes, double *out)
{
	size_t idx[SER_WORDS_VOTES], t, j, d, k = 0, a;
	double z[D];

	memset(out, 0, cb->n * sizeof *out);
	for (t = 0; t < nframes; t++) {
		for (d = 0; d < D; d++)
			z[d] = (x[t * D + d] - cb->mean[d]) / cb->sd[d];
		k = ser_codebook_nearest(cb, z, SER_WORDS_VOTES, idx);
		for (a = 0; a < k; a++)
			out[idx[a]] += 1;
	}
	if (nframes > 0)
		for (j = 0; j < cb->n; j++)
			out[j] = log1p(100.0 * out[j] / (double)nframes);
}

struct ser_words_learner {
	size_t n;         /* words wanted */
	uint64_t count;   /* frames fed */
	uint64_t rng;     /* xorshift64 state, never 0 */
	double mean[D];   /* Welford's running mean ... */
	double m2[D];     /* ... and sum of squared deviations */
	double *sample;   /* n x D: the reservoir */
};

/* Marsaglia's xorshift64 (13, 7, 17). */
static uint64_t
xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* Uniform in [0, bound) (bound >= 1), without modulo bias: draws below
 * 2^64 mod bound are redrawn. */
static uint64_t
below(uint64_t *s, uint64_t bound)
{
	uint64_t low = (0 - bound) % bound, r;

	do
		r = xorshift64(s);
	while (r < low);
	return r % bound;
}

ser_words_learner *
ser_words_learner_new(size_t n, uint64_t seed, ser_error *e)
{
	ser_words_learner *l;
	uint64_t z;

	if (n < 1 || n > SER_WORDS_MAX)
		return ser_error_set(e, "%zu words: a codebook has 1 to %d", n, SER_WORDS_MAX), NULL;
	if ((l = calloc(1, sizeof *l)) == NULL ||
	    (l->sample = malloc(n * D * sizeof *l->sample)) == NULL) {
		free(l);
		return ser_error_set(e, "out of memory"), NULL;
	}
	l->n = n;
	/* the state from the seed through one step of splitmix64, so that
	 * seeds 0, 1, 2 ... start far apart (xorshift64 needs a state != 0) */
	z = seed + 0x9e3779b97f4a7c15u;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	z ^= z >> 31;
	l->rng = z ? z : 0x9e3779b97f4a7c15u;
	return l;
}

void
ser_words_learner_free(ser_words_learner *l)
{
	if (l == NULL)
		return;
	free(l->sample);
	free(l);
}

uint64_t
ser_words_learner_count(const ser_words_learner *l)
{
	return l->count;
}

void
ser_words_learner_add(ser_words_learner *l, const double *x, size_t nframes)
{
	size_t t, d;

	for (t = 0; t < nframes; t++) {
		const double *v = x + t * D;
		uint64_t slot;
		l->count++;
		for (d = 0; d < D; d++) {
			double dev = v[d] - l->mean[d];
			l->mean[d] += dev / (double)l->count;
			l->m2[d] += dev * (v[d] - l->mean[d]);
		}
		/* Algorithm R: frame number count (1-based) takes a slot with
		 * probability n / count */
		slot = l->count <= l->n ? l->count - 1 : below(&l->rng, l->count);
		if (slot < l->n)
			memcpy(l->sample + slot * D, v, D * sizeof *v);
	}
}

int
ser_words_learner_finish(const ser_words_learner *l, ser_codebook *cb, ser_error *e)
{
	double *w;
	size_t j, d;

	memset(cb, 0, sizeof *cb);
	if (l->count < l->n)
		return ser_error_set(e, "only %llu active frames for %zu words",
		                     (unsigned long long)l->count, l->n);
	for (d = 0; d < D; d++) {
		cb->mean[d] = l->mean[d];
		cb->sd[d] = sqrt(l->m2[d] / (double)l->count);
		if (!(cb->sd[d] > 0))
			return ser_error_set(e, "%s is constant over the %llu active frames: no codebook",
			                     names[d], (unsigned long long)l->count);
	}
	if ((w = malloc(l->n * D * sizeof *w)) == NULL)
		return ser_error_set(e, "out of memory");
	for (j = 0; j < l->n; j++)
		for (d = 0; d < D; d++)
			w[j * D + d] = (l->sample[j * D + d] - cb->mean[d]) / cb->sd[d];
	cb->n = l->n;
	cb->word = cb->own = w;
	if (ser_codebook_check(cb, e) != 0) {
		ser_codebook_free(cb);
		return -1;
	}
	return 0;
}
