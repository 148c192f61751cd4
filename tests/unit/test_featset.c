/*
 * test_featset.c - the feature sets: the seed's 47 values against librosa
 * 0.11 (testdata/golden/seed_features_sr*.tsv) for every golden signal at
 * 16000 and 22050 Hz; column names unique and the default set made of full
 * columns; finite values for silence, DC, clipping, one sample, noise;
 * the default set's values do not depend on the silence around speech;
 * the F0 and loudness deltas follow known contours.
 */
#include <math.h>
#include <stdint.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "featset.h"
#include "spectral.h"
#include "stft.h"
#include "t.h"
#include "tsv.h"

static char top[1024];

static float *
load_wav(const char *path, size_t *n, double *rate)
{
	SF_INFO info;
	SNDFILE *sf;
	float *x;

	memset(&info, 0, sizeof info);
	if ((sf = sf_open(path, SFM_READ, &info)) == NULL || info.channels != 1)
		return NULL;
	x = malloc((size_t)info.frames * sizeof *x + 1);
	*n = (size_t)sf_readf_float(sf, x, info.frames);
	*rate = info.samplerate;
	sf_close(sf);
	return x;
}

/* Tolerance floors for the seed's 47 values (column order of the golden
 * header), beside 1e-4 relative:
 *  - MFCC means/stds: 1e-2 dB-units. The per-frame MFCCs agree to ~1e-3
 *    (test_parity); librosa reduces them in float32 (pairwise), which moves
 *    a mean of ~-600 by ~1e-5 relative; MFCC means near 0 (a coefficient
 *    that averages out) need an absolute floor of that per-frame accuracy.
 *  - centroid/bandwidth/rolloff: 0.5 Hz (per-frame floor 0.2 Hz).
 *  - zcr: 1e-6 (a count over 2048 samples; float32 mean).
 *  - chroma means: 1e-5 (per-frame 1e-6 plus float32 reduction).
 *  - tempo: exact lag grid, relative 1e-4 only. */
static double
floor_for(const char *name)
{
	if (strncmp(name, "mfcc", 4) == 0)
		return 1e-2;
	if (strncmp(name, "centroid", 8) == 0 || strncmp(name, "bandwidth", 9) == 0 ||
	    strncmp(name, "rolloff", 7) == 0)
		return 0.5;
	if (strncmp(name, "zcr", 3) == 0)
		return 1e-6;
	if (strncmp(name, "chroma", 6) == 0)
		return 1e-5;
	return 0;
}

static void
seed_parity(double rate)
{
	char path[2048];
	FILE *fp = NULL;
	ser_error e;
	ser_tsv *r;
	ser_features *f = ser_features_new("seed", rate, &e);
	double row[64];
	int rc;

	snprintf(path, sizeof path, "%s/testdata/golden/seed_features_sr%.0f.tsv", top, rate);
	if (!CHECK(f != NULL && (fp = fopen(path, "r")) != NULL, "open %s", path))
		return;
	r = ser_tsv_open(fp, path, &e);
	CHECK(r && ser_tsv_ncols(r) == 48 && ser_features_ncols(f) == 47, "seed: 47 columns");
	for (size_t c = 1; r && c < 48; c++)
		CHECK(strcmp(ser_tsv_colname(r, c), ser_features_colname(f, c - 1)) == 0,
		      "seed column %zu is %s", c, ser_tsv_colname(r, c));
	while (r && (rc = ser_tsv_next(r, &e)) == 1) {
		const char *file = ser_tsv_field(r, 0);
		char name[256], wav[2048];
		float *x;
		size_t n = 0, bad = 0, worst = 0;
		double got_rate = 0, wexc = -1, want[47];

		if (strcmp(file, "speech_60s.wav") == 0)
			continue; /* not copied (1.9 MB); its 3 s prefix is speech_3s */
		snprintf(name, sizeof name, "%.*s", (int)(strlen(file) - 4), file);
		if (rate == 16000)
			snprintf(wav, sizeof wav, "%s/testdata/golden/inputs/%s", top, file);
		else
			snprintf(wav, sizeof wav, "%s/testdata/golden/sr22050_nfft2048_hop512/%s/input_22050.wav",
			         top, name);
		x = load_wav(wav, &n, &got_rate);
		if (!CHECK(x && got_rate == rate, "read %s", wav))
			continue;
		CHECK(ser_features_run(f, x, n, row, &e) == 0, "seed %s: run", name);
		for (size_t c = 0; c < 47; c++) {
			double d, tol;
			ser_tsv_double(r, c + 1, &want[c], &e);
			d = fabs(row[c] - want[c]);
			tol = fmax(floor_for(ser_features_colname(f, c)), 1e-4 * fabs(want[c]));
			if (!(d <= tol))
				bad++;
			if (!(d / tol <= wexc)) {
				wexc = d / tol;
				worst = c;
			}
		}
		CHECK(bad == 0, "seed %s at %.0f Hz: %zu of 47 outside tolerance; worst %s got %.9g want %.9g (%.3g of tolerance)",
		      name, rate, bad, ser_features_colname(f, worst), row[worst], want[worst], wexc);
		free(x);
	}
	if (r)
		ser_tsv_close(r);
	fclose(fp);
	ser_features_free(f);
}

