#include "stft.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ser_stft {
	ser_stft_config c;
	double *window; /* n_fft */
	double *in;    /* n_fft, fftw_malloc'd */
	fftw_complex *out;
	fftw_plan plan;
};

ser_stft *
ser_stft_new(const ser_stft_config *c, ser_error *e)
{
	ser_stft *s;
	size_t left, i;

	if (c->n_fft < 16 || c->n_fft > 65536) {
		ser_error_set(e, "n_fft %zu out of range 16..65536", c->n_fft);
		return NULL;
	}
	if (c->hop < 1 || c->hop > c->n_fft * 16) {
		ser_error_set(e, "hop %zu out of range 1..%zu", c->hop, c->n_fft * 16);
		return NULL;
	}
	if (c->win_length < 1 || c->win_length > c->n_fft) {
		ser_error_set(e, "window length %zu out of range 1..n_fft (%zu)", c->win_length,
		              c->n_fft);
		return NULL;
	}
	if ((s = calloc(1, sizeof *s)) == NULL) {
		ser_error_set(e, "out of memory");
		return NULL;
	}
	s->c = *c;
	s->window = calloc(c->n_fft, sizeof *s->window);
	s->in = fftw_malloc(c->n_fft * sizeof *s->in);
	s->out = fftw_malloc((c->n_fft / 2 + 1) * sizeof *s->out);
	if (s->window == NULL || s->in == NULL || s->out == NULL) {
		ser_stft_free(s);
		ser_error_set(e, "out of memory");
		return NULL;
	}
	/* scipy.signal.get_window('hann', N, fftbins=True): periodic Hann,
	 * 0.5 - 0.5 cos(2 pi i / N); util.pad_center puts (n_fft-N)/2 left. */
	left = (c->n_fft - c->win_length) / 2;
	for (i = 0; i < c->win_length; i++)
		s->window[left + i] =
		        0.5 - 0.5 * cos(2.0 * M_PI * (double)i / (double)c->win_length);
	s->plan = fftw_plan_dft_r2c_1d((int)c->n_fft, s->in, s->out, FFTW_ESTIMATE);
	memset(s->in, 0, c->n_fft * sizeof *s->in); /* after planning: the pads stay 0 */
	if (s->plan == NULL) {
		ser_stft_free(s);
		ser_error_set(e, "FFTW could not plan a transform of %zu points", c->n_fft);
		return NULL;
	}
	return s;
}

void
ser_stft_free(ser_stft *s)
{
	if (s == NULL)
		return;
	if (s->plan != NULL)
		fftw_destroy_plan(s->plan);
	fftw_free(s->in);
	fftw_free(s->out);
	free(s->window);
	free(s);
}

size_t
ser_stft_nbins(const ser_stft *s)
{
	return s->c.n_fft / 2 + 1;
}

size_t
ser_stft_nframes(const ser_stft *s, size_t n)
{
	return 1 + n / s->c.hop;
}

const double *
ser_stft_window(const ser_stft *s)
{
	return s->window;
}

void
ser_frame_centered(const float *x, size_t n, size_t t, size_t hop, size_t frame_length, int edge,
                   float *out)
{
	/* signed arithmetic on sample positions; sizes here are far below
	 * PTRDIFF_MAX (n is bounded by memory). */
	long long start = (long long)t * (long long)hop - (long long)(frame_length / 2);
	size_t j;

	if (start >= 0 && (unsigned long long)start + frame_length <= n) {
		for (j = 0; j < frame_length; j++)
			out[j] = x[start + (long long)j];
		return;
	}
	for (j = 0; j < frame_length; j++) {
		long long p = start + (long long)j;
		if (p >= 0 && (unsigned long long)p < n)
			out[j] = x[p];
		else if (!edge || n == 0)
			out[j] = 0.0f;
		else
			out[j] = p < 0 ? x[0] : x[n - 1];
	}
}

void
ser_stft_power(ser_stft *s, const float *x, size_t n, size_t t, double *power)
{
	/* only the window's nonzero span [lo, hi) is written: the rest of
	 * s->in was zeroed at creation, and an out-of-place r2c transform
	 * preserves its input (FFTW_PRESERVE_INPUT is its default) */
	size_t j, nb = s->c.n_fft / 2 + 1, nfft = s->c.n_fft;
	size_t lo = (nfft - s->c.win_length) / 2, hi = lo + s->c.win_length;
	long long start = (long long)t * (long long)s->c.hop - (long long)(nfft / 2);

	if (start + (long long)lo >= 0 && (unsigned long long)(start + (long long)hi) <= n) {
		const float *f = x + start;
		for (j = lo; j < hi; j++)
			s->in[j] = (double)f[j] * s->window[j];
	} else {
		for (j = lo; j < hi; j++) {
			long long p = start + (long long)j;
			s->in[j] = p >= 0 && (unsigned long long)p < n ? (double)x[p] * s->window[j] : 0.0;
		}
	}
	fftw_execute(s->plan);
	for (j = 0; j < nb; j++) {
		double re = s->out[j][0], im = s->out[j][1];
		power[j] = re * re + im * im;
	}
}
