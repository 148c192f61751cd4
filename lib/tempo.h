/*
 * tempo.h - onset strength and global tempo as librosa 0.11 computes them.
 *
 * Onset strength (onset_strength, lag=1, max_size=1, aggregate=mean,
 * center=True, detrend=False) from a clip's dB mel spectrogram (128 bands in
 * librosa's default, after power_to_db with its top_db clip): the
 * half-wave-rectified first difference along time averaged over bands,
 * shifted right by 1 + n_fft/(2 hop) frames (zeros in front) and cut to
 * n_frames.
 *
 * Tempo (feature.tempo, start_bpm=120, std_bpm=1, ac_size=8 s,
 * max_tempo=320, aggregate=mean): autocorrelation tempogram with
 * win_length = floor(floor(8 sr)/hop) frames (envelope padded by
 * win_length/2 with numpy's linear_ramp to 0, periodic Hann window, each
 * frame's autocorrelation divided by its largest |value|), averaged over
 * frames; tempo = bpm[argmax(log1p(1e6 mean) + log-normal prior)] with
 * bpm[lag] = 60 sr / (hop lag) and lags of bpm >= 320 excluded.
 * The autocorrelation is done with an FFTW double-precision plan made in
 * ser_tempo_new.
 */
#ifndef SER_TEMPO_H
#define SER_TEMPO_H

#include <stddef.h>

#include "error.h"

/* mel_db: n_frames x n_mels, row-major (frame t at mel_db + t*n_mels).
 * out[n_frames]. */
void ser_onset_strength(const double *mel_db, size_t n_frames, size_t n_mels, size_t n_fft,
                        size_t hop, double *out);

typedef struct ser_tempo ser_tempo;

ser_tempo *ser_tempo_new(double rate_hz, size_t hop, ser_error *e);
void ser_tempo_free(ser_tempo *t);
/* The tempogram's window (and lag count) in frames. */
size_t ser_tempo_win(const ser_tempo *t);
/* Tempo in BPM of an onset envelope of n frames (n >= 1). tg_mean, if not
 * NULL, receives the mean tempogram (ser_tempo_win values, lag 0 first).
 * -1 with e set when out of memory. */
int ser_tempo_run(ser_tempo *t, const double *onset, size_t n, double *tg_mean, double *bpm,
                  ser_error *e);

#endif