static void
finite_everywhere(const char *set)
{
	ser_error e;
	ser_features *f = ser_features_new(set, 16000, &e);
	size_t n = 16000, i, c, nc, k;
	float *x = malloc(n * sizeof *x);
	double *row;
	static const char *what[] = {"silence", "DC 0.5", "clipped square +-1", "one sample",
	                             "half a window", "noise", "impulse", "full float range +-3e38",
	                             "subnormals"};
	unsigned s = 12345;

	if (!CHECK(f != NULL, "make set %s: %s", set, f ? "" : e.msg))
		return;
	nc = ser_features_ncols(f);
	row = malloc(nc * sizeof *row);
	for (k = 0; k < sizeof what / sizeof *what; k++) {
		size_t len = n, bad = 0;
		for (i = 0; i < n; i++) {
			switch (k) {
			case 0: x[i] = 0; break;
			case 1: x[i] = 0.5f; break;
			case 2: x[i] = (i / 40) % 2 ? 1.0f : -1.0f; break;
			case 3: x[i] = 0.3f; len = 1; break;
			case 4: x[i] = (float)sin(i * 0.3); len = 200; break;
			case 5: s = s * 1103515245u + 12345u; x[i] = (float)((s >> 8) / 16777216.0 - 0.5); break;
			case 6: x[i] = i == 8000 ? 1.0f : 0.0f; break;
			case 7: x[i] = (float)(sin(i * 0.05) * 3e38); break;
			default: x[i] = (i % 7 ? 1 : -1) * 1e-45f * (float)(i % 5); break;
			}
		}
		CHECK(ser_features_run(f, x, len, row, &e) == 0, "%s: %s runs", set, what[k]);
		for (c = 0; c < nc; c++)
			if (!isfinite(row[c])) {
				bad++;
				printf("# %s %s: %s = %g\n", set, what[k], ser_features_colname(f, c), row[c]);
			}
		CHECK(bad == 0, "%s: %s gives %zu finite values", set, what[k], nc);
	}
	CHECK(ser_features_run(f, x, 0, row, &e) != 0, "%s: no samples is an error (%s)", set, e.msg);
	free(row);
	free(x);
	ser_features_free(f);
}

static void
names(void)
{
	const char *const *sets = ser_features_set_names();
	ser_error e;

	for (size_t s = 0; sets[s]; s++) {
		ser_features *f = ser_features_new(sets[s], 16000, &e);
		size_t nc, dup = 0;
		if (!CHECK(f != NULL, "set %s: %s", sets[s], f ? "made" : e.msg))
			continue;
		nc = ser_features_ncols(f);
		for (size_t i = 0; i < nc; i++)
			for (size_t j = i + 1; j < nc; j++)
				dup += strcmp(ser_features_colname(f, i), ser_features_colname(f, j)) == 0;
		CHECK(dup == 0 && nc > 0, "set %s: %zu unique column names", sets[s], nc);
		ser_features_free(f);
	}
	CHECK(ser_features_new("nonesuch", 16000, &e) == NULL, "unknown set refused: %s", e.msg);
	CHECK(ser_features_new("seed", 100, &e) == NULL, "rate 100 Hz refused: %s", e.msg);
}

