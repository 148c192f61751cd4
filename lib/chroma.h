/*
 * chroma.h - librosa 0.11 chroma_stft and estimate_tuning.
 *
 * Filterbank: librosa.filters.chroma(sr, n_fft, n_chroma=12, tuning,
 * ctroct=5, octwidth=2, norm=2, base_c=True): Gaussian bumps on the
 * semitone distance of every FFT bin (bin 0 placed 1.5 octaves below bin 1),
 * columns L2-normalised, weighted by a Gaussian over octaves centred on
 * octave 5 (width 2), rows rotated to start at C. A frame's chroma is the
 * filterbank applied to |X|^2, divided by its largest value (norm=inf;
 * an all-zero frame stays 0).
 *
 * Tuning: estimate_tuning(S=|X|^2) = piptrack(fmin=150, fmax=4000,
 * threshold=0.1) over the whole clip (local maxima of S above 0.1 x the
 * frame's max, parabolic interpolation), keep candidates whose magnitude is
 * >= the median magnitude, histogram of their deviation from the A440
 * semitone grid in [-0.5, 0.5) with 0.01 bins, return the left edge of the
 * fullest bin (0 if there is no candidate). Candidates are accumulated frame
 * by frame (memory: a few values per frame of the clip).
 */
#ifndef SER_CHROMA_H
#define SER_CHROMA_H

#include <stddef.h>

#include "error.h"

typedef struct ser_chroma ser_chroma;

ser_chroma *ser_chroma_new(double rate_hz, size_t n_fft, ser_error *e);
void ser_chroma_free(ser_chroma *c);
/* Rebuild the filterbank for a tuning in fractions of a semitone. */
void ser_chroma_set_tuning(ser_chroma *c, double tuning);
/* Filterbank weight of pitch class p (0 = C) for FFT bin k (for tests). */
double ser_chroma_weight(const ser_chroma *c, size_t p, size_t k);
/* chroma[12] of one frame from power[n_fft/2+1]. */
void ser_chroma_apply(const ser_chroma *c, const double *power, double *chroma);

/* Tuning estimation over a clip. */
void ser_tuning_reset(ser_chroma *c);
/* Add one frame's piptrack candidates. -1 with e set when out of memory. */
int ser_tuning_add(ser_chroma *c, const double *power, ser_error *e);
/* The estimate from the candidates added since the last reset. */
double ser_tuning_estimate(ser_chroma *c);

#endif
