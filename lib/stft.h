/*
 * stft.h - short-time Fourier analysis as librosa.stft does it (0.11,
 * center=True, pad_mode='constant'): a periodic Hann window of win_length
 * samples, zero-padded to n_fft and centred in it; the signal padded with
 * n_fft/2 zeros on each side; frame t covers padded samples
 * [t*hop, t*hop + n_fft), i.e. it is centred on signal sample t*hop;
 * n_frames = 1 + n/hop. The FFT is FFTW's double-precision real transform (librosa multiplies the float32
 * frames by a float64 window and transforms in double, then rounds to
 * complex64; a float transform differs by ~1e-7 of the frame's largest bin
 * in every bin, which moves e.g. the bandwidth of a pure tone by 0.3%)
 * (no normalisation), planned once in ser_stft_new (fftwf planning is not
 * thread-safe: make every ser_stft before starting threads).
 */
#ifndef SER_STFT_H
#define SER_STFT_H

#include <stddef.h>

#include "error.h"

typedef struct ser_stft_config {
	size_t n_fft;      /* FFT length in samples, 16..65536 */
	size_t hop;        /* frame step in samples, >= 1 */
	size_t win_length; /* Hann window length in samples, 1..n_fft */
} ser_stft_config;

typedef struct ser_stft ser_stft;

/* Validate c and make the plan and scratch. NULL with e set on failure. */
ser_stft *ser_stft_new(const ser_stft_config *c, ser_error *e);
void ser_stft_free(ser_stft *s);

/* n_fft/2 + 1 */
size_t ser_stft_nbins(const ser_stft *s);
/* 1 + n/hop: the frame count for a signal of n samples. */
size_t ser_stft_nframes(const ser_stft *s, size_t n);
/* The window padded to n_fft (n_fft values owned by s). */
const double *ser_stft_window(const ser_stft *s);

/* Power spectrum |X_t[k]|^2, k = 0..n_fft/2, of frame t of x[0..n)
 * (zeros outside), into power[nbins] (caller-owned). */
void ser_stft_power(ser_stft *s, const float *x, size_t n, size_t t, double *power);

/* Centre-padded frame: out[j] = x[t*hop - frame_length/2 + j] for
 * j = 0..frame_length-1, where samples outside x are zero (edge = 0) or the
 * nearest end sample (edge = 1, numpy's mode='edge'). Used for ZCR/RMS. */
void ser_frame_centered(const float *x, size_t n, size_t t, size_t hop, size_t frame_length,
                        int edge, float *out);

#endif
