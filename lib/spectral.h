/*
 * spectral.h - per-frame spectral and time-domain descriptors.
 *
 * Those that librosa 0.11 has are computed as librosa does (README of the
 * golden data): spectral_centroid, spectral_bandwidth (p=2, normalised),
 * spectral_rolloff (0.85), spectral_flatness (power 2, amin 1e-10),
 * zero_crossing_rate (edge-padded frames, threshold 1e-10, zero counts as
 * positive), rms (zero-padded frames). The others follow eGeMAPS v01b
 * (Eyben et al. 2016) definitions, stated per field below.
 */
#ifndef SER_SPECTRAL_H
#define SER_SPECTRAL_H

#include <stddef.h>

#include "error.h"

#define SER_CONTRAST_BANDS 7 /* librosa spectral_contrast: n_bands=6 -> 7 rows */

typedef struct ser_spectral_frame {
	double centroid_hz;   /* sum f S / sum S, S = |X| (0 for a silent frame) */
	double bandwidth_hz;  /* (sum S_n (f - centroid)^2)^(1/2), S_n = S / sum S */
	double rolloff_hz;    /* smallest f_k with cumsum S >= 0.85 sum S */
	double flatness;      /* geometric / arithmetic mean of max(1e-10, |X|^2), 0..1 */
	double flux;          /* sum_k (S_n,t[k] - S_n,t-1[k])^2 of L1-normalised |X| (0 at t=0) */
	double slope_0_500;   /* dB/Hz: least-squares slope of 10log10(|X|^2) over 0..500 Hz */
	double slope_500_1500;/* dB/Hz: the same over 500..1500 Hz */
	double alpha_ratio_db;/* 10log10(E[50,1000) / E[1000,5000]) of |X|^2 (floored 1e-10) */
	double hammarberg_db; /* 10log10(max |X|^2 in 0..2k / max |X|^2 in 2k..5k) */
	double contrast_db[SER_CONTRAST_BANDS]; /* librosa spectral_contrast(fmin=200, n_bands=6, quantile=0.02), per-frame dB */
} ser_spectral_frame;

typedef struct ser_spectral ser_spectral;

/* rate_hz, n_fft as for the STFT whose power spectra will be passed. */
ser_spectral *ser_spectral_new(double rate_hz, size_t n_fft, ser_error *e);
void ser_spectral_free(ser_spectral *s);
/* Start a new clip (flux forgets the previous frame). */
void ser_spectral_reset(ser_spectral *s);
/* Which optional descriptors ser_spectral_run computes (default: all);
 * the others are left 0. Centroid, bandwidth, rolloff, alpha ratio and
 * Hammarberg index are always computed. */
enum { SER_SPEC_FLATNESS = 1, SER_SPEC_FLUX = 2, SER_SPEC_SLOPES = 4, SER_SPEC_ALL = 7 };
void ser_spectral_select(ser_spectral *s, unsigned want);
/* One frame: power[n_fft/2+1] = |X|^2; fills every field but contrast_db. */
void ser_spectral_run(ser_spectral *s, const double *power, ser_spectral_frame *out);
/* contrast_db of the frame last given to ser_spectral_run (per band: the
 * mean of the q = max(1, round(0.02 n)) largest and smallest |X| of the
 * band's n bins, as dB difference). */
void ser_spectral_contrast(ser_spectral *s, ser_spectral_frame *out);

/* librosa.feature.zero_crossing_rate of one frame (frame_length samples,
 * already edge-padded): crossings / frame_length. */
double ser_zcr(const float *frame, size_t frame_length);
/* sqrt(mean(x^2)) of one (zero-padded) frame. */
double ser_rms(const float *frame, size_t frame_length);

#endif
