/*
 * modspec.h - the modulation spectrum of a contour: how a band's level
 * (in dB, frame by frame) moves, split by the rate at which it moves.
 * Syllables come at about 4 Hz; a fast, clipped delivery puts more of a
 * level's movement at 8-16 Hz, a slow, drawn-out one more at 1-4 Hz (Wu,
 * Falk and Chan, "Automatic speech emotion recognition using modulation
 * spectral features", Speech Communication 53, 2011, take the same view
 * with an auditory filterbank).
 *
 * Method: the contour is cut into segments of SER_MODSPEC_SEG frames
 * (half overlapping, the last one ending at the contour's end; a shorter
 * contour is one segment of its own length). Each segment has its mean
 * removed, a Hann window over its own length, zero padding to
 * SER_MODSPEC_SEG and a DFT; its power |X_k|^2 / sum(w^2) is averaged
 * over the segments and summed over the bins of each modulation band
 * ([1, 2), [2, 4), [4, 8), [8, 16), [16, 32) Hz), plus 1e-3. The result
 * is each band's share of the five bands' power in dB: the shape of the
 * modulation spectrum, not how much the contour moves (the contour's
 * spread says that). A constant offset of the contour is the mean the
 * segments remove, so a contour in dB is free of the recording's gain,
 * and a constant or empty contour gives every band 10 log10(1/5).
 */
#ifndef SER_MODSPEC_H
#define SER_MODSPEC_H

#include <stddef.h>

#include "error.h"

#define SER_MODSPEC_BANDS 5
#define SER_MODSPEC_SEG 256

typedef struct ser_modspec ser_modspec;

/* Band b is [lo, 2 lo) Hz with lo = 2^b. */
double ser_modspec_band_lo(size_t b);

/* frame_rate_hz: contour samples per second (64..1000, so that 32 Hz is
 * below Nyquist). Plans an FFTW transform, so (as lib/stft.h says) make
 * it before starting threads. NULL with e set. */
ser_modspec *ser_modspec_new(double frame_rate_hz, ser_error *e);
void ser_modspec_free(ser_modspec *m);
/* y[0..n) (n may be 0) -> band_db[SER_MODSPEC_BANDS], each <= 0. */
void ser_modspec_run(ser_modspec *m, const double *y, size_t n, double *band_db);

#endif