/* The set computes ZCR incrementally (crossings of the hop that left and
 * the hop that came in); it must equal the direct per-frame count. */
static void
zcr_incremental(void)
{
	ser_error e;
	ser_features *f = ser_features_new("full", 16000, &e);
	size_t n = 12345, i, t, nf = 0, j, bad = 0, zj = 0;
	float *x = malloc(n * sizeof *x), frame[512];
	const double *const *lld;
	unsigned s = 99;

	for (i = 0; i < n; i++) {
		s = s * 1103515245u + 12345u;
		x[i] = (float)((s >> 8) / 16777216.0 - 0.5) * (i % 3000 < 1500 ? 1.0f : 1e-11f);
	}
	CHECK(f && ser_features_frames(f, x, n, &lld, &nf, &e) == 0, "full: frames of noise");
	for (j = 0; f && j < ser_features_nllds(f); j++)
		if (strcmp(ser_features_lldname(f, j), "zcr") == 0)
			zj = j;
	for (t = 0; f && t < nf; t++) {
		ser_frame_centered(x, n, t, 160, 512, 1, frame);
		bad += lld[zj][t] != ser_zcr(frame, 512);
	}
	CHECK(f && nf == 1 + n / 160 && bad == 0, "full: incremental ZCR equals the direct count in all %zu frames (%zu differ)", nf, bad);
	free(x);
	ser_features_free(f);
}

/* default computes only the families its columns need: each of its values
 * must equal the same column of full (nothing depends on what is skipped). */
static void
default_is_full_subset(void)
{
	ser_error e;
	ser_features *d = ser_features_new("default", 16000, &e), *f = ser_features_new("full", 16000, &e);
	size_t n = 24000, i, j, bad = 0, missing = 0;
	float *x = malloc(n * sizeof *x);
	double *rd, *rf;

	if (!CHECK(d && f, "default and full made"))
		return;
	for (i = 0; i < n; i++) /* a vowel-like buzz with a pitch glide, then noise */
		x[i] = i < 16000 ? (float)(0.3 * sin(2 * M_PI * (120 + 0.004 * i) * i / 16000.0) +
		                           0.1 * sin(2 * M_PI * 700 * i / 16000.0))
		                 : (float)(0.05 * sin(i * 1.7) * sin(i * 0.31));
	rd = malloc(ser_features_ncols(d) * sizeof *rd);
	rf = malloc(ser_features_ncols(f) * sizeof *rf);
	CHECK(ser_features_run(d, x, n, rd, &e) == 0 && ser_features_run(f, x, n, rf, &e) == 0,
	      "both run");
	for (i = 0; i < ser_features_ncols(d); i++) {
		for (j = 0; j < ser_features_ncols(f); j++)
			if (strcmp(ser_features_colname(d, i), ser_features_colname(f, j)) == 0)
				break;
		if (j == ser_features_ncols(f)) {
			missing++;
			continue;
		}
		if (rd[i] != rf[j]) {
			bad++;
			printf("# %s: default %.17g, full %.17g\n", ser_features_colname(d, i), rd[i], rf[j]);
		}
	}
	CHECK(missing == 0 && bad == 0, "default: all %zu columns are full columns with the same values (%zu missing, %zu differ)",
	      ser_features_ncols(d), missing, bad);
	free(x);
	free(rd);
	free(rf);
	ser_features_free(d);
	ser_features_free(f);
}

