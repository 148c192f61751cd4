/*
 * mel.h - mel filterbank, power_to_db and MFCC as librosa 0.11 computes
 * them at its defaults: librosa.filters.mel(sr, n_fft, n_mels, fmin=0,
 * fmax=sr/2, htk=False, norm='slaney') (Slaney mel scale: linear below
 * 1000 Hz at 200/3 Hz per mel, logarithmic above with step ln(6.4)/27;
 * triangles on FFT bin frequencies k*sr/n_fft, each scaled by
 * 2/(f[m+2]-f[m])); power_to_db(ref=1, amin=1e-10, top_db=80) with the top
 * over a whole clip; MFCC = orthonormal DCT-II of the dB mel spectrum.
 * Arithmetic is double precision (librosa: float32).
 */
#ifndef SER_MEL_H
#define SER_MEL_H

#include <stddef.h>

#include "error.h"

typedef struct ser_mel_config {
	double rate_hz;   /* sample rate */
	size_t n_fft;     /* FFT length: the filterbank has n_fft/2+1 columns */
	size_t n_mels;    /* bands, 1..512 */
	double fmin_hz;   /* 0 in librosa's default */
	double fmax_hz;   /* <= 0 means rate_hz/2 */
} ser_mel_config;

typedef struct ser_mel ser_mel;

ser_mel *ser_mel_new(const ser_mel_config *c, ser_error *e);
void ser_mel_free(ser_mel *m);
size_t ser_mel_nbands(const ser_mel *m);
/* Weight of FFT bin k in band b (for tests). */
double ser_mel_weight(const ser_mel *m, size_t b, size_t k);
/* Band centre frequency in Hz (mel_f[b+1]). */
double ser_mel_center_hz(const ser_mel *m, size_t b);

/* mel[b] = sum_k W[b][k] * power[k] for one frame (power: n_fft/2+1). */
void ser_mel_apply(const ser_mel *m, const double *power, double *mel);

/* 10*log10(max(1e-10, p)): one value, before the top_db clip. */
double ser_power_db(double p);
/* In place over n values: v = max(v, top - top_db) where top is the max of
 * the n values (the whole clip's dB matrix). top_db <= 0: no clip. */
void ser_db_clip(double *db, size_t n, double top_db);

/* Orthonormal DCT-II (scipy.fft.dct(type=2, norm='ortho')) truncated to
 * n_out coefficients of n_in inputs: a precomputed n_out x n_in matrix. */
typedef struct ser_dct ser_dct;
ser_dct *ser_dct_new(size_t n_in, size_t n_out, ser_error *e);
void ser_dct_free(ser_dct *d);
void ser_dct_apply(const ser_dct *d, const double *in, double *out);

#endif
