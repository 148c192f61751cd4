/*
 * words.h - a bag of audio words: a codebook of frame descriptors, the
 * histogram of an utterance's frames over it, and a streaming learner.
 *
 * The descriptor of a frame has SER_WORDS_DIM = 25 values, in this order
 * (ser_words_name()): mfcc1_cmn .. mfcc12_cmn (MFCC 1-12 minus their mean
 * over the utterance's active frames), mfcc1_delta .. mfcc12_delta, and
 * loudness_rel; lib/featset.c makes them from its own analysis
 * (ser_features_word_frames()). This module only sees numbers.
 *
 * A codebook holds the mean and the (population) standard deviation of each
 * descriptor, and n words (1 .. SER_WORDS_MAX) in standardised units.
 * A frame, standardised, votes for its min(SER_WORDS_VOTES, n) nearest words
 * (squared Euclidean distance; of equal distances the lower index wins);
 * histogram column j is log1p(100 * votes_j / frames).
 *
 * File form (TSV, the one reader; numbers "%.17g" in the C locale):
 *   id      mfcc1_cmn ... loudness_rel    header: exactly these 26 names
 *   mean    25 numbers
 *   sd      25 numbers, each > 0
 *   word0   25 numbers
 *   ...     word1, word2, ... in order, 1 to SER_WORDS_MAX of them
 * Every cell a finite number.
 */
#ifndef SER_WORDS_H
#define SER_WORDS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

#define SER_WORDS_DIM 25
#define SER_WORDS_MAX 4096
#define SER_WORDS_VOTES 5

typedef struct ser_codebook {
	size_t n;                   /* words, 1 .. SER_WORDS_MAX */
	double mean[SER_WORDS_DIM]; /* of each descriptor, in its own units */
	double sd[SER_WORDS_DIM];   /* > 0, same units */
	const double *word;         /* n x SER_WORDS_DIM, row-major, standardised */
	double *own;                /* the storage ser_codebook_free releases
	                             * (NULL for the compiled-in codebook) */
} ser_codebook;

/* Name of descriptor d (0 .. SER_WORDS_DIM-1), NULL beyond. */
const char *ser_words_name(size_t d);

/* The compiled-in codebook (lib/words_default.h): static, never freed. */
const ser_codebook *ser_codebook_default(void);

/* Check what the file form promises (1 <= n <= SER_WORDS_MAX, every value
 * finite, sd > 0). 0, or -1 with e saying what is wrong. */
int ser_codebook_check(const ser_codebook *cb, ser_error *e);

/* Read a codebook table from fp (never seeks: a pipe will do); name is used
 * in messages ("NAME:LINE: what"). Storage grows as word rows arrive. On
 * success *cb owns its words (ser_codebook_free); on failure *cb is empty
 * and needs no free. */
int ser_codebook_read(FILE *fp, const char *name, ser_codebook *cb, ser_error *e);
/* Write cb in the file form. 0, or -1 with e set on a write error. */
int ser_codebook_write(FILE *fp, const ser_codebook *cb, ser_error *e);
/* A deep copy that dst owns. */
int ser_codebook_copy(ser_codebook *dst, const ser_codebook *src, ser_error *e);
void ser_codebook_free(ser_codebook *cb);

/* The k nearest words of z, a descriptor already standardised: their
 * indices into idx[0..k), nearest first, of equal distances the lower index
 * first. k is cut to min(k, SER_WORDS_VOTES, n); returns it. */
size_t ser_codebook_nearest(const ser_codebook *cb, const double *z, size_t k, size_t *idx);

/* The histogram of nframes descriptors x (nframes x SER_WORDS_DIM,
 * row-major, in the descriptors' own units) into out[cb->n]. nframes 0
 * gives zeros. */
void ser_codebook_histogram(const ser_codebook *cb, const double *x, size_t nframes,
                            double *out);

/*
 * The learner: fed frames (any number, any number of calls), it keeps a
 * uniform sample of n of them (Algorithm R, reservoir sampling, with a
 * xorshift64 generator seeded from seed) and the running mean and variance
 * of each descriptor (Welford). Memory: n frames, whatever the input.
 * The result depends only on n, the seed and the frames in their order.
 */
typedef struct ser_words_learner ser_words_learner;

/* n: 1 .. SER_WORDS_MAX words. NULL with e set for a bad n or no memory. */
ser_words_learner *ser_words_learner_new(size_t n, uint64_t seed, ser_error *e);
/* Feed nframes descriptors (row-major, SER_WORDS_DIM each, finite). */
void ser_words_learner_add(ser_words_learner *l, const double *x, size_t nframes);
/* Frames fed so far. */
uint64_t ser_words_learner_count(const ser_words_learner *l);
/* The codebook: the mean and sd of all the frames fed, and the sampled
 * frames standardised as its words (in reservoir order). Fails ("only K
 * active frames for N words") when fewer than n frames were fed, or when a
 * descriptor is constant over them (an sd of 0). *cb is the caller's to
 * free; the learner is unchanged and can be fed more. */
int ser_words_learner_finish(const ser_words_learner *l, ser_codebook *cb, ser_error *e);
void ser_words_learner_free(ser_words_learner *l);

#endif
