/*
 * prosody.h - per-frame prosody descriptors: F0 (semitones re 27.5 Hz),
 * voicing probability, voiced flag, harmonics-to-noise ratio, jitter,
 * shimmer, formants F1-F3 with bandwidths.
 *
 * Framing: frame t is centred on input sample t*hop; n_frames = 1 + n/hop
 * (the same grid as lib/stft.h). Samples outside the signal are zero.
 *
 * Method (all analysis runs on decimated copies of the input, made once per
 * run): the input is low-pass filtered (Kaiser-windowed sinc, cutoff at the
 * new Nyquist frequency) and decimated by m = round(rate/8000) to the
 * "analysis rate" fs8 (8000 Hz for 16 kHz input), DC-blocked (30 Hz), and
 * decimated again by 2 to fs4.
 *  - F0: YIN difference function on the fs4 signal over a 20 ms window
 *    (cumulative-mean-normalised, CMNDF), its dips (up to 6) as candidates
 *    with parabolic interpolation. Each candidate gets the pYIN probability
 *    of being the first dip below a threshold drawn from a Beta(2, 11.3)
 *    prior (mean 0.15), which favours the shortest period; the voicing
 *    probability is the chance that a threshold from a lenient Beta(2, 3)
 *    prior (mean 0.4) lies above the deepest dip, and is shared among the
 *    candidates in proportion. A Viterbi path over {candidates, unvoiced}
 *    with a cost on F0 jumps (0.35 per semitone per 10 ms, plus 1.0 per
 *    semitone beyond 3) and a voicing-switch probability of 0.01 picks the
 *    track; this is what keeps octave errors out. The chosen lag is refined on the fs8 signal
 *    (parabolic minimum of the raw difference function). Frames 50 dB below
 *    the loudest frame, or below -100 dBFS, are unvoiced.
 *  - voicing: that voicing probability, 0..1, reported for EVERY frame (also
 *    unvoiced ones).
 *  - HNR (dB): 10 log10(r / (1 - r)) with r the normalised
 *    autocorrelation at the refined F0 lag on the fs8 signal (so band-limited
 *    to fs8/2), r clipped to [1e-4, 1 - 1e-4], so HNR is in [-40, 40].
 *  - jitter, shimmer: in each voiced run the glottal cycles are followed on
 *    the fs8 signal: from the dominant-polarity peak in the first period,
 *    each next cycle starts at the lag (0.85..1.15 local periods) that
 *    maximises the normalised cross-correlation of one period of waveform
 *    with the next (parabolic sub-sample lag); a cycle's amplitude is its
 *    dominant-polarity peak. For a frame, the cycles starting within
 *    max(15 ms, 2 periods) of its centre give
 *      jitter  = mean |P_i - P_{i+1}| / mean P       (local, relative)
 *      shimmer = mean |A_i - A_{i+1}| / mean A       (local, relative,
 *                                                     Praat's "shimmer (local)")
 *      shimmer_db = mean |20 log10(A_{i+1} / A_i)|    (dB, Praat's
 *                                                     "shimmer (local, dB)")
 *    with period pairs whose ratio exceeds 1.3 skipped. Fewer than 3 cycles
 *    gives 0.
 *  - formants: LPC of order 2 + fs8/1000 (10 at 8 kHz) by the
 *    autocorrelation method (pre-emphasis from 50 Hz, 25 ms Hamming window,
 *    -60 dB white-noise correction, Levinson-Durbin), roots by Bairstow's
 *    method (warm-started from the previous frame); roots with
 *    90 Hz < f < fs8/2 - 90 Hz and bandwidth < 400 Hz, sorted by frequency,
 *    give F1..F3 and B1..B3. Computed on voiced frames only, every
 *    formant_step_s (20 ms: every 2nd frame at 10 ms hops) and at the last
 *    frame of each voiced run, linearly interpolated between (where one end
 *    has no value the other end's is used); a formant not found in an
 *    analysed frame keeps its value from the previous analysed frame of the
 *    same voiced run (0 if none). Because fs8 is 8 kHz for 16 kHz
 *    input, formants above ~3.5 kHz are not seen.
 *  - harmonic levels (eGeMAPS' H1-H2 and H1-A3): on each voiced frame of the
 *    fs8 signal, the amplitude of harmonic h is |sum w(n) x(n) e^(-2 pi i h
 *    n / T)| over a Hann window of 3 periods T (the refined lag) centred on
 *    the frame, so the other harmonics of a steady voice fall on the
 *    window's zeros. h1h2_db = 20 log10(H1 / H2); h1a3_db = 20 log10(H1 /
 *    A3), A3 the strongest harmonic within 15% of the frame's F3 (0 where
 *    the frame has no F3). Uncorrected for the formants, as in eGeMAPS.
 * Unvoiced frames have f0_semitone, hnr_db, jitter, shimmer, shimmer_db, all
 * formant values and both harmonic levels 0 and voiced = 0. No output is
 * ever NaN or Inf.
 *
 * Threads: a ser_prosody holds scratch; use one per thread.
 */
