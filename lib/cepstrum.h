/*
 * cepstrum.h - cepstral peak prominence (CPP), a measure of how periodic
 * (how clearly harmonic) a frame's spectrum is: breathy, creaky and tense
 * voices move it, and it needs no pitch track.
 *
 * Method (Hillenbrand et al. 1994; Fraile and Godino-Llorente 2014): the
 * power cepstrum of one frame's power spectrum P[0..n_fft/2] is the
 * inverse DFT of L = 10 log10(max(P / max_k P, 1e-10)) (dB relative to
 * the frame's largest bin, so a frame's gain does not move it), c[q] for
 * quefrency q samples. A straight line is fitted by least squares to c
 * over quefrencies 1 ms .. 1/f0_min; CPP is the largest c[q] with q in
 * 1/f0_max .. 1/f0_min (parabolically interpolated) minus that line at
 * its quefrency, in dB. A frame without any energy gives 0.
 *
 * The quefrency range needs a window of at least two periods of the
 * lowest F0: n_fft / rate_hz >= 2 / f0_min, checked at ser_cpp_new.
 */
#ifndef SER_CEPSTRUM_H
#define SER_CEPSTRUM_H

#include <stddef.h>

#include "error.h"

typedef struct ser_cpp ser_cpp;

/* rate_hz and n_fft of the power spectra to be passed; F0 search range in
 * Hz (40 <= f0_min < f0_max <= rate_hz / 8). Plans an FFTW transform, so
 * (as lib/stft.h says) make it before starting threads. NULL with e set. */
ser_cpp *ser_cpp_new(double rate_hz, size_t n_fft, double f0_min, double f0_max, ser_error *e);
void ser_cpp_free(ser_cpp *c);
/* CPP in dB of one frame: power[n_fft/2 + 1] = |X|^2. */
double ser_cpp_run(ser_cpp *c, const double *power);

#endif
