#include "tempo.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void
ser_onset_strength(const double *mel_db, size_t n_frames, size_t n_mels, size_t n_fft, size_t hop,
                   double *out)
{
	size_t pad = 1 + n_fft / (2 * hop), t, b;

	for (t = 0; t < n_frames; t++)
		out[t] = 0;
	/* env[j] (j = 0..n_frames-2) = mean_b max(0, S[b][j+1] - S[b][j]);
	 * out[pad + j] = env[j] while pad + j < n_frames */
	for (t = 1; t < n_frames; t++) {
		const double *cur = mel_db + t * n_mels, *prev = cur - n_mels;
		size_t j = t - 1;
		double acc = 0;

		if (pad + j >= n_frames)
			break;
		for (b = 0; b < n_mels; b++) {
			double d = cur[b] - prev[b];
			acc += d > 0 ? d : 0;
		}
		out[pad + j] = acc / (double)n_mels;
	}
}

struct ser_tempo {
	double rate_hz;
	size_t hop, win, nfft;
	double *window; /* win: periodic Hann */
	double *in;     /* nfft */
	fftw_complex *spec;
	fftw_plan fwd, inv;
	double *padded; /* grown per clip */
	size_t cap;
	double *acc;    /* win */
};

ser_tempo *
ser_tempo_new(double rate_hz, size_t hop, ser_error *e)
{
	ser_tempo *t;
	size_t i;
	double samples;

	if (!(rate_hz >= 1000 && rate_hz <= 384000))
		return ser_error_set(e, "sample rate %g Hz out of range", rate_hz), NULL;
	samples = floor(8.0 * rate_hz);
	if (hop < 1 || (double)hop * 2 > samples)
		return ser_error_set(e, "tempo: hop %zu samples is too long for an 8 s window", hop),
		       NULL;
	if ((t = calloc(1, sizeof *t)) == NULL)
		return ser_error_set(e, "out of memory"), NULL;
	t->rate_hz = rate_hz;
	t->hop = hop;
	t->win = (size_t)floor(samples / (double)hop);
	t->nfft = 2 * t->win;
	t->window = malloc(t->win * sizeof *t->window);
	t->acc = malloc(t->win * sizeof *t->acc);
	t->in = fftw_malloc(t->nfft * sizeof *t->in);
	t->spec = fftw_malloc((t->nfft / 2 + 1) * sizeof *t->spec);
	if (!t->window || !t->acc || !t->in || !t->spec) {
		ser_tempo_free(t);
		return ser_error_set(e, "out of memory"), NULL;
	}
	for (i = 0; i < t->win; i++)
		t->window[i] = 0.5 - 0.5 * cos(2.0 * M_PI * (double)i / (double)t->win);
	t->fwd = fftw_plan_dft_r2c_1d((int)t->nfft, t->in, t->spec, FFTW_ESTIMATE);
	t->inv = fftw_plan_dft_c2r_1d((int)t->nfft, t->spec, t->in, FFTW_ESTIMATE);
	if (t->fwd == NULL || t->inv == NULL) {
		ser_tempo_free(t);
		return ser_error_set(e, "FFTW could not plan the tempogram"), NULL;
	}
	return t;
}

void
ser_tempo_free(ser_tempo *t)
{
	if (t == NULL)
		return;
	if (t->fwd)
		fftw_destroy_plan(t->fwd);
	if (t->inv)
		fftw_destroy_plan(t->inv);
	fftw_free(t->in);
	fftw_free(t->spec);
	free(t->window);
	free(t->acc);
	free(t->padded);
	free(t);
}

size_t
ser_tempo_win(const ser_tempo *t)
{
	return t->win;
}

int
ser_tempo_run(ser_tempo *t, const double *onset, size_t n, double *tg_mean, double *bpm,
              ser_error *e)
{
	size_t W = t->win, p = W / 2, total, i, f, k, best, first;
	double best_score;

	if (n == 0)
		return ser_error_set(e, "tempo of an empty onset envelope");
	total = n + 2 * p;
	if (total > t->cap) {
		double *np_ = realloc(t->padded, total * sizeof *np_);
		if (np_ == NULL)
			return ser_error_set(e, "out of memory");
		t->padded = np_;
		t->cap = total;
	}
	/* np.pad(mode='linear_ramp', end_values=0): left ramp
	 * linspace(0, env[0], p, endpoint=False), right the mirror image */
	for (i = 0; i < p; i++) {
		t->padded[i] = (double)i * (onset[0] / (double)p);
		t->padded[p + n + i] = (double)(p - 1 - i) * (onset[n - 1] / (double)p);
	}
	memcpy(t->padded + p, onset, n * sizeof *onset);
	memset(t->acc, 0, W * sizeof *t->acc);
	for (f = 0; f < n; f++) {
		/* frame f = padded[f .. f+W) (always inside: f + W <= n + 2p
		 * when W is even; when odd, W = 2p+1 and the last frame
		 * ends at n-1+2p+1 = total) */
		double mx;
		for (i = 0; i < W; i++)
			t->in[i] = (f + i < total ? t->padded[f + i] : 0.0) * t->window[i];
		memset(t->in + W, 0, (t->nfft - W) * sizeof *t->in);
		fftw_execute(t->fwd);
		for (k = 0; k <= t->nfft / 2; k++) {
			double re = t->spec[k][0], im = t->spec[k][1];
			t->spec[k][0] = re * re + im * im;
			t->spec[k][1] = 0;
		}
		fftw_execute(t->inv);
		mx = 0;
		for (k = 0; k < W; k++)
			if (fabs(t->in[k]) > mx)
				mx = fabs(t->in[k]);
		if (mx / (double)t->nfft < 1.1754943508222875e-38)
			mx = 1.0; /* normalize(): tiny columns are left as they are */
		for (k = 0; k < W; k++)
			t->acc[k] += t->in[k] / mx;
	}
	for (k = 0; k < W; k++)
		t->acc[k] /= (double)n;
	if (tg_mean != NULL)
		memcpy(tg_mean, t->acc, W * sizeof *tg_mean);
	/* first lag with bpm < 320; lags before it are excluded */
	first = W;
	for (k = 1; k < W; k++)
		if (60.0 * t->rate_hz / ((double)t->hop * (double)k) < 320.0) {
			first = k;
			break;
		}
	if (first >= W) {
		*bpm = 0;
		return 0;
	}
	best = first;
	best_score = -INFINITY;
	for (k = first; k < W; k++) {
		double b = 60.0 * t->rate_hz / ((double)t->hop * (double)k);
		double lp = (log2(b) - log2(120.0)) / 1.0;
		double tg = t->acc[k] > -1e-6 ? t->acc[k] : -1e-6; /* log1p domain */
		double s = log1p(1e6 * tg) - 0.5 * lp * lp;
		if (s > best_score) {
			best_score = s;
			best = k;
		}
	}
	*bpm = 60.0 * t->rate_hz / ((double)t->hop * (double)best);
	return 0;
}
