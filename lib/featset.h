/*
 * featset.h - feature sets: per-frame low-level descriptors (LLDs) and
 * their functionals over an utterance, as named table columns.
 * (Not "features.h": glibc has a <features.h>, which -Ilib would shadow.)
 *
 * Sets (ser_features_set_names()):
 *   seed     the seed application's 47 librosa features, computed as
 *            librosa 0.11 does at its defaults (n_fft 2048, hop 512,
 *            Hann 2048, 128 mel bands, at the given rate): MFCC 0-12
 *            mean and std, spectral centroid/bandwidth/rolloff and ZCR mean
 *            and std, chroma 0-11 mean (estimated tuning), tempo.
 *   full     every descriptor of the speech analysis (25 ms Hann windows,
 *            10 ms hop, FFT = next power of two, 40 mel bands) with its
 *            functionals, plus prosody (lib/prosody.h) and rhythm scalars,
 *            taken over the active frames (energy within 30 dB of the
 *            95th percentile of the utterance's frames: silence around
 *            speech and pauses drop out); then the word columns.
 *   default  the model's set: the columns of full named in
 *            featset_default.h, then the word columns.
 *   words    the word columns alone (what corpus-evaluate -a remakes for
 *            every fold from a codebook of the fold's training recordings).
 * Column names are "<descriptor>_<functional>" (mfcc3_mean,
 * f0_semitone_p80, ...), a scalar's name (tempo, voiced_ratio, ...) or
 * "word<j>": a bag of audio words (lib/words.h), word0 .. word{N-1} for a
 * codebook of N words, the histogram of the active frames' word
 * descriptors over the codebook.
 * Only the descriptor families that a set's columns need are computed.
 * Every value is finite, for any input (silence, DC, clipping, one sample).
 *
 * A ser_features holds FFT plans and scratch that grows to the longest
 * clip seen; make it once per process (before any threads) and reuse it.
 */
#ifndef SER_FEATSET_H
#define SER_FEATSET_H

#include <stddef.h>

#include "error.h"
#include "words.h"

typedef struct ser_features ser_features;

/* NULL-terminated list of set names. */
const char *const *ser_features_set_names(void);

/* Make the extractor for a set at a sample rate (8000..192000 Hz).
 * NULL with e set for an unknown set or a bad rate. */
ser_features *ser_features_new(const char *set, double rate_hz, ser_error *e);
/* The same with the codebook of the word columns: NULL for the compiled-in
 * one (lib/words_default.h); else cb is checked (ser_codebook_check) and
 * copied, so the caller may free it at once. The codebook's N sets how
 * many word columns a set has (full, words), and which "word<j>" names
 * exist. */
ser_features *ser_features_new_cb(const char *set, double rate_hz, const ser_codebook *cb,
                                  ser_error *e);
void ser_features_free(ser_features *f);

size_t ser_features_ncols(const ser_features *f);
const char *ser_features_colname(const ser_features *f, size_t i);

/* One utterance x[0..n) (n >= 1) -> row[ncols]. 0, or -1 with e set
 * (no samples, out of memory, a length too large to index). */
int ser_features_run(ser_features *f, const float *x, size_t n, double *row, ser_error *e);

/* Per-frame descriptors of the set (those its columns are made from). */
size_t ser_features_nllds(const ser_features *f);
const char *ser_features_lldname(const ser_features *f, size_t j);
/* Frame step in seconds (frame t is centred at t * hop_s). */
double ser_features_hop_s(const ser_features *f);
/* Analyse x like ser_features_run and expose the descriptors: (*lld)[j]
 * is descriptor j over *nframes frames (owned by f, valid until the next
 * call). Voiced-only descriptors are 0 in unvoiced frames. */
int ser_features_frames(ser_features *f, const float *x, size_t n, const double *const **lld,
                        size_t *nframes, ser_error *e);

/* The number of word columns in the set (0: none). */
size_t ser_features_nwords(const ser_features *f);
/* Whether ser_features_word_frames works for this set: a set with word
 * columns, or one whose analysis computes the descriptors' parts anyway
 * (default, full); not seed. */
int ser_features_has_word_frames(const ser_features *f);
/* Analyse x like ser_features_run and give the word descriptor of each
 * active frame (the frames the functionals use), in order: *frames is
 * *nframes x SER_WORDS_DIM, row-major, in ser_words_name() order (owned by
 * f, valid until the next call). -1 with e set for a set without them
 * (ser_features_has_word_frames) or as ser_features_run. For a codebook
 * learner (lib/words.h). */
int ser_features_word_frames(ser_features *f, const float *x, size_t n, const double **frames,
                             size_t *nframes, ser_error *e);

/* Time spent per descriptor family (when profiling is on): returns the
 * number of families (<= max), their names and seconds. */
void ser_features_set_profile(ser_features *f, int on);
size_t ser_features_profile(const ser_features *f, const char **names, double *seconds,
                            size_t max);

#endif