/* The default set takes its functionals over the active frames: the same
 * speech with a second of faint noise before and after it (as RAVDESS
 * files have, and EMO-DB's do not) gives nearly the same row. Taken over
 * every frame, the spreads (MFCC, mel-band and loudness std), the voiced
 * ratio and the segment rate would all move by 20-100 %. */
static void
silence_invariant(void)
{
	ser_error e;
	ser_features *d = ser_features_new("default", 16000, &e);
	size_t n = 24000, pad = 16000, i, bad = 0, nc;
	float *x = malloc(n * sizeof *x), *y = malloc((n + 2 * pad) * sizeof *y);
	double *a, *b, worst = 0;
	const char *wname = "";
	unsigned long r = 12345;

	if (!CHECK(d && x && y, "default made"))
		return;
	/* syllable-like buzzes (120-200 Hz glide, 4 Hz envelope from 0) over
	 * a faint noise floor; the speech alone is the middle of the padded
	 * recording, noise floor included */
	for (i = 0; i < n + 2 * pad; i++) {
		double t = ((double)i - (double)pad) / 16000.0, ph = 120 * t + 13.3 * t * t;
		r = r * 1103515245ul + 12345ul;
		y[i] = (float)(1e-4 * ((double)((r >> 16) & 0x7fff) / 16384.0 - 1.0));
		if (i >= pad && i < pad + n)
			y[i] += (float)((0.5 - 0.5 * cos(2 * M_PI * 4 * t)) *
			                (0.3 * sin(2 * M_PI * ph) + 0.1 * sin(2 * M_PI * 5 * ph) +
			                 0.05 * sin(2 * M_PI * 9 * ph)));
	}
	memcpy(x, y + pad, n * sizeof *x);
	nc = ser_features_ncols(d);
	a = malloc(nc * sizeof *a);
	b = malloc(nc * sizeof *b);
	CHECK(ser_features_run(d, x, n, a, &e) == 0, "speech alone");
	CHECK(ser_features_run(d, y, n + 2 * pad, b, &e) == 0, "speech with silence around");
	for (i = 0; i < nc; i++) {
		/* relative to the value, with a floor of 2 % of the column's
		 * scale for values near 0 (slopes, skews) */
		double diff = fabs(a[i] - b[i]), scale = fmax(fabs(a[i]), fabs(b[i]));
		double rel = diff / fmax(scale, 0.05);
		if (rel > worst) {
			worst = rel;
			wname = ser_features_colname(d, i);
		}
		if (rel > 0.05) {
			bad++;
			printf("# %s: alone %.6g, padded %.6g\n", ser_features_colname(d, i), a[i], b[i]);
		}
	}
	CHECK(bad == 0, "default: silence around speech moves no column by more than 5 %% (%zu do; worst %s %.3f)",
	      bad, wname, worst);
	free(x);
	free(y);
	free(a);
	free(b);
	ser_features_free(d);
}

/* The default row of x, and the value of its column `name` (NAN if none). */
static double
col_of(ser_features *f, const double *row, const char *name)
{
	size_t i;

	for (i = 0; i < ser_features_ncols(f); i++)
		if (strcmp(ser_features_colname(f, i), name) == 0)
			return row[i];
	return NAN;
}

/* A vowel-like buzz (fundamental and two harmonics) at phase ph cycles. */
static float
buzz(double ph, double amp)
{
	return (float)(amp * (0.3 * sin(2 * M_PI * ph) + 0.1 * sin(4 * M_PI * ph) +
	                      0.05 * sin(6 * M_PI * ph)));
}

/* n samples at 16 kHz of a buzz gliding from 150 Hz by dir octaves per
 * second (12 semitones per second up for dir = 1, down for -1):
 * f(t) = 150 * 2^(dir t), phase = 150 (2^(dir t) - 1) / (dir ln 2). */
static void
glide(float *x, size_t n, int dir)
{
	size_t i;

	for (i = 0; i < n; i++) {
		double t = (double)i / 16000.0;
		x[i] = buzz(150 * (pow(2, dir * t) - 1) / (dir * M_LN2), 1);
	}
}