#ifndef SER_PROSODY_H
#define SER_PROSODY_H

#include <stddef.h>

#include "error.h"

typedef struct ser_prosody_config {
	double rate_hz;   /* input sample rate, 6000..384000 Hz */
	size_t hop;       /* frame step in input samples, >= 1 */
	double f0_min_hz; /* F0 search range; 30 <= min, min * 1.5 <= max,  */
	double f0_max_hz; /* max <= fs4 / 5 (800 Hz at 16 kHz input)          */
	double formant_step_s; /* formants are analysed every
	                        * max(1, round(formant_step_s / hop time)) frames
	                        * of a voiced run (and at its last frame) and
	                        * interpolated linearly between; 0..1 s */
} ser_prosody_config;

/* rate_hz and hop as given, F0 range 55..600 Hz, formant step 20 ms. */
void ser_prosody_config_default(ser_prosody_config *c, double rate_hz, size_t hop);

typedef struct ser_prosody ser_prosody;

/* Validate c and allocate the filters and fixed scratch (made once per
 * process and reused; buffers that depend on the signal length grow in
 * ser_prosody_run). NULL with e set on a bad config or no memory. */
ser_prosody *ser_prosody_new(const ser_prosody_config *c, ser_error *e);
void ser_prosody_free(ser_prosody *p);

/* 1 + n_samples/hop (hop >= 1). */
size_t ser_prosody_frames_for(size_t n_samples, size_t hop);

/* Caller-owned output arrays, each ser_prosody_frames_for(n, hop) long.
 * Any pointer may be NULL: that output is not written, and when all of
 * jitter/shimmer (or all six formant arrays, or both harmonic levels) are
 * NULL that analysis is skipped. h1a3_db needs f3_hz. f0_semitone = 12 log2(F0 / 27.5 Hz). */
typedef struct ser_prosody_frames {
	float *f0_semitone, *voicing, *hnr_db, *jitter, *shimmer;
	float *f1_hz, *f2_hz, *f3_hz, *b1_hz, *b2_hz, *b3_hz;
	unsigned char *voiced;
	float *shimmer_db; /* mean |20 log10(A_{i+1} / A_i)| (eGeMAPS shimmerLocaldB) */
	float *h1h2_db, *h1a3_db; /* dB: H1 over H2, H1 over A3 (harmonic levels) */
} ser_prosody_frames;

/* Analyse x[0..n) (mono, rate_hz) into out. Returns 0, or -1 with e set
 * when scratch cannot be allocated or n is too large to index. x may be
 * NULL only when n is 0. Non-finite input samples are treated as 0. */
int ser_prosody_run(ser_prosody *p, const float *x, size_t n, ser_prosody_frames *out,
                    ser_error *e);

#endif