/* The rhythm scalars count what they name: loudness peaks per second follow
 * a tremolo's rate; buzzes of 0.2 s and 0.4 s between bursts of noise give
 * voiced runs of mean 0.3 s and deviation 0.1 s, and noise bursts of one
 * length a deviation near 0; and the other way round. */
static void
rhythm_counts(void)
{
	ser_error e;
	ser_features *f = ser_features_new("full", 16000, &e);
	size_t n = 3 * 16000, i, nc;
	float *x = malloc(51200 * sizeof *x);
	double *row, v;
	static const double rates[] = {3, 6};
	int pat;
	uint64_t r = 42;

	if (!CHECK(f && x, "full made"))
		return;
	nc = ser_features_ncols(f);
	row = malloc(nc * sizeof *row);
	for (i = 0; i < sizeof rates / sizeof *rates; i++) {
		size_t k;
		for (k = 0; k < n; k++) /* 14 dB deep: every frame stays active */
			x[k] = buzz(150.0 * k / 16000.0,
			            0.6 - 0.4 * cos(2 * M_PI * rates[i] * (double)k / 16000.0));
		CHECK(ser_features_run(f, x, n, row, &e) == 0, "tremolo");
		v = col_of(f, row, "loudness_peaks_per_s");
		CHECK(fabs(v - rates[i]) < 0.4, "a %g Hz tremolo: %.2f loudness peaks per second",
		      rates[i], v);
		/* the buzz is all below 518 Hz: the lowest mel fifth and the
		 * frame energy swing at the tremolo's rate */
		{
			const char *band = i ? "4_8hz" : "2_4hz", *grp[] = {"mel0", "energy"};
			size_t g;
			for (g = 0; g < 2; g++) {
				char nm[32];
				snprintf(nm, sizeof nm, "mod%s_%s", grp[g], band);
				v = col_of(f, row, nm);
				CHECK(v > -1.0, "a %g Hz tremolo: %s holds %.2f dB of the modulation power",
				      rates[i], nm, v);
			}
		}
	}
	/* (buzz 0.2 s, noise 0.1 s, buzz 0.4 s, noise 0.1 s) x 4, then
	 * (buzz 0.3 s, noise 0.1 s, buzz 0.3 s, noise 0.3 s) x 3 */
	for (pat = 0; pat < 2; pat++) {
		size_t len = pat ? 48000 : 51200;
		for (i = 0; i < len; i++) {
			double t = fmod((double)i / 16000.0, pat ? 1.0 : 0.8);
			int voiced = pat ? t < 0.3 || (t >= 0.4 && t < 0.7) : t < 0.2 || (t >= 0.3 && t < 0.7);
			r ^= r << 13;
			r ^= r >> 7;
			r ^= r << 17;
			x[i] = voiced ? buzz(150.0 * i / 16000.0, 1)
			              : (float)(0.3 * ((double)(r >> 11) / 9007199254740992.0 - 0.5));
		}
		CHECK(ser_features_run(f, x, len, row, &e) == 0, "buzz and noise");
		v = col_of(f, row, "voiced_segment_mean_s");
		CHECK(fabs(v - 0.3) < 0.03, "pattern %d: voiced runs of mean %.3f s (want 0.3)", pat, v);
		v = col_of(f, row, "voiced_segment_std_s");
		CHECK(pat ? v < 0.04 : fabs(v - 0.1) < 0.02,
		      "pattern %d: voiced runs deviate by %.3f s (want %s)", pat, v, pat ? "< 0.04" : "0.1");
		v = col_of(f, row, "unvoiced_segment_std_s");
		CHECK(pat ? fabs(v - 0.1) < 0.02 : v < 0.04,
		      "pattern %d: unvoiced runs deviate by %.3f s (want %s)", pat, v, pat ? "0.1" : "< 0.04");
	}
	/* a pulse train (every harmonic of 160 Hz) for 0.5 s, then noise for
	 * 0.5 s: the cepstral peak stands out over the voiced frames, far
	 * less over all of them */
	for (i = 0; i < 16000; i++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		x[i] = i < 8000 ? (i % 100 == 0 ? 0.8f : 0.0f)
		                : (float)(0.3 * ((double)(r >> 11) / 9007199254740992.0 - 0.5));
	}
	CHECK(ser_features_run(f, x, 16000, row, &e) == 0, "pulses and noise");
	v = col_of(f, row, "cpp_db_mean");
	CHECK(v > 5.0 && col_of(f, row, "cpp_all_db_mean") < v - 2.0,
	      "CPP %.2f dB over the pulse train, %.2f dB over pulses and noise", v,
	      col_of(f, row, "cpp_all_db_mean"));
	free(row);
	free(x);
	ser_features_free(f);
}

/* The delta descriptors follow the contour: a glide of +12 semitones per
 * second moves F0 by 0.12 semitone per 10 ms frame, a falling one by
 * -0.12; two steady tones 9 semitones apart with a pause between them move
 * it by nothing (the delta is taken within each voiced run, never across
 * the gap); a steady tone's loudness does not move, a tremolo's does. */
static void
deltas_follow_contour(void)
{
	ser_error e;
	ser_features *d = ser_features_new("default", 16000, &e);
	size_t n = 16000, i, nc;
	float *x = malloc(2 * n * sizeof *x);
	double *row, v, lo, hi;
	int dir;

	if (!CHECK(d && x, "default made"))
		return;
	nc = ser_features_ncols(d);
	row = malloc(nc * sizeof *row);
	for (dir = 1; dir >= -1; dir -= 2) {
		glide(x, n, dir);
		CHECK(ser_features_run(d, x, n, row, &e) == 0, "glide");
		lo = col_of(d, row, "f0_semitone_delta_p20");
		hi = col_of(d, row, "f0_semitone_delta_p80");
		CHECK(fabs(lo - dir * 0.12) < 0.02 && fabs(hi - dir * 0.12) < 0.02,
		      "a glide of %+d semitones/s: F0 delta p20 %.4f, p80 %.4f per frame (want %+.2f)",
		      12 * dir, lo, hi, dir * 0.12);
	}
	/* 150 Hz for 0.6 s, 0.3 s of nothing, 252.3 Hz (+9 semitones) for 0.6 s */
	for (i = 0; i < 2 * n; i++) {
		double t = (double)i / 16000.0;
		x[i] = t < 0.6 ? buzz(150 * t, 1) : t < 0.9 ? 0.0f : t < 1.5 ? buzz(252.27 * t, 1) : 0.0f;
	}
	CHECK(ser_features_run(d, x, 24000, row, &e) == 0, "two tones");
	v = col_of(d, row, "f0_semitone_delta_std");
	CHECK(v >= 0 && v < 0.1, "two steady tones with a pause: F0 delta std %.4f (joined across the gap it is ~0.3)", v);
	for (i = 0; i < n; i++)
		x[i] = buzz(150.0 * i / 16000.0, 1);
	CHECK(ser_features_run(d, x, n, row, &e) == 0, "steady tone");
	v = col_of(d, row, "loudness_rel_delta_std");
	CHECK(v >= 0 && v < 0.01, "a steady tone: loudness delta std %.5f", v);
	for (i = 0; i < n; i++) /* 4 Hz tremolo, 6 dB deep */
		x[i] = buzz(150.0 * i / 16000.0, 0.75 + 0.25 * sin(2 * M_PI * 4 * i / 16000.0));
	CHECK(ser_features_run(d, x, n, row, &e) == 0, "tremolo");
	v = col_of(d, row, "loudness_rel_delta_std");
	CHECK(v > 0.02, "a 4 Hz tremolo: loudness delta std %.5f", v);
	free(row);
	free(x);
	ser_features_free(d);
}

/* The shape functionals follow the contour in time: a glide of +-12
 * semitones over 1 s has a trend of +-12 semitones per utterance and its
 * last fifth lies 0.4 x 12 above (below) its median; a rise and fall peaks
 * in the middle with a negative curve; a swell of loudness trends up. */
static void
shape_follows_contour(void)
{
	ser_error e;
	ser_features *f = ser_features_new("full", 16000, &e);
	size_t n = 16000, i;
	float *x = malloc(n * sizeof *x);
	double *row = f ? malloc(ser_features_ncols(f) * sizeof *row) : NULL, v;
	int dir;

	if (!CHECK(f && x && row, "full made"))
		goto out;
	for (dir = 1; dir >= -1; dir -= 2) {
		glide(x, n, dir);
		CHECK(ser_features_run(f, x, n, row, &e) == 0, "glide");
		v = col_of(f, row, "f0_semitone_trend");
		CHECK(fabs(v - dir * 12) < 1.0, "a glide of %+d semitones in 1 s: trend %.2f", 12 * dir, v);
		v = col_of(f, row, "f0_semitone_tail");
		CHECK(fabs(v - dir * 4.8) < 0.6, "a glide of %+d semitones: tail %.2f (want %+.1f)", 12 * dir,
		      v, dir * 4.8);
		v = col_of(f, row, "f0_semitone_head");
		CHECK(fabs(v + dir * 4.8) < 0.6, "a glide of %+d semitones: head %.2f (want %+.1f)", 12 * dir,
		      v, -dir * 4.8);
		v = col_of(f, row, "f0_semitone_hipos");
		CHECK(dir > 0 ? v > 0.85 : v < 0.15, "a glide of %+d semitones: high part at u = %.2f",
		      12 * dir, v);
		v = col_of(f, row, "f0_semitone_curve");
		CHECK(fabs(v) < 1.0, "a glide of %+d semitones: curve %.2f (a line)", 12 * dir, v);
	}
	{
		/* up 12 semitones in 0.5 s and down again: phase by summing */
		double ph = 0;
		for (i = 0; i < n; i++) {
			double t = (double)i / 16000.0, st = 24 * (t < 0.5 ? t : 1 - t);
			ph += 150 * pow(2, st / 12) / 16000.0;
			x[i] = buzz(ph, 1);
		}
	}
	CHECK(ser_features_run(f, x, n, row, &e) == 0, "rise and fall");
	v = col_of(f, row, "f0_semitone_hipos");
	CHECK(fabs(v - 0.5) < 0.05, "a rise and fall: high part at u = %.2f", v);
	v = col_of(f, row, "f0_semitone_curve");
	CHECK(v < -20, "a rise and fall of 12 semitones: curve %.1f (want < -20; a parabola would be -48)", v);
	v = col_of(f, row, "f0_semitone_trend");
	CHECK(fabs(v) < 1.0, "a rise and fall: trend %.2f", v);
	for (i = 0; i < n; i++) /* a 150 Hz buzz swelling from 0.1 to 1 */
		x[i] = buzz(150.0 * i / 16000.0, 0.1 + 0.9 * (double)i / (double)n);
	CHECK(ser_features_run(f, x, n, row, &e) == 0, "swell");
	v = col_of(f, row, "loudness_rel_trend");
	CHECK(v > 0.5, "a swell: loudness trend %.2f per utterance (of its mean 1)", v);
	CHECK(col_of(f, row, "loudness_rel_tail") > 0 && col_of(f, row, "loudness_rel_head") < 0,
	      "a swell: loud tail %.2f, quiet head %.2f", col_of(f, row, "loudness_rel_tail"),
	      col_of(f, row, "loudness_rel_head"));
out:
	free(row);
	free(x);
	ser_features_free(f);
}

int
main(void)
{
	const char *s = getenv("SER_TOP");

	snprintf(top, sizeof top, "%s", s ? s : ".");
	names();
	seed_parity(16000);
	seed_parity(22050);
	finite_everywhere("seed");
	finite_everywhere("default");
	finite_everywhere("full");
	zcr_incremental();
	default_is_full_subset();
	silence_invariant();
	deltas_follow_contour();
	shape_follows_contour();
	rhythm_counts();
	return t_done();
}
